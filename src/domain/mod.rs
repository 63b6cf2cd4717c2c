//! The business rules, free of HTTP and of the database: plain data and pure functions.

pub mod fulfilment;
pub mod lifecycle;
pub mod period;
pub mod plan;
pub mod pricing;
pub mod pricing_terms;
pub mod quantity;
pub mod reconciliation;
pub mod reference;
pub mod role;

pub use period::Period;
pub use quantity::{Factor, Kg, Percent, Price};
pub use role::{Permission, Role};
