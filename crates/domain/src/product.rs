//! What the plants make and the desk sells (NdPr oxide, NdPr metal, …).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::reference::{is_code, is_hs_code, MasterStatus, ProductForm};
use super::Percent;
use crate::ids::ProductId;
use crate::validation::{Checks, FieldError};

/// A product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Product {
    #[schema(value_type = uuid::Uuid)]
    pub id: ProductId,
    /// Unique business code.
    #[schema(example = "NDPR-OXIDE")]
    pub code: String,
    #[schema(example = "NdPr oxide 99.5 %")]
    pub name: String,
    pub form: ProductForm,
    /// Minimum purity in percent, a decimal string.
    #[schema(example = "99.5")]
    pub min_purity_pct: Option<Percent>,
    /// Harmonized System tariff code.
    #[schema(example = "2846.90")]
    pub hs_code: Option<String>,
    /// Shipping it needs an export licence.
    pub export_controlled: bool,
    /// The ERP's identifier, unique among products.
    #[schema(example = "MAT-4711")]
    pub external_ref: Option<String>,
    pub status: MasterStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Incremented on every change; the ETag is this number in quotes.
    #[schema(example = 1)]
    pub version: i64,
}

impl Product {
    /// The rules every product satisfies, new or changed.
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
                self.min_purity_pct
                    .is_none_or(|p| (Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&p.value())),
                "min_purity_pct",
                "must be between 0 and 100",
            );
        if let Some(hs) = &self.hs_code {
            checks.check(
                is_hs_code(hs),
                "hs_code",
                "must be 6–10 digits, dots allowed (2846.90)",
            );
        }
        if let Some(ext) = &self.external_ref {
            checks.text(ext, "external_ref", 100);
        }
        checks.into_errors()
    }
}

/// The filters of the list, shared by the operation that pages it and the table that
/// answers it.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProductFilter {
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only products changed at or after this instant (RFC 3339), for incremental sync.
    pub updated_since: Option<DateTime<Utc>>,
    pub status: Option<MasterStatus>,
    pub form: Option<ProductForm>,
    pub export_controlled: Option<bool>,
    pub code: Option<String>,
    pub external_ref: Option<String>,
}
