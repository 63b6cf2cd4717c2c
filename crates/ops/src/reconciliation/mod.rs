//! Supply against demand per product and month: the reconciliation, its summary across
//! products, and available-to-promise.

mod at_risk;
mod atp;
mod report;
mod summary;
mod view;

pub use at_risk::{
    orders_at_risk, AtRiskNames, AtRiskQuery, OrderAtRisk, OrdersAtRisk, MAX_AT_RISK,
};
pub use atp::{atp, horizon, Atp, AtpHorizon, AtpMonth, AtpQuery, HorizonQuery};
pub use report::{reconcile, Reconciliation, ReconciliationQuery};
pub use summary::{summary, ProductSummary, ReconciliationSummary, SummaryCell, SummaryQuery};
pub use view::ReconciliationRow;

use crate::domain::period::range_problem;
use crate::domain::Period;
use crate::error::OpError;

/// A month range of a report: `from` ≤ `to`, at most ten years.
pub fn check_range(from: Option<Period>, to: Option<Period>) -> Result<(), OpError> {
    match range_problem(from, to) {
        Some(e) => Err(OpError::Validation(vec![e])),
        None => Ok(()),
    }
}
