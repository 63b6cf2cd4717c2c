use actix_web::{post, web, HttpResponse};

use crate::domain::shipment::Shipment;
use crate::domain::ShipmentId;
use crate::extract::Caller;
use crate::extract::{IfMatch, ValidJson};
use crate::ops::shipments::{self, ShipRequest};
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Ship a shipment
///
/// planned → shipped, with vessel, voyage, bill of lading and containers. An export-controlled
/// product ships only under a licence for that product and customer, valid on the ship date,
/// with enough remaining; shipping draws it down in the same transaction. The order's status
/// follows (partially_shipped, shipped).
#[utoipa::path(
    tag = "shipments",
    request_body = ShipRequest,
    params(
        ("id" = uuid::Uuid, Path, description = "Shipment id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The shipped shipment", body = Shipment), WriteErrors),
)]
#[post("/{id}/ship")]
pub async fn ship_shipment(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<ShipmentId>,
    if_match: IfMatch,
    body: ValidJson<ShipRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let shipped = state
        .db
        .write(move |c| shipments::ship(c, &actor, id, &if_match.0, body.0))
        .await?;
    Ok(respond::ok(shipped.version, &shipped))
}
