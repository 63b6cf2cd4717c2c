use actix_web::{post, web, HttpResponse};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{Shipment, ShipmentStatus};
use crate::api::commitment::{annotate, ActionRequest};
use crate::api::extract::{IfMatch, OptionalJson, ValidJson};
use crate::api::respond;
use crate::api::validate::Checks;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::models::shipment::ShipmentRow;
use crate::db::schema::{export_licences as lic, products};
use crate::db::{now, scaled, DbConnection};
use crate::domain::Permission;
use crate::error::ApiError;
use crate::openapi::WriteErrors;
use crate::startup::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"shipped_on": "2027-01-14", "vessel": "COSCO Shipping Aries", "voyage": "042E", "bl_number": "COSU6123456780", "containers": ["CSNU1234567"]}))]
pub struct ShipRequest {
    pub shipped_on: NaiveDate,
    pub vessel: String,
    pub voyage: Option<String>,
    pub bl_number: String,
    #[serde(default)]
    pub containers: Vec<String>,
    /// The licence to ship under, if not set on the shipment already.
    pub export_licence_id: Option<uuid::Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"delivered_on": "2027-02-03"}))]
pub struct DeliverRequest {
    pub delivered_on: NaiveDate,
}

/// Records the change of a shipment, and of its order when the order's status follows.
fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    before: &ShipmentRow,
    after: &ShipmentRow,
    reason: Option<&str>,
) -> Result<(), ApiError> {
    let mut snap = change::snapshot(&Shipment::from(after));
    annotate(&mut snap, reason, false);
    change::record(
        conn,
        actor,
        Change {
            action,
            entity_type: "shipment",
            entity_id: &after.id,
            before: change::snapshot(&Shipment::from(before)),
            after: snap,
        },
    )?;
    if let Some(order_id) = &after.order_id {
        if let Some((order_before, order_after)) = super::sync_order_status(conn, order_id)? {
            change::record(
                conn,
                actor,
                Change {
                    action: &order_after.status,
                    entity_type: "order",
                    entity_id: order_id,
                    before: change::snapshot(&crate::api::orders::Order::from(&order_before)),
                    after: change::snapshot(&crate::api::orders::Order::from(&order_after)),
                },
            )?;
        }
    }
    Ok(())
}

/// Draws `quantity_g` from the licence in one conditional update, so racing shipments can never
/// overdraw it on any number of instances.
fn draw_licence(
    conn: &mut DbConnection,
    licence_id: &str,
    s: &ShipmentRow,
    shipped_on: NaiveDate,
) -> Result<(), ApiError> {
    let licence = crate::api::licences::find(conn, licence_id)
        .map_err(|_| ApiError::field("export_licence_id", "no such export licence"))?;
    let refuse = |why: String| ApiError::Conflict {
        kind: "export-licence",
        detail: why,
        extensions: Default::default(),
    };
    if licence.product_id != s.product_id || licence.customer_id != s.customer_id {
        return Err(ApiError::field(
            "export_licence_id",
            "the licence is for another product or customer",
        ));
    }
    if licence.status == "revoked" {
        return Err(refuse(format!(
            "export licence {} is revoked",
            licence.number
        )));
    }
    if shipped_on < licence.valid_from || shipped_on > licence.valid_to {
        return Err(refuse(format!(
            "export licence {} is valid {} to {}, not on {shipped_on}",
            licence.number, licence.valid_from, licence.valid_to
        )));
    }
    let n = diesel::update(
        lic::table
            .filter(lic::id.eq(licence_id))
            .filter(lic::status.eq("active"))
            .filter((lic::shipped_g + s.quantity_g).le(lic::quantity_g)),
    )
    .set((
        lic::shipped_g.eq(lic::shipped_g + s.quantity_g),
        lic::updated_at.eq(now()),
        lic::version.eq(lic::version + 1),
    ))
    .execute(conn)?;
    if n == 0 {
        let remaining: i64 = lic::table
            .find(licence_id)
            .select(lic::quantity_g - lic::shipped_g)
            .first(conn)?;
        let mut ext = serde_json::Map::new();
        ext.insert(
            "remaining_kg".into(),
            scaled::kg(remaining).display().to_string().into(),
        );
        ext.insert(
            "requested_kg".into(),
            scaled::kg(s.quantity_g).display().to_string().into(),
        );
        return Err(ApiError::Conflict {
            kind: "export-licence",
            detail: format!(
                "export licence {} has {} kg remaining; the shipment needs {} kg",
                licence.number,
                scaled::kg(remaining).display(),
                scaled::kg(s.quantity_g).display()
            ),
            extensions: ext,
        });
    }
    Ok(())
}

/// Ship a shipment
///
/// planned → shipped, with vessel, voyage, bill of lading and containers. An export-controlled
/// product ships only under a licence for that product and customer, valid on the ship date,
/// with enough remaining; shipping draws it down in the same transaction. The order's status
/// follows (partially_shipped, shipped).
#[utoipa::path(
    tag = "shipments",
    request_body = ShipRequest,
    params(
        ("id" = uuid::Uuid, Path, description = "Shipment id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The shipped shipment", body = Shipment), WriteErrors),
)]
#[post("/shipments/{id}/ship")]
pub async fn ship_shipment(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: ValidJson<ShipRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteShipments)?;
    let req = body.0;
    let mut checks = Checks::default();
    checks
        .text(&req.vessel, "vessel", 200)
        .text(&req.bl_number, "bl_number", 100);
    for (i, c) in req.containers.iter().enumerate() {
        checks.text(c, &format!("containers[{i}]"), 20);
    }
    checks.finish()?;
    let id = id.into_inner().to_string();
    let actor = Actor::from(&caller);
    let row = state
        .db
        .write(move |conn| {
            let before = super::find(conn, &id)?;
            if_match.check(before.version)?;
            if before.status != ShipmentStatus::Planned.as_str() {
                return Err(ApiError::conflict(format!(
                    "only a planned shipment ships; this one is {}",
                    before.status
                )));
            }
            let mut after = before.clone();
            if let Some(l) = req.export_licence_id {
                after.export_licence_id = Some(l.to_string());
            }
            let controlled: bool = products::table
                .find(&before.product_id)
                .select(products::export_controlled)
                .first(conn)?;
            if controlled {
                let licence = after.export_licence_id.clone().ok_or_else(|| {
                    ApiError::field(
                        "export_licence_id",
                        "the product is export-controlled: a licence is required to ship",
                    )
                })?;
                draw_licence(conn, &licence, &after, req.shipped_on)?;
            }
            after.shipped_on = Some(req.shipped_on);
            after.vessel = Some(req.vessel.trim().to_string());
            after.voyage = req.voyage.map(|v| v.trim().to_string());
            after.bl_number = Some(req.bl_number.trim().to_string());
            after.containers_json =
                Some(serde_json::to_string(&req.containers).unwrap_or_default());
            after.status = ShipmentStatus::Shipped.as_str().into();
            after.updated_at = now();
            after.version += 1;
            super::save(conn, &before, &after)?;
            record(conn, &actor, "shipped", &before, &after, None)?;
            Ok(after)
        })
        .await?;
    Ok(respond::ok(row.version, &Shipment::from(&row)))
}

/// Deliver a shipment
///
/// shipped → delivered. When every shipment of an order is delivered and the order is fully
/// shipped, the order is delivered.
#[utoipa::path(
    tag = "shipments",
    request_body = DeliverRequest,
    params(
        ("id" = uuid::Uuid, Path, description = "Shipment id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The delivered shipment", body = Shipment), WriteErrors),
)]
#[post("/shipments/{id}/deliver")]
pub async fn deliver_shipment(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: ValidJson<DeliverRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteShipments)?;
    let delivered_on = body.0.delivered_on;
    let id = id.into_inner().to_string();
    let actor = Actor::from(&caller);
    let row = state
        .db
        .write(move |conn| {
            let before = super::find(conn, &id)?;
            if_match.check(before.version)?;
            if before.status != ShipmentStatus::Shipped.as_str() {
                return Err(ApiError::conflict(format!(
                    "only a shipped shipment is delivered; this one is {}",
                    before.status
                )));
            }
            if before.shipped_on.is_some_and(|s| delivered_on < s) {
                return Err(ApiError::field(
                    "delivered_on",
                    "must not be before the ship date",
                ));
            }
            let mut after = before.clone();
            after.delivered_on = Some(delivered_on);
            after.status = ShipmentStatus::Delivered.as_str().into();
            after.updated_at = now();
            after.version += 1;
            super::save(conn, &before, &after)?;
            record(conn, &actor, "delivered", &before, &after, None)?;
            Ok(after)
        })
        .await?;
    Ok(respond::ok(row.version, &Shipment::from(&row)))
}

/// Cancel a shipment
///
/// planned → cancelled; a `reason` is required. Shipped goods are not cancelled.
#[utoipa::path(
    tag = "shipments",
    request_body(content = Option<ActionRequest>, description = "The reason"),
    params(
        ("id" = uuid::Uuid, Path, description = "Shipment id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The cancelled shipment", body = Shipment), WriteErrors),
)]
#[post("/shipments/{id}/cancel")]
pub async fn cancel_shipment(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: OptionalJson<ActionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteShipments)?;
    if body.0.atp_override {
        return Err(ApiError::field(
            "override",
            "only confirmations run the ATP check",
        ));
    }
    let reason = body.0.reason(true)?;
    let id = id.into_inner().to_string();
    let actor = Actor::from(&caller);
    let row = state
        .db
        .write(move |conn| {
            let before = super::find(conn, &id)?;
            if_match.check(before.version)?;
            if before.status != ShipmentStatus::Planned.as_str() {
                return Err(ApiError::conflict(format!(
                    "only a planned shipment is cancelled; this one is {}",
                    before.status
                )));
            }
            let mut after = before.clone();
            after.status = ShipmentStatus::Cancelled.as_str().into();
            after.updated_at = now();
            after.version += 1;
            super::save(conn, &before, &after)?;
            record(
                conn,
                &actor,
                "cancelled",
                &before,
                &after,
                reason.as_deref(),
            )?;
            Ok(after)
        })
        .await?;
    Ok(respond::ok(row.version, &Shipment::from(&row)))
}
