//! `/api/v1/shipments`: what leaves, against an order or a contract month.

mod create;
mod lifecycle;
mod read;

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::models::order::OrderRow;
use crate::db::models::shipment::ShipmentRow;
use crate::db::scaled;
use crate::db::schema::shipments;
use crate::db::DbConnection;
use crate::domain::lifecycle::OrderStatus;
use crate::domain::{Kg, Period};
use crate::error::{ApiError, FieldError};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(read::list_shipments)
        .service(create::create_shipment)
        .service(read::get_shipment)
        .service(create::update_shipment)
        .service(lifecycle::ship_shipment)
        .service(lifecycle::deliver_shipment)
        .service(lifecycle::cancel_shipment);
}

/// planned → shipped → delivered; cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShipmentStatus {
    Planned,
    Shipped,
    Delivered,
    Cancelled,
}

impl ShipmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ShipmentStatus::Planned => "planned",
            ShipmentStatus::Shipped => "shipped",
            ShipmentStatus::Delivered => "delivered",
            ShipmentStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> ShipmentStatus {
        match s {
            "shipped" => ShipmentStatus::Shipped,
            "delivered" => ShipmentStatus::Delivered,
            "cancelled" => ShipmentStatus::Cancelled,
            _ => ShipmentStatus::Planned,
        }
    }
}

/// One production lot in a shipment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Lot {
    #[schema(example = "BT-2026-1107-03")]
    pub lot_number: String,
    #[schema(example = "5000.000")]
    pub quantity_kg: Kg,
    /// Assay values by element or property, decimal strings (e.g. `{"Nd2O3_pct": "75.2"}`).
    #[serde(default)]
    #[schema(value_type = Option<Object>, example = json!({"TREO_pct": "99.5", "Pr6O11_pct": "24.8"}))]
    pub assay: Option<std::collections::BTreeMap<String, crate::domain::Factor>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Shipment {
    pub id: uuid::Uuid,
    #[schema(example = "SHP-2026-000012")]
    pub number: String,
    /// The order it fulfils, or
    pub order_id: Option<uuid::Uuid>,
    /// the contract whose month it fulfils.
    pub contract_id: Option<uuid::Uuid>,
    /// The delivery month it counts for.
    #[schema(example = "2027-01")]
    pub period: Period,
    pub customer_id: uuid::Uuid,
    pub product_id: uuid::Uuid,
    #[schema(example = "10000.000")]
    pub quantity_kg: Kg,
    pub lots: Vec<Lot>,
    pub planned_ship_date: NaiveDate,
    pub shipped_on: Option<NaiveDate>,
    pub delivered_on: Option<NaiveDate>,
    #[schema(example = "COSCO Shipping Aries")]
    pub vessel: Option<String>,
    #[schema(example = "042E")]
    pub voyage: Option<String>,
    #[schema(example = "COSU6123456780")]
    pub bl_number: Option<String>,
    pub containers: Vec<String>,
    pub export_licence_id: Option<uuid::Uuid>,
    pub status: ShipmentStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl From<&ShipmentRow> for Shipment {
    fn from(r: &ShipmentRow) -> Shipment {
        let uuid = |s: &str| uuid::Uuid::parse_str(s).unwrap_or_default();
        Shipment {
            id: uuid(&r.id),
            number: r.number.clone(),
            order_id: r.order_id.as_deref().map(uuid),
            contract_id: r.contract_id.as_deref().map(uuid),
            period: Period::parse(&r.period)
                .unwrap_or_else(|| Period::of_date(r.planned_ship_date)),
            customer_id: uuid(&r.customer_id),
            product_id: uuid(&r.product_id),
            quantity_kg: scaled::kg(r.quantity_g),
            lots: serde_json::from_str(&r.lots_json).unwrap_or_default(),
            planned_ship_date: r.planned_ship_date,
            shipped_on: r.shipped_on,
            delivered_on: r.delivered_on,
            vessel: r.vessel.clone(),
            voyage: r.voyage.clone(),
            bl_number: r.bl_number.clone(),
            containers: r
                .containers_json
                .as_deref()
                .and_then(|c| serde_json::from_str(c).ok())
                .unwrap_or_default(),
            export_licence_id: r.export_licence_id.as_deref().map(uuid),
            status: ShipmentStatus::parse(&r.status),
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
            version: r.version,
        }
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<ShipmentRow, ApiError> {
    shipments::table
        .find(id)
        .select(ShipmentRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("shipment"))
}

pub fn save(
    conn: &mut DbConnection,
    before: &ShipmentRow,
    after: &ShipmentRow,
) -> Result<(), ApiError> {
    let n = diesel::update(
        shipments::table
            .filter(shipments::id.eq(&before.id))
            .filter(shipments::version.eq(before.version)),
    )
    .set(after)
    .execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed(
            "the shipment was changed concurrently; read it again".into(),
        ));
    }
    Ok(())
}

/// Lots must be named once each and add up to the shipment.
pub fn check_lots(lots: &[Lot], quantity_g: i64) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if lots.is_empty() {
        errors.push(FieldError::new("lots", "must list at least one lot"));
    }
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for (i, lot) in lots.iter().enumerate() {
        if lot.lot_number.trim().is_empty() || lot.lot_number.chars().count() > 60 {
            errors.push(FieldError::new(
                format!("lots[{i}].lot_number"),
                "must be 1–60 characters",
            ));
        } else if !seen.insert(lot.lot_number.trim().to_string()) {
            errors.push(FieldError::new(
                format!("lots[{i}].lot_number"),
                "appears twice",
            ));
        }
        match scaled::grams(lot.quantity_kg) {
            Some(g) if g > 0 => total += g,
            _ => errors.push(FieldError::new(
                format!("lots[{i}].quantity_kg"),
                "must be greater than 0",
            )),
        }
    }
    if !lots.is_empty() && total != quantity_g {
        errors.push(FieldError::new(
            "lots",
            format!(
                "lot quantities add up to {} kg but the shipment is {} kg",
                scaled::kg(total).display(),
                scaled::kg(quantity_g).display()
            ),
        ));
    }
    errors
}

/// The most that may ship against a commitment of `quantity_g` with `tolerance_milli_pct`:
/// the top of its tolerance band.
pub fn limit(quantity_g: i64, tolerance_milli_pct: i64) -> i64 {
    crate::domain::fulfilment::band(quantity_g, tolerance_milli_pct).1
}

/// Moves an order's status to follow its shipments (shipped or delivered kilograms, and whether
/// every non-cancelled one is delivered); the order before and after, when it changed.
pub fn sync_order_status(
    conn: &mut DbConnection,
    order_id: &str,
) -> Result<Option<(OrderRow, OrderRow)>, ApiError> {
    let order = crate::api::orders::find(conn, order_id)?;
    let current = crate::api::orders::status(&order);
    if !current.is_commitment() {
        return Ok(None);
    }
    let ships: Vec<(String, i64)> = shipments::table
        .filter(shipments::order_id.eq(order_id))
        .filter(shipments::status.ne(ShipmentStatus::Cancelled.as_str()))
        .select((shipments::status, shipments::quantity_g))
        .load(conn)?;
    let shipped: i64 = ships
        .iter()
        .filter(|(s, _)| s != "planned")
        .map(|(_, g)| g)
        .sum();
    let all_delivered = !ships.is_empty() && ships.iter().all(|(s, _)| s == "delivered");
    let next = if shipped == 0 {
        OrderStatus::Confirmed
    } else if shipped < order.quantity_g {
        OrderStatus::PartiallyShipped
    } else if all_delivered {
        OrderStatus::Delivered
    } else {
        OrderStatus::Shipped
    };
    if next == current {
        return Ok(None);
    }
    let mut after = order.clone();
    after.status = next.as_str().into();
    after.updated_at = crate::db::now();
    after.version += 1;
    crate::api::orders::save(conn, &order, &after)?;
    Ok(Some((order, after)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_limit() {
        assert_eq!(limit(10_000_000, 5_000), 10_500_000);
        assert_eq!(limit(10_000_000, 0), 10_000_000);
        assert_eq!(limit(333, 10_000), 366);
    }
}
