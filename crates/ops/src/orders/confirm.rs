use std::collections::BTreeMap;

use super::parties::{self, Parties};
use crate::action::ActionRequest;
use crate::atp;
use crate::db::DbConnection;
use crate::domain::lifecycle::OrderAction;
use crate::domain::order::Order;
use crate::domain::OrderId;
use crate::domain::Permission;
use crate::error::OpError;
use crate::{Actor, Expect};

/// draft or submitted → confirmed, after the ATP gate for the order's product and month:
/// refused with the numbers when it would create or deepen a shortfall, unless a planner or
/// admin overrides it with a reason. A planner confirms only past a refusal.
pub fn confirm(
    conn: &mut DbConnection,
    actor: &Actor,
    id: OrderId,
    expect: &Expect,
    cmd: &ActionRequest,
) -> Result<Order, OpError> {
    let authority = atp::authority(actor, Permission::WriteOrders, cmd)?;
    let reason = cmd.reason(false)?;
    super::lifecycle::transition(
        conn,
        actor,
        id,
        expect,
        OrderAction::Confirm,
        |conn, before, after, note| {
            let (errors, _) = parties::check(conn, &Parties::of(before))?;
            if let Some(e) = errors.first() {
                return Err(OpError::conflict(format!(
                    "cannot confirm: {}: {}",
                    e.field, e.message
                )));
            }
            let extra = BTreeMap::from([(before.period, before.grams())]);
            note.reason = reason;
            note.atp_override =
                atp::gate(conn, authority, before.product_id, &extra, cmd.atp_override)?;
            after.confirmed_at = Some(note.at);
            Ok(())
        },
    )
}
