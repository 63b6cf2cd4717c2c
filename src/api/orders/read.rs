use actix_web::{get, web, HttpResponse};

use super::Order;
use crate::api::respond;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

/// Get an order
#[utoipa::path(
    tag = "orders",
    params(("id" = uuid::Uuid, Path, description = "Order id")),
    responses((status = 200, description = "The order; `ETag` carries its version", body = Order), ReadErrors),
)]
#[get("/orders/{id}")]
pub async fn get_order(
    state: web::Data<AppState>,
    _caller: Principal,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let row = state.db.read(move |conn| super::find(conn, &id)).await?;
    Ok(respond::ok(row.version, &Order::from(&row)))
}
