//! Reference data checked at the edge: countries, currencies, codes, product forms.

use crate::validation::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Currencies the desk trades in (ISO 4217).
pub const CURRENCIES: [&str; 4] = ["USD", "CNY", "EUR", "JPY"];

/// Whether `s` looks like an ISO 3166-1 alpha-2 country code (two upper-case letters).
pub fn is_country(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

pub fn is_currency(s: &str) -> bool {
    CURRENCIES.contains(&s)
}

/// Business codes (`NDPR-OXIDE`, `C-0001`): 1–40 of A–Z, 0–9, `-`, `_`, `.`.
pub fn is_code(s: &str) -> bool {
    (1..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b"-_.".contains(&b))
}

/// An HS tariff code: 6 to 10 digits, dots allowed between groups (`2846.90`).
pub fn is_hs_code(s: &str) -> bool {
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    (6..=10).contains(&digits)
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && !s.starts_with('.')
        && !s.ends_with('.')
}

/// The physical form a product is sold in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProductForm {
    Oxide,
    Metal,
    Alloy,
    Carbonate,
    Other,
}

impl ProductForm {
    pub fn as_str(self) -> &'static str {
        match self {
            ProductForm::Oxide => "oxide",
            ProductForm::Metal => "metal",
            ProductForm::Alloy => "alloy",
            ProductForm::Carbonate => "carbonate",
            ProductForm::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ProductForm> {
        [
            ProductForm::Oxide,
            ProductForm::Metal,
            ProductForm::Alloy,
            ProductForm::Carbonate,
            ProductForm::Other,
        ]
        .into_iter()
        .find(|f| f.as_str() == s)
    }
}

/// Master data is either in use or archived (kept for history, no new business).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MasterStatus {
    Active,
    Archived,
}

impl MasterStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MasterStatus::Active => "active",
            MasterStatus::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<MasterStatus> {
        match s {
            "active" => Some(MasterStatus::Active),
            "archived" => Some(MasterStatus::Archived),
            _ => None,
        }
    }
}

/// Incoterms 2020.
pub const INCOTERMS: [&str; 11] = [
    "EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP",
];

pub fn is_incoterm(s: &str) -> bool {
    INCOTERMS.contains(&s)
}

/// What is wrong with referring to a customer or product in new business, if anything: it must
/// exist, and an archived one takes no new business.
pub fn reference_problem(
    status: Option<MasterStatus>,
    field: &str,
    what: &str,
) -> Option<FieldError> {
    match status {
        None => Some(FieldError::new(field, format!("no such {what}"))),
        Some(MasterStatus::Archived) => {
            Some(FieldError::new(field, format!("the {what} is archived")))
        }
        Some(MasterStatus::Active) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert!(is_code("NDPR-OXIDE"));
        assert!(!is_code("ndpr"));
        assert!(!is_code(""));
        assert!(is_country("JP"));
        assert!(!is_country("Jp"));
        assert!(is_hs_code("2846.90"));
        assert!(is_hs_code("28469000"));
        assert!(!is_hs_code("28.4"));
        assert!(is_currency("USD") && !is_currency("usd"));
    }
}
