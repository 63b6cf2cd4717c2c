//! Table rows as diesel reads and writes them: ids, periods and statuses as text, quantities
//! and prices as scaled integers. `db` turns them into domain entities, parsing each value once
//! and refusing corrupt data.

pub mod contract;
pub mod customer;
pub mod order;
pub mod plan;
pub mod price_index;
pub mod product;
pub mod settlement;
pub mod shipment;
pub mod user;

pub use contract::ContractRow;
pub use customer::CustomerRow;
pub use order::OrderRow;
pub use plan::PlanRow;
pub use price_index::{FxRateRow, PriceIndexRow, PriceQuoteRow};
pub use product::ProductRow;
pub use settlement::SettlementRow;
pub use shipment::{LicenceRow, ShipmentRow};
pub use user::UserRow;
