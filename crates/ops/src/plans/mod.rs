//! Production plan versions: created as drafts listing only what they change, previewed, and
//! approved in turn.

mod actions;
mod approve;
mod create;
mod impact;
mod list;

pub use actions::{allowed_actions, PlanActions};
pub use approve::{approve, PlanApproval};
pub use create::{create, create_once, NewPlan, MAX_LINES};
pub use impact::{impact, named_orders_at_risk, orders_at_risk, PlanImpact, ProductImpact};
pub use list::{get, list, PlanFilter};
