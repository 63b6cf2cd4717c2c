use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::target::resolve;
use crate::db::product_position::lock_product;
use crate::db::DbConnection;
use crate::domain::shipment::{lot_problems, Lot, Shipment, TransportMode};
use crate::domain::{Kg, Permission};
use crate::domain::{LicenceId, ShipmentId};
use crate::error::OpError;
use crate::patch::double_option;
use crate::{lifecycle, Actor, Expect};

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"planned_ship_date": "2027-01-19"}))]
pub struct ShipmentPatch {
    pub quantity_kg: Option<Kg>,
    #[schema(min_items = 1, max_items = 200)]
    pub lots: Option<Vec<Lot>>,
    pub planned_ship_date: Option<NaiveDate>,
    pub transport_mode: Option<TransportMode>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Option<uuid::Uuid>>)]
    pub export_licence_id: Option<Option<LicenceId>>,
}

/// Changes a planned shipment (409 otherwise); quantity and lots are checked again.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ShipmentId,
    expect: &Expect,
    p: ShipmentPatch,
) -> Result<Shipment, OpError> {
    actor.require(Permission::WriteShipments)?;
    lifecycle::change(
        conn,
        actor,
        id,
        expect,
        "updated",
        |conn, before: &Shipment, _| {
            super::actions::status_allows(before, super::actions::ShipmentStep::Edit)?;
            let mut after = before.clone();
            if let Some(q) = p.quantity_kg {
                q.grams()
                    .filter(|g| *g > 0)
                    .ok_or_else(|| OpError::field("quantity_kg", "must be greater than 0"))?;
                after.quantity_kg = q;
            }
            if let Some(l) = p.lots {
                after.lots = l;
            }
            let errors = lot_problems(&after.lots, after.grams());
            if !errors.is_empty() {
                return Err(OpError::Validation(errors));
            }
            if let Some(m) = p.transport_mode {
                after.transport_mode = m;
            }
            if let Some(d) = p.planned_ship_date {
                after.planned_ship_date = d;
            }
            let t = resolve(
                conn,
                before.order_id,
                before.contract_id,
                before.contract_id.map(|_| before.period),
            )?;
            lock_product(conn, t.product_id)?;
            t.check_limit(conn, after.grams(), Some(before.id))?;
            if let Some(l) = p.export_licence_id {
                if let Some(l) = l {
                    t.check_licence(conn, l)?;
                }
                after.export_licence_id = l;
            }
            Ok(after)
        },
    )
}
