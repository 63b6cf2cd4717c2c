//! Named sequences kept in the database. Taking a number locks the counter row until commit,
//! so numbers follow commit order across instances.

use diesel::prelude::*;

use crate::db::prepared::Prepared;
use crate::db::schema::counters;
use crate::db::DbConnection;
use crate::error::OpError;

pub fn next(conn: &mut DbConnection, name: &str) -> Result<i64, OpError> {
    Ok(Prepared(
        diesel::update(counters::table.find(name))
            .set(counters::value.eq(counters::value + 1))
            .returning(counters::value),
    )
    .get_result(conn)?)
}
