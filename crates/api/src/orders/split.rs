//! When an order does not fit its month: split it into what fits and the rest in a later month,
//! or move it to a month that fits; each confirms in one transaction.

use actix_web::{post, web, HttpResponse};

use crate::domain::order::Order;
use crate::domain::OrderId;
use crate::extract::{Caller, IfMatch, OptionalJson};
use crate::ops::orders::{self, MoveRequest, SplitOrders, SplitRequest};
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Split an order that does not fit
///
/// For a draft or submitted order whose month cannot take all of it: what is available to
/// promise in its month (or `keep_kg`) stays on the order and is confirmed, and the rest becomes
/// a new order confirmed in `rest_period` — by default the first month within 24 after whose
/// available-to-promise covers it — the way an ERP's partial confirmation does. Both orders are
/// confirmed in one transaction, or neither: a month that does not cover its part is the ATP
/// refusal (409 `insufficient-atp`). 409 when the order fits already, when nothing is available
/// in its month, or when no month within a year covers the rest.
#[utoipa::path(
    tag = "orders",
    request_body(content = Option<SplitRequest>, description = "What to keep, where the rest goes, why"),
    params(
        ("id" = uuid::Uuid, Path, description = "Order id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The two confirmed orders", body = SplitOrders), WriteErrors),
)]
#[post("/{id}/split")]
pub async fn split_order(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<OrderId>,
    if_match: IfMatch,
    body: OptionalJson<SplitRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let split = state
        .db
        .write(move |c| orders::split(c, &actor, id, &if_match.0, &body.0))
        .await?;
    Ok(HttpResponse::Ok().json(split))
}

/// Move an order to a month that fits and confirm it
///
/// A draft or submitted order moves to `period` — by default the first month within 24 after
/// its own whose available-to-promise covers it — and is confirmed there, in one transaction:
/// the ATP refusal (409) when the month does not cover it, and nothing changes.
#[utoipa::path(
    tag = "orders",
    request_body(content = Option<MoveRequest>, description = "The month, and why"),
    params(
        ("id" = uuid::Uuid, Path, description = "Order id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The order, moved and confirmed", body = Order), WriteErrors),
)]
#[post("/{id}/move")]
pub async fn move_order(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<OrderId>,
    if_match: IfMatch,
    body: OptionalJson<MoveRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let moved = state
        .db
        .write(move |c| orders::move_and_confirm(c, &actor, id, &if_match.0, &body.0))
        .await?;
    Ok(respond::ok(moved.version, &moved))
}
