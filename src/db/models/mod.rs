//! Table rows and the queries on them.

pub mod contract;
pub mod customer;
pub mod order;
pub mod plan;
pub mod price_index;
pub mod product;
pub mod shipment;

use chrono::NaiveDateTime;

/// Columns every resource row has, for pagination and ETags.
pub trait Versioned {
    fn id(&self) -> &str;
    fn created_at(&self) -> NaiveDateTime;
    fn version(&self) -> i64;
}

macro_rules! versioned {
    ($row:ty) => {
        impl $crate::db::models::Versioned for $row {
            fn id(&self) -> &str {
                &self.id
            }
            fn created_at(&self) -> chrono::NaiveDateTime {
                self.created_at
            }
            fn version(&self) -> i64 {
                self.version
            }
        }
    };
}
pub(crate) use versioned;
