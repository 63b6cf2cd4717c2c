//! The contract lifecycle: draft → active ⇄ suspended; active or suspended → completed or
//! terminated. Activation, with its ATP gate, is in `activate`.

use crate::action::ActionRequest;
use crate::atp;
use crate::db::DbConnection;
use crate::domain::contract::Contract;
use crate::domain::lifecycle::ContractAction;
use crate::domain::ContractId;
use crate::domain::Permission;
use crate::error::OpError;
use crate::lifecycle::{self, Note};
use crate::{Actor, Expect};

/// Moves a contract by `action`, refusing moves its status does not allow (409); `check`
/// runs before the move is saved.
pub(super) fn transition(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ContractId,
    expect: &Expect,
    action: ContractAction,
    check: impl FnOnce(&mut DbConnection, &Contract, &mut Note) -> Result<(), OpError>,
) -> Result<Contract, OpError> {
    lifecycle::change(
        conn,
        actor,
        id,
        expect,
        action.past(),
        |conn, before: &Contract, note| {
            let to = super::actions::status_allows(before, action)?;
            check(conn, before, note)?;
            let mut after = before.clone();
            after.status = to;
            // Completing or terminating ends the contract this month: the months from this one
            // on are released.
            if matches!(action, ContractAction::Complete | ContractAction::Terminate) {
                after.ended_period = Some(crate::domain::clock::current_period());
            }
            Ok(after)
        },
    )
}

fn simple(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ContractId,
    expect: &Expect,
    cmd: &ActionRequest,
    action: ContractAction,
) -> Result<Contract, OpError> {
    atp::authority(actor, Permission::WriteContracts, cmd)?;
    super::actions::role_may(actor, action, cmd.atp_override)?;
    cmd.no_override("only activation runs the ATP check")?;
    let reason = cmd.reason(action == ContractAction::Terminate)?;
    transition(conn, actor, id, expect, action, |_, _, note| {
        note.reason = reason;
        Ok(())
    })
}

/// active → suspended. A suspended contract's schedule still counts as demand.
pub fn suspend(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ContractId,
    expect: &Expect,
    cmd: &ActionRequest,
) -> Result<Contract, OpError> {
    simple(conn, actor, id, expect, cmd, ContractAction::Suspend)
}

/// suspended → active.
pub fn resume(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ContractId,
    expect: &Expect,
    cmd: &ActionRequest,
) -> Result<Contract, OpError> {
    simple(conn, actor, id, expect, cmd, ContractAction::Resume)
}

/// active or suspended → completed: its schedule no longer counts as demand, and its months
/// from this one on are no longer owed (`ended_period`).
pub fn complete(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ContractId,
    expect: &Expect,
    cmd: &ActionRequest,
) -> Result<Contract, OpError> {
    simple(conn, actor, id, expect, cmd, ContractAction::Complete)
}

/// active or suspended → terminated, with a reason: its schedule no longer counts as demand,
/// and its months from this one on are no longer owed (`ended_period`).
pub fn terminate(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ContractId,
    expect: &Expect,
    cmd: &ActionRequest,
) -> Result<Contract, OpError> {
    simple(conn, actor, id, expect, cmd, ContractAction::Terminate)
}
