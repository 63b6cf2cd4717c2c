//! Spot and add-on orders: create, edit while draft, the lifecycle with confirmation against
//! available-to-promise, and the reads around them.

mod actions;
mod confirm;
mod create;
mod get;
mod lifecycle;
mod list;
mod parties;
mod place;
mod pricing;
mod risk;
mod split;
mod update;
mod upsert;
mod worklist;

pub use actions::{allowed_actions, OrderActions};
pub use confirm::confirm;
pub use create::{create, NewOrder};
pub use get::get;
pub use lifecycle::{cancel, reject, submit};
pub use list::{list, OrderFilter};
pub use place::{place, Placement, Placing};
pub use pricing::{pricing, OrderPricing};
pub use risk::{risk, OrderRisk, ShortMonth, RULE as RISK_RULE};
pub use split::{
    move_and_confirm, split, split_offer, MoveRequest, SplitOffer, SplitOrders, SplitRequest,
    LOOK_AHEAD_MONTHS,
};
pub use update::{update, OrderPatch};
pub use upsert::upsert;
pub use worklist::{worklist, OrderListing, OrderSearch};
