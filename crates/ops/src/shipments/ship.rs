use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::follow::order_follows;
use crate::db::{licences, products, DbConnection};
use crate::domain::lifecycle::ShipmentStatus;
use crate::domain::shipment::{document_problems, Documents, Shipment, TransportMode};
use crate::domain::Permission;
use crate::domain::{LicenceId, ShipmentId};
use crate::error::{Checks, OpError};
use crate::{lifecycle, Actor, Expect};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"shipped_on": "2027-01-14", "vessel": "COSCO Shipping Aries", "voyage": "042E", "bl_number": "COSU6123456780", "containers": ["CSNU1234567"]}))]
pub struct ShipRequest {
    pub shipped_on: NaiveDate,
    /// The mode it leaves by, when not the planned one.
    pub transport_mode: Option<TransportMode>,
    /// Sea (required): the vessel.
    #[schema(max_length = 200)]
    pub vessel: Option<String>,
    /// Sea: the voyage.
    #[schema(max_length = 100)]
    pub voyage: Option<String>,
    /// Sea (required): the bill of lading.
    #[schema(max_length = 100)]
    pub bl_number: Option<String>,
    /// Air (required): the air waybill.
    #[schema(max_length = 100)]
    pub air_waybill: Option<String>,
    /// Air: the flight.
    #[schema(max_length = 100)]
    pub flight: Option<String>,
    /// Rail or road (required): the consignment note (CIM, SMGS or CMR).
    #[schema(max_length = 100)]
    pub consignment_note: Option<String>,
    /// Sea, rail or road: container numbers.
    #[serde(default)]
    #[schema(max_items = 500)]
    pub containers: Vec<String>,
    /// The licence to ship under, if not set on the shipment already.
    #[schema(value_type = Option<uuid::Uuid>)]
    pub export_licence_id: Option<LicenceId>,
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
    licence_id: LicenceId,
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

/// planned → shipped, with the documents of its transport mode (by sea: vessel, bill of
/// lading, voyage and containers; by air: air waybill and flight; by rail or road: consignment
/// note and containers). An export-controlled
/// product ships only under a licence for that product and customer, valid on the ship date,
/// with enough remaining; shipping draws it down in the same transaction. The order's status
/// follows.
pub fn ship(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ShipmentId,
    expect: &Expect,
    req: ShipRequest,
) -> Result<Shipment, OpError> {
    actor.require(Permission::WriteShipments)?;
    let mut checks = Checks::default();
    for (value, field, max) in [
        (&req.vessel, "vessel", 200),
        (&req.voyage, "voyage", 100),
        (&req.bl_number, "bl_number", 100),
        (&req.air_waybill, "air_waybill", 100),
        (&req.flight, "flight", 100),
        (&req.consignment_note, "consignment_note", 100),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            checks.text(v, field, max);
        }
    }
    checks.check(
        req.containers.len() <= 500,
        "containers",
        "must list at most 500 containers",
    );
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
            super::actions::status_allows(before, super::actions::ShipmentStep::Ship)?;
            let mode = req.transport_mode.unwrap_or(before.transport_mode);
            let documents = Documents {
                vessel: req.vessel.as_deref(),
                voyage: req.voyage.as_deref(),
                bl_number: req.bl_number.as_deref(),
                air_waybill: req.air_waybill.as_deref(),
                flight: req.flight.as_deref(),
                consignment_note: req.consignment_note.as_deref(),
                containers: req.containers.len(),
            };
            let problems = document_problems(mode, &documents);
            if !problems.is_empty() {
                return Err(OpError::Validation(problems));
            }
            let mut after = before.clone();
            after.transport_mode = mode;
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
            let kept =
                |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
            after.vessel = kept(req.vessel);
            after.voyage = kept(req.voyage);
            after.bl_number = kept(req.bl_number);
            after.air_waybill = kept(req.air_waybill);
            after.flight = kept(req.flight);
            after.consignment_note = kept(req.consignment_note);
            after.containers = req.containers;
            after.status = ShipmentStatus::Shipped;
            Ok(after)
        },
    )?;
    order_follows(conn, actor, &shipped)?;
    crate::settlements::on_ship(conn, actor, &shipped)?;
    Ok(shipped)
}
