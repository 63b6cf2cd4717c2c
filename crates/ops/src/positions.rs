//! Products' monthly positions checked against, or rebuilt from, the source rows: what
//! `ndpr-contracts positions check|rebuild` runs for an operator.

use crate::db::positions::{self, Drift};
use crate::db::DbConnection;
use crate::domain::Permission;
use crate::error::OpError;
use crate::Actor;

/// Every position that differs from what contracts, orders and approved plans say.
pub fn check(conn: &mut DbConnection, actor: &Actor) -> Result<Vec<Drift>, OpError> {
    actor.require(Permission::ManageUsers)?;
    positions::check(conn)
}

/// Rebuilds every position from the source rows (in the caller's transaction); the number of
/// (product, month) positions written.
pub fn rebuild(conn: &mut DbConnection, actor: &Actor) -> Result<usize, OpError> {
    actor.require(Permission::ManageUsers)?;
    positions::rebuild(conn)
}
