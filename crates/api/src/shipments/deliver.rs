use actix_web::{post, web, HttpResponse};

use crate::domain::shipment::Shipment;
use crate::domain::ShipmentId;
use crate::extract::Caller;
use crate::extract::{IfMatch, ValidJson};
use crate::ops::shipments::{self, DeliverRequest};
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Deliver a shipment
///
/// shipped → delivered. When every shipment of an order is delivered and the order is fully
/// shipped, the order is delivered.
#[utoipa::path(
    tag = "shipments",
    request_body = DeliverRequest,
    params(
        ("id" = uuid::Uuid, Path, description = "Shipment id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The delivered shipment", body = Shipment), WriteErrors),
)]
#[post("/{id}/deliver")]
pub async fn deliver_shipment(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<ShipmentId>,
    if_match: IfMatch,
    body: ValidJson<DeliverRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let delivered = state
        .db
        .write(move |c| shipments::deliver(c, &actor, id, &if_match.0, &body.0))
        .await?;
    Ok(respond::ok(delivered.version, &delivered))
}
