pub use crate::domain::production::PlanFilter;

use crate::db::{plans, DbConnection};
use crate::domain::lifecycle::PlanStatus;
use crate::domain::production::ProductionPlan;
use crate::domain::PlanId;
use crate::error::OpError;
use crate::page::{Page, PageRequest};

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
    let (items, next) = plans::list(conn, f, status, page.limit, page.cursor.as_ref())?;
    Ok(Page::new(items, next))
}

pub fn get(conn: &mut DbConnection, id: PlanId) -> Result<ProductionPlan, OpError> {
    plans::find(conn, id)
}
