use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::db::{plans, DbConnection};
use crate::domain::lifecycle::PlanStatus;
use crate::domain::production::ProductionPlan;
use crate::domain::PlanId;
use crate::error::OpError;
use crate::page::{Page, PageRequest};

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

/// Plan versions in order of creation; `status` filters by draft, approved or superseded.
pub fn list(conn: &mut DbConnection, f: &PlanFilter) -> Result<Page<ProductionPlan>, OpError> {
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    let status = match f.status.as_deref() {
        None => None,
        Some(s) => Some(
            PlanStatus::parse(s)
                .ok_or_else(|| OpError::field("status", "must be draft, approved or superseded"))?,
        ),
    };
    let filter = plans::Filter {
        status,
        updated_since: f.updated_since,
    };
    let (items, next) = plans::list(conn, &filter, page.limit, page.cursor.as_ref())?;
    Ok(Page::new(items, next))
}

pub fn get(conn: &mut DbConnection, id: PlanId) -> Result<ProductionPlan, OpError> {
    plans::find(conn, id)
}
