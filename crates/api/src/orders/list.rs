use actix_web::{get, web, HttpResponse};

use crate::domain::order::Order;
use crate::extract::Caller;
use crate::ops::orders::{self, OrderFilter};
use crate::ops::page::Page;
use crate::problem::{ApiError, ReadErrors};
use crate::state::AppState;

/// List orders
#[utoipa::path(
    tag = "orders",
    params(OrderFilter),
    responses((status = 200, description = "One page of orders", body = Page<Order>), ReadErrors),
)]
#[get("")]
pub async fn list_orders(
    state: web::Data<AppState>,
    _actor: Caller,
    filter: crate::extract::ValidQuery<OrderFilter>,
) -> Result<HttpResponse, ApiError> {
    let f = filter.into_inner();
    let page = state.db.read(move |c| orders::list(c, &f)).await?;
    Ok(HttpResponse::Ok().json(page))
}
