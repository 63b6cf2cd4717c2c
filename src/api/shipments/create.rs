use actix_web::{patch, post, web, HttpResponse};
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{check_lots, limit, Lot, Shipment, ShipmentStatus};
use crate::api::extract::{IfMatch, ValidJson};
use crate::api::respond;
use crate::api::validate::double_option;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::models::shipment::ShipmentRow;
use crate::db::position::lock_product;
use crate::db::schema::{export_licences, shipments};
use crate::db::{counters, now, scaled, DbConnection};
use crate::domain::lifecycle::OrderType;
use crate::domain::{Kg, Period, Permission};
use crate::error::{ApiError, FieldError};
use crate::openapi::WriteErrors;
use crate::startup::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"contract_id": "2f1c0d7e-8a3b-4c55-9a55-0d0f5b1e9a11", "period": "2027-01", "quantity_kg": "10000", "lots": [{"lot_number": "BT-1107-03", "quantity_kg": "10000", "assay": {"TREO_pct": "99.5"}}], "planned_ship_date": "2027-01-12"}))]
pub struct NewShipment {
    /// The order it fulfils; or give `contract_id` and `period`.
    pub order_id: Option<uuid::Uuid>,
    pub contract_id: Option<uuid::Uuid>,
    #[schema(example = "2027-01")]
    pub period: Option<Period>,
    pub quantity_kg: Kg,
    pub lots: Vec<Lot>,
    pub planned_ship_date: NaiveDate,
    pub export_licence_id: Option<uuid::Uuid>,
}

/// What a shipment fulfils, and how much may ship against it.
struct Target {
    order_id: Option<String>,
    contract_id: Option<String>,
    period: Period,
    customer_id: String,
    product_id: String,
    committed_g: i64,
    tolerance_milli_pct: i64,
}

fn resolve(
    conn: &mut DbConnection,
    order_id: Option<String>,
    contract_id: Option<String>,
    period: Option<Period>,
) -> Result<Target, ApiError> {
    match (order_id, contract_id, period) {
        (Some(order_id), None, None) => {
            let order = match crate::api::orders::find(conn, &order_id) {
                Err(ApiError::NotFound(_)) => {
                    return Err(ApiError::field("order_id", "no such order"))
                }
                other => other?,
            };
            if !crate::api::orders::status(&order).is_commitment() {
                return Err(ApiError::field(
                    "order_id",
                    format!("the order is {}; only confirmed orders ship", order.status),
                ));
            }
            let tolerance = match (&order.contract_id, OrderType::parse(&order.order_type)) {
                (Some(c), Some(OrderType::AddOn)) => {
                    crate::api::contracts::find(conn, c)?
                        .row
                        .tolerance_milli_pct
                }
                _ => 0,
            };
            Ok(Target {
                period: Period::parse(&order.period)
                    .ok_or_else(|| ApiError::unexpected("stored order period is invalid"))?,
                order_id: Some(order.id),
                contract_id: None,
                customer_id: order.customer_id,
                product_id: order.product_id,
                committed_g: order.quantity_g,
                tolerance_milli_pct: tolerance,
            })
        }
        (None, Some(contract_id), Some(period)) => {
            let c = match crate::api::contracts::find(conn, &contract_id) {
                Err(ApiError::NotFound(_)) => {
                    return Err(ApiError::field("contract_id", "no such contract"))
                }
                other => other?,
            };
            if !c.status().is_commitment() {
                return Err(ApiError::field(
                    "contract_id",
                    format!("the contract is {}, not active or suspended", c.row.status),
                ));
            }
            let scheduled = c
                .lines
                .iter()
                .find(|(p, _)| *p == period.to_string())
                .map(|(_, g)| *g);
            let Some(scheduled) = scheduled else {
                return Err(ApiError::field(
                    "period",
                    "the contract schedules nothing in this month",
                ));
            };
            Ok(Target {
                order_id: None,
                contract_id: Some(c.row.id.clone()),
                period,
                customer_id: c.row.customer_id.clone(),
                product_id: c.row.product_id.clone(),
                committed_g: scheduled,
                tolerance_milli_pct: c.row.tolerance_milli_pct,
            })
        }
        (None, Some(_), None) => Err(ApiError::field("period", "is required with contract_id")),
        (None, None, _) => Err(ApiError::field(
            "order_id",
            "give order_id, or contract_id and period",
        )),
        _ => Err(ApiError::field(
            "order_id",
            "give either order_id or contract_id and period, not both",
        )),
    }
}

/// 422 naming the limit when this shipment would take the target past quantity + tolerance.
fn check_limit(
    conn: &mut DbConnection,
    t: &Target,
    quantity_g: i64,
    exclude: &str,
) -> Result<(), ApiError> {
    let mut q = shipments::table
        .filter(shipments::status.ne(ShipmentStatus::Cancelled.as_str()))
        .filter(shipments::id.ne(exclude))
        .select(shipments::quantity_g)
        .into_boxed();
    q = match (&t.order_id, &t.contract_id) {
        (Some(o), _) => q.filter(shipments::order_id.eq(o.clone())),
        (None, Some(c)) => q
            .filter(shipments::contract_id.eq(c.clone()))
            .filter(shipments::period.eq(t.period.to_string())),
        (None, None) => q,
    };
    let existing: i64 = q.load::<i64>(conn)?.iter().sum();
    let max = limit(t.committed_g, t.tolerance_milli_pct);
    if existing + quantity_g > max {
        return Err(ApiError::field(
            "quantity_kg",
            format!(
                "would bring shipments to {} kg, above the limit of {} kg (quantity plus tolerance); {} kg is already planned or shipped",
                scaled::kg(existing + quantity_g).display(),
                scaled::kg(max).display(),
                scaled::kg(existing).display()
            ),
        ));
    }
    Ok(())
}

fn check_licence(conn: &mut DbConnection, licence_id: &str, t: &Target) -> Result<(), ApiError> {
    let found: Option<(String, String)> = export_licences::table
        .find(licence_id)
        .select((export_licences::product_id, export_licences::customer_id))
        .first(conn)
        .optional()?;
    match found {
        None => Err(ApiError::field(
            "export_licence_id",
            "no such export licence",
        )),
        Some((p, c)) if p != t.product_id || c != t.customer_id => Err(ApiError::field(
            "export_licence_id",
            "the licence is for another product or customer",
        )),
        Some(_) => Ok(()),
    }
}

/// Plan a shipment
///
/// Against a confirmed order, or a contract's month. Lots must add up to the quantity, and all
/// shipments of the order or contract month together may not exceed its quantity plus
/// tolerance (422 naming the limit). Roles: admin, sales, integration.
#[utoipa::path(
    tag = "shipments",
    request_body = NewShipment,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request")),
    responses((status = 201, description = "Planned", body = Shipment), WriteErrors),
)]
#[post("/shipments")]
pub async fn create_shipment(
    state: web::Data<AppState>,
    caller: Principal,
    body: ValidJson<NewShipment>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteShipments)?;
    let n = body.0;
    let quantity_g = scaled::grams(n.quantity_kg)
        .filter(|g| *g > 0)
        .ok_or_else(|| ApiError::field("quantity_kg", "must be greater than 0"))?;
    let errors: Vec<FieldError> = check_lots(&n.lots, quantity_g);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let actor = Actor::from(&caller);
    let row = state
        .db
        .write(move |conn| {
            let t = resolve(
                conn,
                n.order_id.map(|o| o.to_string()),
                n.contract_id.map(|c| c.to_string()),
                n.period,
            )?;
            lock_product(conn, &t.product_id)?;
            check_limit(conn, &t, quantity_g, "")?;
            if let Some(l) = n.export_licence_id {
                check_licence(conn, &l.to_string(), &t)?;
            }
            let at = now();
            let row = ShipmentRow {
                id: uuid::Uuid::new_v4().to_string(),
                number: format!(
                    "SHP-{}-{:06}",
                    at.year(),
                    counters::next(conn, "shipments")?
                ),
                order_id: t.order_id.clone(),
                contract_id: t.contract_id.clone(),
                period: t.period.to_string(),
                customer_id: t.customer_id.clone(),
                product_id: t.product_id.clone(),
                quantity_g,
                lots_json: serde_json::to_string(&n.lots).unwrap_or_default(),
                planned_ship_date: n.planned_ship_date,
                shipped_on: None,
                delivered_on: None,
                vessel: None,
                voyage: None,
                bl_number: None,
                containers_json: None,
                export_licence_id: n.export_licence_id.map(|l| l.to_string()),
                status: ShipmentStatus::Planned.as_str().into(),
                created_at: at,
                updated_at: at,
                version: 1,
            };
            diesel::insert_into(shipments::table)
                .values(&row)
                .execute(conn)?;
            change::record(
                conn,
                &actor,
                Change {
                    action: "planned",
                    entity_type: "shipment",
                    entity_id: &row.id,
                    before: None,
                    after: change::snapshot(&Shipment::from(&row)),
                },
            )?;
            Ok(row)
        })
        .await?;
    Ok(respond::created(
        row.version,
        format!("/api/v1/shipments/{}", row.id),
        &Shipment::from(&row),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"planned_ship_date": "2027-01-19"}))]
pub struct ShipmentPatch {
    pub quantity_kg: Option<Kg>,
    pub lots: Option<Vec<Lot>>,
    pub planned_ship_date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "double_option")]
    pub export_licence_id: Option<Option<uuid::Uuid>>,
}

/// Update a planned shipment
///
/// Only planned shipments change; quantity and lots are checked again.
#[utoipa::path(
    tag = "shipments",
    request_body = ShipmentPatch,
    params(
        ("id" = uuid::Uuid, Path, description = "Shipment id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The updated shipment", body = Shipment), WriteErrors),
)]
#[patch("/shipments/{id}")]
pub async fn update_shipment(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: ValidJson<ShipmentPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteShipments)?;
    let id = id.into_inner().to_string();
    let p = body.0;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .write(move |conn| {
            let before = super::find(conn, &id)?;
            if_match.check(before.version)?;
            if before.status != ShipmentStatus::Planned.as_str() {
                return Err(ApiError::conflict(format!(
                    "only planned shipments change; this one is {}",
                    before.status
                )));
            }
            let mut after = before.clone();
            if let Some(q) = p.quantity_kg {
                after.quantity_g = scaled::grams(q)
                    .filter(|g| *g > 0)
                    .ok_or_else(|| ApiError::field("quantity_kg", "must be greater than 0"))?;
            }
            let lots: Vec<Lot> = match p.lots {
                Some(l) => l,
                None => serde_json::from_str(&before.lots_json).unwrap_or_default(),
            };
            let errors = check_lots(&lots, after.quantity_g);
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            after.lots_json = serde_json::to_string(&lots).unwrap_or_default();
            if let Some(d) = p.planned_ship_date {
                after.planned_ship_date = d;
            }
            let period = Period::parse(&before.period);
            let t = resolve(
                conn,
                before.order_id.clone(),
                before.contract_id.clone(),
                before.contract_id.as_ref().and(period),
            )?;
            lock_product(conn, &t.product_id)?;
            check_limit(conn, &t, after.quantity_g, &before.id)?;
            if let Some(l) = p.export_licence_id {
                if let Some(l) = l {
                    check_licence(conn, &l.to_string(), &t)?;
                }
                after.export_licence_id = l.map(|l| l.to_string());
            }
            after.updated_at = now();
            after.version += 1;
            super::save(conn, &before, &after)?;
            change::record(
                conn,
                &actor,
                Change {
                    action: "updated",
                    entity_type: "shipment",
                    entity_id: &after.id,
                    before: change::snapshot(&Shipment::from(&before)),
                    after: change::snapshot(&Shipment::from(&after)),
                },
            )?;
            Ok(after)
        })
        .await?;
    Ok(respond::ok(row.version, &Shipment::from(&row)))
}
