//! The production side: plan versions, recorded output and opening stock.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::lifecycle::PlanStatus;
use super::{Kg, Period};
use crate::ids::{PlanId, ProductId};

/// Planned output of one product in one month.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanLine {
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    #[schema(example = "2027-03")]
    pub period: Period,
    /// May be zero (a shutdown).
    #[schema(example = "50000.000")]
    pub planned_kg: Kg,
}

/// A production plan version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductionPlan {
    #[schema(value_type = uuid::Uuid)]
    pub id: PlanId,
    /// 1, 2, 3, … in order of creation.
    #[schema(example = 3)]
    pub version_no: i64,
    #[schema(example = "Q2 revision after the Baotou furnace outage")]
    pub note: String,
    pub status: PlanStatus,
    /// Only what this version sets; months it does not mention keep earlier versions' values.
    pub lines: Vec<PlanLine>,
    pub approved_at: Option<DateTime<Utc>>,
    pub approved_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// Which monthly quantity of a product: recorded output, or stock at the start of the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthlyKind {
    /// Output recorded after a month closes; it replaces the plan as the month's supply.
    Actual,
    /// Stock at the start of a month; projections restart from it.
    Snapshot,
}

impl MonthlyKind {
    /// The entity name in the audit trail and the event feed.
    pub fn entity(self) -> &'static str {
        match self {
            MonthlyKind::Actual => "production_actual",
            MonthlyKind::Snapshot => "stock_snapshot",
        }
    }
}

/// One product's quantity in one month, as stored for either kind.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthlyQuantity {
    pub product_id: ProductId,
    pub period: Period,
    pub quantity: Kg,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A month's recorded output of a product.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductionActual {
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    #[schema(example = "2026-10")]
    pub period: Period,
    #[schema(example = "47250.500")]
    pub actual_kg: Kg,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// Stock of a product at the start of a month.
#[derive(Debug, Serialize, ToSchema)]
pub struct StockSnapshot {
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    #[schema(example = "2026-11")]
    pub period: Period,
    #[schema(example = "18500.000")]
    pub quantity_kg: Kg,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl From<&MonthlyQuantity> for ProductionActual {
    fn from(m: &MonthlyQuantity) -> ProductionActual {
        ProductionActual {
            product_id: m.product_id,
            period: m.period,
            actual_kg: m.quantity,
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
        }
    }
}

impl From<&MonthlyQuantity> for StockSnapshot {
    fn from(m: &MonthlyQuantity) -> StockSnapshot {
        StockSnapshot {
            product_id: m.product_id,
            period: m.period,
            quantity_kg: m.quantity,
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
        }
    }
}

/// Filters every list accepts.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PlanFilter {
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only items changed at or after this instant (RFC 3339), for incremental sync.
    pub updated_since: Option<DateTime<Utc>>,
    /// Only items with this status: `draft`, `approved` or `superseded`.
    #[param(pattern = "^(draft|approved|superseded)$")]
    pub status: Option<String>,
}
