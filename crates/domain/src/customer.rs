//! Buyers, synchronised with the ERP through `external_ref`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::reference::{is_code, is_country, MasterStatus};
use crate::ids::CustomerId;
use crate::validation::{Checks, FieldError};

/// A buyer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Customer {
    #[schema(value_type = uuid::Uuid)]
    pub id: CustomerId,
    /// Unique business code.
    #[schema(example = "JP-MAGNETICS")]
    pub code: String,
    #[schema(example = "Nippon Magnetics K.K.")]
    pub name: String,
    /// ISO 3166-1 alpha-2.
    #[schema(example = "JP")]
    pub country: String,
    /// The ERP's identifier, unique among customers.
    #[schema(example = "SAP-100234")]
    pub external_ref: Option<String>,
    pub status: MasterStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Incremented on every change; the ETag is this number in quotes.
    #[schema(example = 1)]
    pub version: i64,
}

impl Customer {
    /// The rules every customer satisfies, new or changed.
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
                is_country(&self.country),
                "country",
                "must be an ISO 3166-1 alpha-2 code such as JP",
            );
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
pub struct CustomerFilter {
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only customers changed at or after this instant (RFC 3339), for incremental sync.
    pub updated_since: Option<DateTime<Utc>>,
    pub status: Option<MasterStatus>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub code: Option<String>,
    pub external_ref: Option<String>,
}
