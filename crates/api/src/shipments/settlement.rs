//! `GET /shipments/{id}/settlement` and `POST /shipments/{id}/settlement/finalise`.

use actix_web::{get, post, web, HttpResponse};

use crate::domain::ShipmentId;
use crate::extract::{Caller, IfMatch};
use crate::ops::settlements::{self, Settlement};
use crate::problem::{ApiError, ReadErrors, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// A shipment's settlement
///
/// What the shipment is worth: the provisional valuation fixed the day it shipped (per lot,
/// kg × (unit price + quality adjustment), 2 dp) and the amount due at shipment; while open,
/// the valuation at today's price, and — once that price is final — the final value and the
/// balance (final value − provisional due; negative is a credit note); each figure also in the
/// book currency. 404 before the shipment ships.
#[utoipa::path(
    tag = "shipments",
    params(("id" = uuid::Uuid, Path, description = "Shipment id")),
    responses((status = 200, description = "The settlement; `ETag` carries its version", body = Settlement), ReadErrors),
)]
#[get("/{id}/settlement")]
pub async fn get_settlement(
    state: web::Data<AppState>,
    _actor: Caller,
    id: web::Path<ShipmentId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let s = state.db.read(move |c| settlements::get(c, id)).await?;
    Ok(respond::ok(s.version, &s))
}

/// Finalise a settlement
///
/// Freezes the final valuation at today's price, which must be final (the quotation month
/// over, with its quotes and, for an index in another currency, its fixings) or fixed; later
/// corrections of quotes or fixings no longer change it. 409 when it is already final or the
/// price is not yet. Roles: admin, sales.
#[utoipa::path(
    tag = "shipments",
    params(
        ("id" = uuid::Uuid, Path, description = "Shipment id"),
        ("If-Match" = Option<String>, Header, description = "The settlement's ETag last read"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request"),
    ),
    responses((status = 200, description = "The final settlement", body = Settlement), WriteErrors),
)]
#[post("/{id}/settlement/finalise")]
pub async fn finalise_settlement(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<ShipmentId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let s = state
        .db
        .write(move |c| settlements::finalise(c, &actor, id, &if_match.0))
        .await?;
    Ok(respond::ok(s.version, &s))
}
