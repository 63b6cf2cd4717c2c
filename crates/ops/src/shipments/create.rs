use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::target::resolve;
use crate::db::product_position::lock_product;
use crate::db::{counters, now_utc, DbConnection};
use crate::domain::lifecycle::ShipmentStatus;
use crate::domain::shipment::TransportMode;
use crate::domain::shipment::{lot_problems, Lot, Shipment};
use crate::domain::EntityId;
use crate::domain::{ContractId, LicenceId, OrderId, ShipmentId};
use crate::domain::{Kg, Period, Permission};
use crate::error::OpError;
use crate::lifecycle::{self, Note};
use crate::Actor;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"contract_id": "2f1c0d7e-8a3b-4c55-9a55-0d0f5b1e9a11", "period": "2027-01", "quantity_kg": "10000", "lots": [{"lot_number": "BT-1107-03", "quantity_kg": "10000", "assay": {"TREO_pct": "99.5"}}], "planned_ship_date": "2027-01-12"}))]
pub struct NewShipment {
    /// The order it fulfils; or give `contract_id` and `period`.
    #[schema(value_type = Option<uuid::Uuid>)]
    pub order_id: Option<OrderId>,
    #[schema(value_type = Option<uuid::Uuid>)]
    pub contract_id: Option<ContractId>,
    #[schema(example = "2027-01")]
    pub period: Option<Period>,
    pub quantity_kg: Kg,
    #[schema(min_items = 1, max_items = 200)]
    pub lots: Vec<Lot>,
    pub planned_ship_date: NaiveDate,
    /// How it will travel (`sea` when absent); it decides the documents shipping needs.
    pub transport_mode: Option<TransportMode>,
    #[schema(value_type = Option<uuid::Uuid>)]
    pub export_licence_id: Option<LicenceId>,
}

/// Plans the shipment at most once per idempotency key (the desk's form): a repeat answers
/// the shipment planned first.
pub fn create_once(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &str,
    n: NewShipment,
) -> Result<ShipmentId, OpError> {
    let digest = crate::idempotency::digest_of(&n)?;
    crate::idempotency::once(conn, actor, "shipment-form", key, &digest, |c| {
        create(c, actor, n).map(|s| s.id)
    })
}

/// Plans a shipment against a confirmed order or a contract's month. Lots must add up to the
/// quantity, and all shipments of the order or contract month together may not exceed its
/// quantity plus tolerance. Roles: admin, sales, integration.
pub fn create(conn: &mut DbConnection, actor: &Actor, n: NewShipment) -> Result<Shipment, OpError> {
    actor.require(Permission::WriteShipments)?;
    let quantity_g = n
        .quantity_kg
        .grams()
        .filter(|g| *g > 0)
        .ok_or_else(|| OpError::field("quantity_kg", "must be greater than 0"))?;
    let errors = lot_problems(&n.lots, quantity_g);
    if !errors.is_empty() {
        return Err(OpError::Validation(errors));
    }
    let t = resolve(conn, n.order_id, n.contract_id, n.period)?;
    lock_product(conn, t.product_id)?;
    t.check_limit(conn, quantity_g, None)?;
    if let Some(l) = n.export_licence_id {
        t.check_licence(conn, l)?;
    }
    let at = now_utc();
    let shipment = Shipment {
        id: EntityId::fresh(),
        number: format!(
            "SHP-{}-{:06}",
            at.year(),
            counters::next(conn, "shipments")?
        ),
        order_id: t.order_id,
        contract_id: t.contract_id,
        period: t.period,
        customer_id: t.customer_id,
        product_id: t.product_id,
        quantity_kg: n.quantity_kg,
        lots: n.lots,
        planned_ship_date: n.planned_ship_date,
        shipped_on: None,
        delivered_on: None,
        transport_mode: n.transport_mode.unwrap_or_default(),
        vessel: None,
        voyage: None,
        bl_number: None,
        air_waybill: None,
        flight: None,
        consignment_note: None,
        containers: Vec::new(),
        export_licence_id: n.export_licence_id,
        status: ShipmentStatus::Planned,
        created_at: at,
        updated_at: at,
        version: 1,
    };
    lifecycle::create_as(conn, actor, "planned", shipment, &Note::default())
}
