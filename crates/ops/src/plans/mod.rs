//! Production plan versions: created as drafts listing only what they change, previewed, and
//! approved in turn.

mod approve;
mod create;
mod impact;
mod list;

pub use approve::{approve, PlanApproval};
pub use create::{create, NewPlan, MAX_LINES};
pub use impact::{impact, named_orders_at_risk, orders_at_risk, PlanImpact, ProductImpact};
pub use list::{get, list, PlanFilter};
