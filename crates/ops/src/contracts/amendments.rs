use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{contracts, DbConnection};
use crate::domain::contract::Amendment;
use crate::domain::ContractId;
use crate::error::OpError;

#[derive(Debug, Serialize, ToSchema)]
pub struct AmendmentList {
    pub items: Vec<Amendment>,
}

/// Who changed the schedule of the active contract, when, why, from what to what; oldest first.
pub fn amendments(conn: &mut DbConnection, id: ContractId) -> Result<AmendmentList, OpError> {
    contracts::find(conn, id)?;
    Ok(AmendmentList {
        items: contracts::amendments(conn, id)?,
    })
}
