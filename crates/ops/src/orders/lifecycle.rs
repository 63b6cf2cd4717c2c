//! The order lifecycle taken through the API: draft → submitted → confirmed; rejected;
//! cancelled. Confirmation, with its ATP gate, is in `confirm`; shipping states follow the
//! order's shipments.

use crate::action::ActionRequest;
use crate::atp;
use crate::db::DbConnection;
use crate::domain::lifecycle::OrderAction;
use crate::domain::order::Order;
use crate::domain::OrderId;
use crate::domain::Permission;
use crate::error::OpError;
use crate::lifecycle::{self, Note};
use crate::{Actor, Expect};

/// Moves an order by `action`, refusing moves its status does not allow (409); `check` runs
/// before the move is saved and may change the new state further.
pub(super) fn transition(
    conn: &mut DbConnection,
    actor: &Actor,
    id: OrderId,
    expect: &Expect,
    action: OrderAction,
    check: impl FnOnce(&mut DbConnection, &Order, &mut Order, &mut Note) -> Result<(), OpError>,
) -> Result<Order, OpError> {
    lifecycle::change(
        conn,
        actor,
        id,
        expect,
        action.past(),
        |conn, before: &Order, note| {
            let to = super::actions::status_allows(before, action)?;
            let mut after = before.clone();
            check(conn, before, &mut after, note)?;
            after.status = to;
            Ok(after)
        },
    )
}

fn simple(
    conn: &mut DbConnection,
    actor: &Actor,
    id: OrderId,
    expect: &Expect,
    cmd: &ActionRequest,
    action: OrderAction,
) -> Result<Order, OpError> {
    atp::authority(actor, Permission::WriteOrders, cmd)?;
    super::actions::role_may(actor, action, cmd.atp_override)?;
    let reason = cmd.reason(matches!(action, OrderAction::Cancel | OrderAction::Reject))?;
    cmd.no_override("only confirmation runs the ATP check")?;
    transition(conn, actor, id, expect, action, |_, _, _, note| {
        note.reason = reason;
        Ok(())
    })
}

/// draft → submitted: ready for confirmation, still pending rather than demand.
pub fn submit(
    conn: &mut DbConnection,
    actor: &Actor,
    id: OrderId,
    expect: &Expect,
    cmd: &ActionRequest,
) -> Result<Order, OpError> {
    simple(conn, actor, id, expect, cmd, OrderAction::Submit)
}

/// submitted → rejected, with a reason.
pub fn reject(
    conn: &mut DbConnection,
    actor: &Actor,
    id: OrderId,
    expect: &Expect,
    cmd: &ActionRequest,
) -> Result<Order, OpError> {
    simple(conn, actor, id, expect, cmd, OrderAction::Reject)
}

/// draft, submitted or confirmed → cancelled, with a reason; a confirmed order's quantity
/// becomes available to promise again.
pub fn cancel(
    conn: &mut DbConnection,
    actor: &Actor,
    id: OrderId,
    expect: &Expect,
    cmd: &ActionRequest,
) -> Result<Order, OpError> {
    simple(conn, actor, id, expect, cmd, OrderAction::Cancel)
}
