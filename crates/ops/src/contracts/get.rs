use crate::db::{contracts, DbConnection};
use crate::domain::contract::Contract;
use crate::domain::ContractId;
use crate::error::OpError;

/// A contract with its schedule.
pub fn get(conn: &mut DbConnection, id: ContractId) -> Result<Contract, OpError> {
    contracts::find(conn, id)
}
