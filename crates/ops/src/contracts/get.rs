use crate::db::{contracts, DbConnection};
use crate::domain::contract::Contract;
use crate::error::OpError;

/// A contract with its schedule.
pub fn get(conn: &mut DbConnection, id: uuid::Uuid) -> Result<Contract, OpError> {
    contracts::find(conn, id)
}
