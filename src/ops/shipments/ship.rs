use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::follow::order_follows;
use crate::db::{licences, products, DbConnection};
use crate::domain::lifecycle::ShipmentStatus;
use crate::domain::shipment::Shipment;
use crate::domain::Permission;
use crate::error::{Checks, OpError};
use crate::ops::{lifecycle, Actor, Expect};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"shipped_on": "2027-01-14", "vessel": "COSCO Shipping Aries", "voyage": "042E", "bl_number": "COSU6123456780", "containers": ["CSNU1234567"]}))]
pub struct ShipRequest {
    pub shipped_on: NaiveDate,
    #[schema(max_length = 200)]
    pub vessel: String,
    #[schema(max_length = 100)]
    pub voyage: Option<String>,
    #[schema(max_length = 100)]
    pub bl_number: String,
    #[serde(default)]
    #[schema(max_items = 500)]
    pub containers: Vec<String>,
    /// The licence to ship under, if not set on the shipment already.
    pub export_licence_id: Option<uuid::Uuid>,
}

fn licence_refused(
    detail: String,
    extensions: serde_json::Map<String, serde_json::Value>,
) -> OpError {
    OpError::Conflict {
        kind: "export-licence",
        detail,
        extensions,
    }
}

/// Draws the shipment's quantity from its licence, which must be for its product and customer,
/// not revoked, valid on the ship date and with enough remaining.
fn draw_licence(
    conn: &mut DbConnection,
    licence_id: uuid::Uuid,
    s: &Shipment,
    shipped_on: NaiveDate,
) -> Result<(), OpError> {
    let licence = licences::find(conn, licence_id)
        .map_err(|_| OpError::field("export_licence_id", "no such export licence"))?;
    if licence.product_id != s.product_id || licence.customer_id != s.customer_id {
        return Err(OpError::field(
            "export_licence_id",
            "the licence is for another product or customer",
        ));
    }
    if licence.revoked() {
        return Err(licence_refused(
            format!("export licence {} is revoked", licence.number),
            Default::default(),
        ));
    }
    if !licence.valid_on(shipped_on) {
        return Err(licence_refused(
            format!(
                "export licence {} is valid {} to {}, not on {shipped_on}",
                licence.number, licence.valid_from, licence.valid_to
            ),
            Default::default(),
        ));
    }
    if !licences::draw(conn, licence_id, s.grams())? {
        let remaining = licences::find(conn, licence_id)?.remaining_kg;
        let mut ext = serde_json::Map::new();
        ext.insert(
            "remaining_kg".into(),
            remaining.display().to_string().into(),
        );
        ext.insert(
            "requested_kg".into(),
            s.quantity_kg.display().to_string().into(),
        );
        return Err(licence_refused(
            format!(
                "export licence {} has {} kg remaining; the shipment needs {} kg",
                licence.number,
                remaining.display(),
                s.quantity_kg.display()
            ),
            ext,
        ));
    }
    Ok(())
}

/// planned → shipped, with vessel, voyage, bill of lading and containers. An export-controlled
/// product ships only under a licence for that product and customer, valid on the ship date,
/// with enough remaining; shipping draws it down in the same transaction. The order's status
/// follows.
pub fn ship(
    conn: &mut DbConnection,
    actor: &Actor,
    id: uuid::Uuid,
    expect: &Expect,
    req: ShipRequest,
) -> Result<Shipment, OpError> {
    actor.require(Permission::WriteShipments)?;
    let mut checks = Checks::default();
    checks
        .text(&req.vessel, "vessel", 200)
        .text(&req.bl_number, "bl_number", 100)
        .check(
            req.containers.len() <= 500,
            "containers",
            "must list at most 500 containers",
        );
    if let Some(v) = &req.voyage {
        checks.text(v, "voyage", 100);
    }
    for (i, c) in req.containers.iter().enumerate() {
        checks.text(c, &format!("containers[{i}]"), 20);
    }
    checks.finish()?;
    let shipped = lifecycle::change(
        conn,
        actor,
        id,
        expect,
        "shipped",
        |conn, before: &Shipment, _| {
            if before.status != ShipmentStatus::Planned {
                return Err(OpError::conflict(format!(
                    "only a planned shipment ships; this one is {}",
                    before.status.as_str()
                )));
            }
            let mut after = before.clone();
            if let Some(l) = req.export_licence_id {
                after.export_licence_id = Some(l);
            }
            if products::export_controlled(conn, before.product_id)? {
                let licence = after.export_licence_id.ok_or_else(|| {
                    OpError::field(
                        "export_licence_id",
                        "the product is export-controlled: a licence is required to ship",
                    )
                })?;
                draw_licence(conn, licence, &after, req.shipped_on)?;
            }
            after.shipped_on = Some(req.shipped_on);
            after.vessel = Some(req.vessel.trim().to_string());
            after.voyage = req.voyage.map(|v| v.trim().to_string());
            after.bl_number = Some(req.bl_number.trim().to_string());
            after.containers = req.containers;
            after.status = ShipmentStatus::Shipped;
            Ok(after)
        },
    )?;
    order_follows(conn, actor, &shipped)?;
    Ok(shipped)
}
