//! Market price indices (e.g. NdPr oxide FOB China) that index-linked pricing refers to.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::reference::{is_code, is_currency, MasterStatus, CURRENCIES};
use super::{Period, Price};
use crate::ids::PriceIndexId;
use crate::validation::{Checks, FieldError};

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
    /// ISO 4217; index-linked terms must be in the same currency.
    #[schema(example = "USD")]
    pub currency: String,
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
    /// Price per kg in the index currency, a decimal string (at most 4 dp).
    #[schema(example = "61.2500")]
    pub price: Price,
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
