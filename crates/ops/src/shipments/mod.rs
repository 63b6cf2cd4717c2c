//! Shipments against an order or a contract month: plan, change while planned, ship (drawing
//! an export licence where needed), deliver, cancel; the order's status follows.

mod actions;
mod cancel;
mod create;
mod deliver;
mod follow;
mod list;
mod ship;
mod target;
mod update;

pub use actions::{allowed_actions, ShipmentActions, ShipmentStep};
pub use cancel::cancel;
pub use create::{create, create_once, NewShipment};
pub use deliver::{deliver, DeliverRequest};
pub use list::{get, list, worklist, ShipmentFilter, ShipmentListing, ShipmentSearch};
pub use ship::{ship, ShipRequest};
pub use update::{update, ShipmentPatch};
