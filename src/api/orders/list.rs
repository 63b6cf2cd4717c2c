use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Deserialize;

use super::Order;
use crate::api::page::{self, Cursor, Page};
use crate::auth::Principal;
use crate::db::models::order::OrderRow;
use crate::db::schema::orders;
use crate::domain::lifecycle::{OrderStatus, OrderType};
use crate::domain::Period;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrderFilter {
    /// Page size, 1–500 (default 50).
    limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only orders changed at or after this instant (RFC 3339).
    updated_since: Option<DateTime<Utc>>,
    status: Option<OrderStatus>,
    order_type: Option<OrderType>,
    customer_id: Option<uuid::Uuid>,
    product_id: Option<uuid::Uuid>,
    contract_id: Option<uuid::Uuid>,
    /// Delivery months from (YYYY-MM, inclusive).
    #[param(value_type = Option<String>, example = "2027-01")]
    from: Option<Period>,
    /// Delivery months to (YYYY-MM, inclusive).
    #[param(value_type = Option<String>, example = "2027-12")]
    to: Option<Period>,
    number: Option<String>,
    external_ref: Option<String>,
}

/// List orders
#[utoipa::path(
    tag = "orders",
    params(OrderFilter),
    responses((status = 200, description = "One page of orders", body = Page<Order>), ReadErrors),
)]
#[get("/orders")]
pub async fn list_orders(
    state: web::Data<AppState>,
    _caller: Principal,
    filter: web::Query<OrderFilter>,
) -> Result<HttpResponse, ApiError> {
    let f = filter.into_inner();
    let limit = page::limit(f.limit)?;
    let cursor = f.cursor.as_deref().map(Cursor::decode).transpose()?;
    let rows = state
        .db
        .read(move |conn| {
            let mut q = orders::table.select(OrderRow::as_select()).into_boxed();
            if let Some(s) = f.status {
                q = q.filter(orders::status.eq(s.as_str()));
            }
            if let Some(t) = f.order_type {
                q = q.filter(orders::order_type.eq(t.as_str()));
            }
            if let Some(c) = f.customer_id {
                q = q.filter(orders::customer_id.eq(c.to_string()));
            }
            if let Some(p) = f.product_id {
                q = q.filter(orders::product_id.eq(p.to_string()));
            }
            if let Some(c) = f.contract_id {
                q = q.filter(orders::contract_id.eq(c.to_string()));
            }
            if let Some(from) = f.from {
                q = q.filter(orders::period.ge(from.to_string()));
            }
            if let Some(to) = f.to {
                q = q.filter(orders::period.le(to.to_string()));
            }
            if let Some(n) = f.number {
                q = q.filter(orders::number.eq(n));
            }
            if let Some(e) = f.external_ref {
                q = q.filter(orders::external_ref.eq(e));
            }
            if let Some(t) = f.updated_since {
                q = q.filter(orders::updated_at.ge(t.naive_utc()));
            }
            Ok(crate::api::page::after_cursor!(q, orders, cursor, limit).load::<OrderRow>(conn)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page::paginate::<_, Order>(rows, limit)))
}
