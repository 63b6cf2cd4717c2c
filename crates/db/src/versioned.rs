//! The one version-checked save: a change is written only if the row is still at the version
//! it was read at, so concurrent writers on any number of instances never overwrite each other.

use crate::error::{OpError, Stale};
use crate::DbConnection;

/// A row with an `id` and a `version` column.
pub trait VersionedRow {
    /// Writes the row where `id` matches and `version` is still `expected`; the rows written.
    fn update_if_version(
        &self,
        conn: &mut DbConnection,
        expected: i64,
    ) -> diesel::QueryResult<usize>;
}

/// Implements [`VersionedRow`] for a row type of a table with `id` and `version` columns.
macro_rules! versioned_row {
    ($row:ty, $table:ident) => {
        impl $crate::versioned::VersionedRow for $row {
            fn update_if_version(
                &self,
                conn: &mut $crate::DbConnection,
                expected: i64,
            ) -> diesel::QueryResult<usize> {
                use diesel::prelude::*;
                use $crate::schema::$table as t;
                let written: Vec<i64> = $crate::prepared::Prepared(
                    diesel::update(
                        t::table
                            .filter(t::id.eq(&self.id))
                            .filter(t::version.eq(expected)),
                    )
                    .set(self)
                    .returning(t::version),
                )
                .get_results(conn)?;
                Ok(written.len())
            }
        }
        $crate::page::keyed_row!($row);
    };
}
pub(crate) use versioned_row;

/// Writes `after` if its row is still at `before_version`; 412 naming `what` otherwise.
pub fn save<R: VersionedRow>(
    conn: &mut DbConnection,
    what: &'static str,
    before_version: i64,
    after: &R,
) -> Result<(), OpError> {
    if after.update_if_version(conn, before_version)? == 0 {
        return Err(OpError::PreconditionFailed(Stale::Concurrent { what }));
    }
    Ok(())
}
