//! Persistence: one diesel code base over SQLite (embedded default) and PostgreSQL (production).

pub mod connection;
pub mod counters;
pub mod models;
pub mod position;
pub mod quotes;
pub mod scaled;
pub mod schema;

pub use connection::{Backend, Db, DbConnection};

use chrono::{NaiveDateTime, Timelike, Utc};

/// The current instant in UTC, truncated to microseconds so that both backends store it alike.
pub fn now() -> NaiveDateTime {
    let t = Utc::now().naive_utc();
    t.with_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}
