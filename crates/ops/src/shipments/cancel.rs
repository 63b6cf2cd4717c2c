use super::follow::order_follows;
use crate::action::ActionRequest;
use crate::db::DbConnection;
use crate::domain::lifecycle::ShipmentStatus;
use crate::domain::shipment::Shipment;
use crate::domain::Permission;
use crate::domain::ShipmentId;
use crate::error::OpError;
use crate::{lifecycle, Actor, Expect};

/// planned → cancelled, with a reason. Shipped goods are not cancelled.
pub fn cancel(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ShipmentId,
    expect: &Expect,
    cmd: &ActionRequest,
) -> Result<Shipment, OpError> {
    actor.require(Permission::WriteShipments)?;
    cmd.no_override("only confirmations run the ATP check")?;
    let reason = cmd.reason(true)?;
    let cancelled = lifecycle::change(
        conn,
        actor,
        id,
        expect,
        "cancelled",
        |_, before: &Shipment, note| {
            super::actions::status_allows(before, super::actions::ShipmentStep::Cancel)?;
            note.reason = reason;
            let mut after = before.clone();
            after.status = ShipmentStatus::Cancelled;
            Ok(after)
        },
    )?;
    order_follows(conn, actor, &cancelled)?;
    Ok(cancelled)
}
