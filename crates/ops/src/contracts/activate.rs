use crate::action::ActionRequest;
use crate::atp;
use crate::db::DbConnection;
use crate::domain::contract::Contract;
use crate::domain::lifecycle::ContractAction;
use crate::domain::ContractId;
use crate::domain::Permission;
use crate::error::OpError;
use crate::{Actor, Expect};

/// draft → active, after every scheduled month passes the ATP gate: refused with the numbers
/// when it would create or deepen a shortfall, unless a planner or admin overrides it.
pub fn activate(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ContractId,
    expect: &Expect,
    cmd: &ActionRequest,
) -> Result<Contract, OpError> {
    let authority = atp::authority(actor, Permission::WriteContracts, cmd)?;
    let reason = cmd.reason(false)?;
    super::lifecycle::transition(
        conn,
        actor,
        id,
        expect,
        ContractAction::Activate,
        |conn, before, note| {
            note.reason = reason;
            note.atp_override = atp::gate(
                conn,
                authority,
                before.product_id,
                &before.grams(),
                cmd.atp_override,
            )?;
            Ok(())
        },
    )
}
