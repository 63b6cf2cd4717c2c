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
