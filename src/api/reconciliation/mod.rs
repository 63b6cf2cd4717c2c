//! `/api/v1/reconciliation` and `/api/v1/atp`: supply against demand per product and month.

mod atp;
mod report;
mod summary;
pub mod view;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(report::get_reconciliation)
        .service(summary::get_reconciliation_summary)
        .service(atp::get_atp);
}

use crate::domain::Period;
use crate::error::ApiError;

/// A month range of a report: `from` ≤ `to`, at most ten years.
pub fn check_range(from: Option<Period>, to: Option<Period>) -> Result<(), ApiError> {
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(ApiError::field("from", "must not be after `to`"));
        }
        if f.months_until(t) >= 120 {
            return Err(ApiError::field("to", "a report spans at most 120 months"));
        }
    }
    Ok(())
}
