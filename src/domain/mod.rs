//! The business rules, free of HTTP and of the database: plain data and pure functions.

pub mod quantity;
pub mod reference;
pub mod role;

pub use quantity::{Percent, Price};
pub use role::{Permission, Role};
