use actix_web::{patch, web, HttpResponse};

use crate::domain::order::Order;
use crate::domain::OrderId;
use crate::extract::Caller;
use crate::extract::{IfMatch, ValidJson};
use crate::ops::orders::{self, OrderPatch};
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Update a draft order
///
/// Only drafts change (409 otherwise). Roles: admin, sales, integration.
#[utoipa::path(
    tag = "orders",
    request_body = OrderPatch,
    params(
        ("id" = uuid::Uuid, Path, description = "Order id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The updated order", body = Order), WriteErrors),
)]
#[patch("/{id}")]
pub async fn update_order(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<OrderId>,
    if_match: IfMatch,
    body: ValidJson<OrderPatch>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let changed = state
        .db
        .write(move |c| orders::update(c, &actor, id, &if_match.0, body.0))
        .await?;
    Ok(respond::ok(changed.version, &changed))
}
