use actix_web::{get, web, HttpResponse};

use crate::api::problem::{ApiError, ReadErrors};
use crate::api::respond;
use crate::domain::order::Order;
use crate::ops::{orders, Actor};
use crate::state::AppState;

/// Get an order
#[utoipa::path(
    tag = "orders",
    params(("id" = uuid::Uuid, Path, description = "Order id")),
    responses((status = 200, description = "The order; `ETag` carries its version", body = Order), ReadErrors),
)]
#[get("/{id}")]
pub async fn get_order(
    state: web::Data<AppState>,
    _actor: Actor,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let found = state.db.read(move |c| orders::get(c, id)).await?;
    Ok(respond::ok(found.version, &found))
}
