//! Users of the service and their roles.

pub mod store;
