//! Delivery visibility: contract fulfilment and the delivery schedule across commitments.

mod fulfilment;
mod schedule;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(fulfilment::get_contract_fulfilment)
        .service(schedule::list_deliveries);
}

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::db::schema::{orders, shipments};
use crate::db::DbConnection;
use crate::domain::lifecycle::OrderStatus;
use crate::error::ApiError;

/// Shipped and delivered grams, keyed by what the shipments fulfil.
#[derive(Default)]
pub struct Moved {
    /// (contract id, period) → (shipped, delivered)
    pub contract_months: BTreeMap<(String, String), (i64, i64)>,
    /// order id → (shipped, delivered)
    pub orders: BTreeMap<String, (i64, i64)>,
}

/// A moved shipment: (contract id, order id, period, status, grams).
type MovedRow = (Option<String>, Option<String>, String, String, i64);

/// A confirmed add-on order: (id, contract id, period, grams).
pub type AddOn = (String, Option<String>, String, i64);

/// Sums shipped (shipped or delivered) and delivered quantities of every shipment.
pub fn moved(
    conn: &mut DbConnection,
    contract_ids: &[String],
    order_ids: &[String],
) -> Result<Moved, ApiError> {
    let rows: Vec<MovedRow> = shipments::table
        .filter(shipments::status.eq_any(["shipped", "delivered"]))
        .filter(
            shipments::contract_id
                .eq_any(contract_ids)
                .or(shipments::order_id.eq_any(order_ids)),
        )
        .select((
            shipments::contract_id,
            shipments::order_id,
            shipments::period,
            shipments::status,
            shipments::quantity_g,
        ))
        .load(conn)?;
    let mut out = Moved::default();
    for (contract_id, order_id, period, status, grams) in rows {
        let delivered = if status == "delivered" { grams } else { 0 };
        let slot = match (contract_id, order_id) {
            (Some(c), _) => out.contract_months.entry((c, period)).or_default(),
            (None, Some(o)) => out.orders.entry(o).or_default(),
            (None, None) => continue,
        };
        slot.0 += grams;
        slot.1 += delivered;
    }
    Ok(out)
}

/// Statuses of orders that count as commitments (confirmed or later).
pub fn committed_order_statuses() -> Vec<&'static str> {
    OrderStatus::ALL
        .iter()
        .filter(|s| s.is_commitment())
        .map(|s| s.as_str())
        .collect()
}

/// Confirmed add-on orders of the contracts: (id, contract id, period, grams).
pub fn add_ons(conn: &mut DbConnection, contract_ids: &[String]) -> Result<Vec<AddOn>, ApiError> {
    Ok(orders::table
        .filter(orders::contract_id.eq_any(contract_ids))
        .filter(orders::status.eq_any(committed_order_statuses()))
        .select((
            orders::id,
            orders::contract_id,
            orders::period,
            orders::quantity_g,
        ))
        .load(conn)?)
}
