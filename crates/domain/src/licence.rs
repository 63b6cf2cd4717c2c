//! Export licences that export-controlled shipments draw down.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Kg;
use crate::ids::{CustomerId, LicenceId, ProductId};

/// `active` until revoked or past `valid_to` (then `expired`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LicenceStatus {
    Active,
    Expired,
    Revoked,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExportLicence {
    #[schema(value_type = uuid::Uuid)]
    pub id: LicenceId,
    #[schema(example = "MOFCOM-2026-00417")]
    pub number: String,
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    #[schema(value_type = uuid::Uuid)]
    pub customer_id: CustomerId,
    #[schema(example = "20000.000")]
    pub quantity_kg: Kg,
    /// Drawn by shipped shipments.
    #[schema(example = "5000.000")]
    pub shipped_kg: Kg,
    #[schema(example = "15000.000")]
    pub remaining_kg: Kg,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub status: LicenceStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A licence's status on `today`: revoked stays revoked; past `valid_to` it has expired.
pub fn status(revoked: bool, valid_to: NaiveDate, today: NaiveDate) -> LicenceStatus {
    if revoked {
        LicenceStatus::Revoked
    } else if valid_to < today {
        LicenceStatus::Expired
    } else {
        LicenceStatus::Active
    }
}

impl ExportLicence {
    pub fn revoked(&self) -> bool {
        self.status == LicenceStatus::Revoked
    }

    /// Whether the licence covers a shipment on `date`.
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        date >= self.valid_from && date <= self.valid_to
    }
}

/// Filters every list accepts.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LicenceFilter {
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only items changed at or after this instant (RFC 3339), for incremental sync.
    pub updated_since: Option<DateTime<Utc>>,
    /// Only items with this status: `active` or `revoked`.
    #[param(pattern = "^(active|revoked)$")]
    pub status: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        assert_eq!(
            status(true, d("2030-01-01"), d("2026-01-01")),
            LicenceStatus::Revoked
        );
        assert_eq!(
            status(false, d("2025-12-31"), d("2026-01-01")),
            LicenceStatus::Expired
        );
        assert_eq!(
            status(false, d("2026-01-01"), d("2026-01-01")),
            LicenceStatus::Active
        );
    }
}
