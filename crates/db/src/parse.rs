//! Values read from the database are parsed once, strictly: corrupt stored data is an error,
//! never a nil id, a draft order or an empty schedule.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::de::DeserializeOwned;

use crate::domain::{EntityId, Period};
use crate::error::OpError;

pub fn uuid(value: &str, what: &str) -> Result<uuid::Uuid, OpError> {
    uuid::Uuid::parse_str(value).map_err(|_| OpError::corrupt(what, "a row", value))
}

pub fn opt_uuid(value: Option<&str>, what: &str) -> Result<Option<uuid::Uuid>, OpError> {
    value.map(|v| uuid(v, what)).transpose()
}

/// An entity id.
pub fn id<T: EntityId>(value: &str, what: &str) -> Result<T, OpError> {
    uuid(value, what).map(T::from_uuid)
}

pub fn opt_id<T: EntityId>(value: Option<&str>, what: &str) -> Result<Option<T>, OpError> {
    value.map(|v| id(v, what)).transpose()
}

pub fn period(value: &str, what: &str) -> Result<Period, OpError> {
    Period::parse(value).ok_or_else(|| OpError::corrupt(what, "a row", value))
}

/// A status or other enumerated value, through its `parse`.
pub fn status<T>(value: &str, what: &str, parse: fn(&str) -> Option<T>) -> Result<T, OpError> {
    parse(value).ok_or_else(|| OpError::corrupt(what, "a row", value))
}

/// A JSON column.
pub fn json<T: DeserializeOwned>(value: &str, what: &str) -> Result<T, OpError> {
    serde_json::from_str(value).map_err(|_| OpError::corrupt(what, "a row", value))
}

/// A stored instant (UTC).
pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// An instant to store: UTC, truncated to microseconds like the database keeps it.
pub fn naive(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_values_are_errors() {
        assert!(uuid("not-a-uuid", "orders.id").is_err());
        assert!(period("2026-13", "orders.period").is_err());
        assert!(status(
            "shipping",
            "orders.status",
            crate::domain::lifecycle::OrderStatus::parse
        )
        .is_err());
        assert!(json::<Vec<String>>("{", "shipments.lots_json").is_err());
        assert!(uuid("6aab728c-5d25-46c0-b1b1-b708c14db466", "x").is_ok());
    }
}
