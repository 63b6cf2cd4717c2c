//! Market price indices (e.g. NdPr oxide FOB China) that index-linked pricing refers to.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::reference::{is_code, is_currency, MasterStatus, CURRENCIES};
use super::{IndexPrice, Percent, Period};
use crate::ids::PriceIndexId;
use crate::validation::{Checks, FieldError};

/// What one quote of an index is for: a kilogram or a tonne.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum IndexUnit {
    /// Quotes per kilogram (e.g. USD/kg FOB China).
    #[default]
    Kg,
    /// Quotes per tonne (e.g. CNY/t, the Chinese domestic quotes).
    T,
}

impl IndexUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            IndexUnit::Kg => "kg",
            IndexUnit::T => "t",
        }
    }

    pub fn parse(s: &str) -> Option<IndexUnit> {
        match s {
            "kg" => Some(IndexUnit::Kg),
            "t" => Some(IndexUnit::T),
            _ => None,
        }
    }

    /// Kilograms per unit.
    pub fn kg(self) -> rust_decimal::Decimal {
        match self {
            IndexUnit::Kg => rust_decimal::Decimal::ONE,
            IndexUnit::T => rust_decimal::Decimal::from(1000),
        }
    }
}

/// The most VAT an index's quotes may include, in percent.
pub const MAX_VAT_PCT: i64 = 30;

/// A market price index that index-linked pricing refers to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PriceIndex {
    #[schema(value_type = uuid::Uuid)]
    pub id: PriceIndexId,
    /// Unique business code.
    #[schema(example = "NDPR-OXIDE-FOB-CN")]
    pub code: String,
    #[schema(example = "NdPr oxide FOB China")]
    pub name: String,
    /// ISO 4217: the currency of the quotes. Terms in another currency are converted at the
    /// quotation month's mean FX fixing.
    #[schema(example = "USD")]
    pub currency: String,
    /// What one quote is for: `kg` or `t`.
    pub unit: IndexUnit,
    /// The VAT the quotes include, 0–30 % (Chinese domestic quotes include 13 %).
    pub vat_pct: Percent,
    /// Where the quotes come from.
    #[schema(example = "Asian Metal")]
    pub source: Option<String>,
    pub status: MasterStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Incremented on every change; the ETag is this number in quotes.
    #[schema(example = 1)]
    pub version: i64,
}

impl PriceIndex {
    /// How its quotes read: "USD per kg", "CNY per t, incl. 13 % VAT".
    pub fn basis_label(&self) -> String {
        let vat = self.vat_pct.value().normalize();
        if vat.is_zero() {
            format!("{} per {}", self.currency, self.unit.as_str())
        } else {
            format!(
                "{} per {}, incl. {vat} % VAT",
                self.currency,
                self.unit.as_str()
            )
        }
    }

    /// Whether a quote is a price per kg in its currency, as a formula price is.
    pub fn quotes_per_kg_net(&self) -> bool {
        self.unit == IndexUnit::Kg && self.vat_pct.value().is_zero()
    }

    /// The rules every price index satisfies, new or changed.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut checks = Checks::default();
        checks
            .check(
                is_code(&self.code),
                "code",
                "must be 1–40 of A–Z, 0–9, '-', '_', '.'",
            )
            .text(&self.name, "name", 200)
            .check(
                is_currency(&self.currency),
                "currency",
                format!("must be one of {}", CURRENCIES.join(", ")),
            )
            .check(
                self.vat_pct.value() <= rust_decimal::Decimal::from(MAX_VAT_PCT),
                "vat_pct",
                format!("must be between 0 and {MAX_VAT_PCT}"),
            );
        if let Some(source) = &self.source {
            checks.text(source, "source", 200);
        }
        checks.into_errors()
    }
}

/// One market quote.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    #[schema(example = "2026-10-15")]
    pub date: NaiveDate,
    /// The quote in the index's currency per its unit (kg or t), a decimal string (at most
    /// 4 dp), including the index's VAT if it has one.
    #[schema(example = "61.2500")]
    pub price: IndexPrice,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MonthlyAverage {
    #[schema(example = "2026-10")]
    pub period: Period,
    /// Mean of the month's quotes, 4 dp.
    #[schema(example = "62.3450")]
    pub average: String,
}

/// The filters of the list, shared by the operation that pages it and the table that
/// answers it.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PriceIndexFilter {
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only indices changed at or after this instant (RFC 3339), for incremental sync.
    pub updated_since: Option<DateTime<Utc>>,
    pub status: Option<MasterStatus>,
    pub currency: Option<String>,
    pub code: Option<String>,
}
