#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]
//! The business rules and entities, free of HTTP and of the database: plain data and pure
//! functions, unit- and property-tested.

pub mod clock;
pub mod contract;
pub mod customer;
pub mod exposure;
pub mod feed;
pub mod field_path;
pub mod fulfilment;
pub mod fx;
pub mod ids;
pub mod licence;
pub mod lifecycle;
pub mod order;
pub mod period;
pub mod plan;
pub mod position;
pub mod price_index;
pub mod pricing;
pub mod pricing_terms;
pub mod product;
pub mod production;
pub mod quantity;
pub mod reconciliation;
pub mod reference;
pub mod role;
pub mod settlement;
pub mod shipment;
pub mod split;
pub mod user;
pub mod validation;
pub mod webhook;
pub mod worklist;

pub use ids::{
    ContractId, CustomerId, DeliveryId, EntityId, LicenceId, OrderId, PlanId, PriceIndexId,
    ProductId, ShipmentId, UserId, WebhookId,
};
pub use period::Period;
pub use quantity::{
    AssayValue, Factor, FxRate, IndexPrice, Kg, KgAmount, Percent, Price, PriceAmount,
};
pub use role::{Permission, Role};
