//! An order's status follows its shipments.

use crate::db::{shipments, DbConnection};
use crate::domain::lifecycle::ShipmentStatus;
use crate::domain::order::{status_from_shipments, Order};
use crate::domain::shipment::Shipment;
use crate::error::OpError;
use crate::{lifecycle, Actor, Expect};

/// Records a shipment's change and moves its order's status (partially shipped, shipped,
/// delivered) to follow its shipments, with the order's own audit entry and event.
pub fn order_follows(
    conn: &mut DbConnection,
    actor: &Actor,
    shipment: &Shipment,
) -> Result<(), OpError> {
    let Some(order_id) = shipment.order_id else {
        return Ok(());
    };
    let order = crate::db::orders::find(conn, order_id)?;
    if !order.status.is_commitment() {
        return Ok(());
    }
    let ships = shipments::of_order(conn, order_id)?;
    let shipped = ships
        .iter()
        .filter(|(s, _)| *s != ShipmentStatus::Planned)
        .map(|(_, g)| *g)
        .fold(0, i64::saturating_add);
    let all_delivered =
        !ships.is_empty() && ships.iter().all(|(s, _)| *s == ShipmentStatus::Delivered);
    let next = status_from_shipments(order.grams(), shipped, all_delivered);
    if next == order.status {
        return Ok(());
    }
    lifecycle::change(
        conn,
        actor,
        order_id,
        &Expect::version(order.version),
        next.as_str(),
        |_, before: &Order, _| {
            let mut after = before.clone();
            after.status = next;
            Ok(after)
        },
    )?;
    Ok(())
}
