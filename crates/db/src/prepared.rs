//! UPDATE statements prepared once per connection and reused.
//!
//! Diesel keeps every statement it may cache prepared on its connection, but it never caches an
//! UPDATE: an update built from a changeset with optional columns may take as many shapes as
//! there are combinations of skipped columns. The updates this service runs on its hot paths
//! have a handful of shapes each (a versioned save of a row type, a position's deltas, a
//! counter), so [`Prepared`] lets them be cached keyed by their SQL like any other query, one
//! prepared statement per shape. On PostgreSQL this spares the parsing and planning of each
//! update inside the transaction — while a confirmation holds its product's lock.

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::{QueryResult, RunQueryDsl};

/// A statement of a bounded set of shapes, cached by its SQL even where diesel would not.
///
/// Run it by value — `get_result`, `get_results` or `load`, so an UPDATE says what it wrote
/// with `RETURNING` — not with `execute`: `execute` hands the connection a reference, and
/// through a reference diesel asks the UPDATE inside, which always answers that it may not be
/// cached.
#[derive(Debug, Clone, Copy)]
pub struct Prepared<Q>(pub Q);

impl<Q> QueryId for Prepared<Q> {
    // Keyed by the SQL it produces: one cache entry per shape.
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<DB: Backend, Q: QueryFragment<DB>> QueryFragment<DB> for Prepared<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &DB) -> QueryResult<bool> {
        Ok(true)
    }
}

impl<Q: Query> Query for Prepared<Q> {
    type SqlType = Q::SqlType;
}

impl<Q, Conn> RunQueryDsl<Conn> for Prepared<Q> {}
