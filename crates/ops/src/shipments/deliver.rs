use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::follow::order_follows;
use crate::db::DbConnection;
use crate::domain::lifecycle::ShipmentStatus;
use crate::domain::shipment::Shipment;
use crate::domain::Permission;
use crate::domain::ShipmentId;
use crate::error::OpError;
use crate::{lifecycle, Actor, Expect};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"delivered_on": "2027-02-03"}))]
pub struct DeliverRequest {
    pub delivered_on: NaiveDate,
}

/// shipped → delivered. When every shipment of an order is delivered and the order is fully
/// shipped, the order is delivered.
pub fn deliver(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ShipmentId,
    expect: &Expect,
    req: &DeliverRequest,
) -> Result<Shipment, OpError> {
    actor.require(Permission::WriteShipments)?;
    let delivered = lifecycle::change(
        conn,
        actor,
        id,
        expect,
        "delivered",
        |_, before: &Shipment, _| {
            super::actions::status_allows(before, super::actions::ShipmentStep::Deliver)?;
            if before.shipped_on.is_some_and(|s| req.delivered_on < s) {
                return Err(OpError::field(
                    "delivered_on",
                    "must not be before the ship date",
                ));
            }
            let mut after = before.clone();
            after.delivered_on = Some(req.delivered_on);
            after.status = ShipmentStatus::Delivered;
            Ok(after)
        },
    )?;
    order_follows(conn, actor, &delivered)?;
    Ok(delivered)
}
