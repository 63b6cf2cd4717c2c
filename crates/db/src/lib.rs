#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]
//! Persistence: one diesel code base over SQLite (embedded default) and PostgreSQL (production).
//! Each table has one module; rows become domain entities here, parsed once and strictly.

pub use ndpr_domain as domain;

pub mod backup;
pub mod changes;
pub mod connection;
pub mod contracts;
pub mod counters;
pub mod customers;
pub mod deliveries;
pub mod error;
pub mod exposure;
pub mod fault;
pub mod feed;
pub mod fx_rates;
pub mod idempotency;
pub mod licences;
pub mod master;
pub mod monthly;
pub mod orders;
pub mod page;
pub mod parse;
pub mod plans;
pub mod positions;
pub mod prepared;
pub mod price_indices;
pub mod product_position;
pub mod products;
pub mod quotes;
pub mod rows;
pub mod schema;
pub mod settlements;
pub mod shipments;
pub mod throttle;
pub mod users;
pub mod versioned;
pub mod webhooks;
pub mod worklist;

pub use connection::{Backend, Db, DbConnection, DbSettings};

use chrono::{NaiveDateTime, Timelike, Utc};

/// The current instant in UTC, truncated to microseconds so that both backends store it alike.
pub fn now() -> NaiveDateTime {
    let t = Utc::now().naive_utc();
    t.with_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

/// The same instant as a UTC date-time, for entities.
pub fn now_utc() -> chrono::DateTime<Utc> {
    now().and_utc()
}
