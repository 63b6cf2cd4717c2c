use actix_web::{get, web, HttpResponse};

use crate::domain::OrderId;
use crate::extract::Caller;
use crate::ops::orders::{self, OrderPricing};
use crate::problem::{ApiError, ReadErrors};
use crate::state::AppState;

/// Price an order
///
/// The order's resolved unit price, status, basis month and value, as for contracts.
#[utoipa::path(
    tag = "orders",
    params(("id" = uuid::Uuid, Path, description = "Order id")),
    responses((status = 200, description = "The priced order", body = OrderPricing), ReadErrors),
)]
#[get("/{id}/pricing")]
pub async fn get_order_pricing(
    state: web::Data<AppState>,
    _actor: Caller,
    id: web::Path<OrderId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let priced = state.db.read(move |c| orders::pricing(c, id)).await?;
    Ok(HttpResponse::Ok().json(priced))
}
