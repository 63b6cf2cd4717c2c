use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Deserialize;

use super::{Shipment, ShipmentStatus};
use crate::api::page::{self, Cursor, Page};
use crate::api::respond;
use crate::auth::Principal;
use crate::db::models::shipment::ShipmentRow;
use crate::db::schema::shipments;
use crate::domain::Period;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ShipmentFilter {
    limit: Option<i64>,
    cursor: Option<String>,
    updated_since: Option<DateTime<Utc>>,
    status: Option<ShipmentStatus>,
    order_id: Option<uuid::Uuid>,
    contract_id: Option<uuid::Uuid>,
    customer_id: Option<uuid::Uuid>,
    product_id: Option<uuid::Uuid>,
    #[param(value_type = Option<String>, example = "2027-01")]
    from: Option<Period>,
    #[param(value_type = Option<String>, example = "2027-12")]
    to: Option<Period>,
}

/// List shipments
#[utoipa::path(
    tag = "shipments",
    params(ShipmentFilter),
    responses((status = 200, description = "One page of shipments", body = Page<Shipment>), ReadErrors),
)]
#[get("/shipments")]
pub async fn list_shipments(
    state: web::Data<AppState>,
    _caller: Principal,
    filter: web::Query<ShipmentFilter>,
) -> Result<HttpResponse, ApiError> {
    let f = filter.into_inner();
    let limit = page::limit(f.limit)?;
    let cursor = f.cursor.as_deref().map(Cursor::decode).transpose()?;
    let rows = state
        .db
        .read(move |conn| {
            let mut q = shipments::table
                .select(ShipmentRow::as_select())
                .into_boxed();
            if let Some(s) = f.status {
                q = q.filter(shipments::status.eq(s.as_str()));
            }
            if let Some(o) = f.order_id {
                q = q.filter(shipments::order_id.eq(o.to_string()));
            }
            if let Some(c) = f.contract_id {
                q = q.filter(shipments::contract_id.eq(c.to_string()));
            }
            if let Some(c) = f.customer_id {
                q = q.filter(shipments::customer_id.eq(c.to_string()));
            }
            if let Some(p) = f.product_id {
                q = q.filter(shipments::product_id.eq(p.to_string()));
            }
            if let Some(from) = f.from {
                q = q.filter(shipments::period.ge(from.to_string()));
            }
            if let Some(to) = f.to {
                q = q.filter(shipments::period.le(to.to_string()));
            }
            if let Some(t) = f.updated_since {
                q = q.filter(shipments::updated_at.ge(t.naive_utc()));
            }
            Ok(crate::api::page::after_cursor!(q, shipments, cursor, limit)
                .load::<ShipmentRow>(conn)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page::paginate::<_, Shipment>(rows, limit)))
}

/// Get a shipment
#[utoipa::path(
    tag = "shipments",
    params(("id" = uuid::Uuid, Path, description = "Shipment id")),
    responses((status = 200, description = "The shipment", body = Shipment), ReadErrors),
)]
#[get("/shipments/{id}")]
pub async fn get_shipment(
    state: web::Data<AppState>,
    _caller: Principal,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let row = state.db.read(move |conn| super::find(conn, &id)).await?;
    Ok(respond::ok(row.version, &Shipment::from(&row)))
}
