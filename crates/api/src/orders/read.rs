use actix_web::{get, web, HttpResponse};

use crate::domain::order::Order;
use crate::domain::OrderId;
use crate::extract::Caller;
use crate::ops::orders;
use crate::problem::{ApiError, ReadErrors};
use crate::respond;
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
    _actor: Caller,
    id: web::Path<OrderId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let found = state.db.read(move |c| orders::get(c, id)).await?;
    Ok(respond::ok(found.version, &found))
}
