//! Named sequences kept in the database. Taking a number locks the counter row until commit,
//! so numbers follow commit order across instances.

use diesel::prelude::*;

use crate::error::OpError;
use crate::prepared::Prepared;
use crate::schema::counters;
use crate::DbConnection;

pub fn next(conn: &mut DbConnection, name: &str) -> Result<i64, OpError> {
    Ok(Prepared(
        diesel::update(counters::table.find(name))
            .set(counters::value.eq(counters::value + 1))
            .returning(counters::value),
    )
    .get_result(conn)?)
}

/// The counter's current value, without taking a number (0 when it was never taken).
pub fn current(conn: &mut DbConnection, name: &str) -> Result<i64, OpError> {
    Ok(counters::table
        .find(name)
        .select(counters::value)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}
