use actix_web::{patch, web, HttpResponse};

use crate::domain::shipment::Shipment;
use crate::domain::ShipmentId;
use crate::extract::Caller;
use crate::extract::{IfMatch, ValidJson};
use crate::ops::shipments::{self, ShipmentPatch};
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Update a planned shipment
///
/// Only planned shipments change; quantity and lots are checked again.
#[utoipa::path(
    tag = "shipments",
    request_body = ShipmentPatch,
    params(
        ("id" = uuid::Uuid, Path, description = "Shipment id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The updated shipment", body = Shipment), WriteErrors),
)]
#[patch("/{id}")]
pub async fn update_shipment(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<ShipmentId>,
    if_match: IfMatch,
    body: ValidJson<ShipmentPatch>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let changed = state
        .db
        .write(move |c| shipments::update(c, &actor, id, &if_match.0, body.0))
        .await?;
    Ok(respond::ok(changed.version, &changed))
}
