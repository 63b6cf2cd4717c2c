//! Long-term contracts: create, edit while draft, replace the schedule (an amendment once
//! active), the lifecycle with its ATP gate, and the reads around them.

mod actions;
mod activate;
mod amendments;
mod create;
mod fulfilment;
mod get;
mod lifecycle;
mod list;
mod pricing;
mod schedule;
mod terms;
mod update;
mod upsert;

pub use actions::{allowed_actions, ContractActions};
pub use activate::activate;
pub use amendments::{amendments, AmendmentList};
pub use create::{create, NewContract};
pub use fulfilment::{fulfilment, Fulfilment, FulfilmentRow};
pub use get::get;
pub use lifecycle::{complete, resume, suspend, terminate};
pub use list::{
    labels, list, worklist, ContractFilter, ContractLabel, ContractListing, ContractSearch,
};
pub use pricing::{pricing, ContractPricing, PricedMonth};
pub use schedule::{replace_schedule, ScheduleReplacement};
pub use update::{update, ContractPatch};
pub use upsert::upsert;
