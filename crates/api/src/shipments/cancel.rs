use actix_web::{post, web, HttpResponse};

use crate::domain::shipment::Shipment;
use crate::domain::ShipmentId;
use crate::extract::Caller;
use crate::extract::{IfMatch, OptionalJson};
use crate::ops::action::ActionRequest;
use crate::ops::shipments;
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Cancel a shipment
///
/// planned → cancelled; a `reason` is required. Shipped goods are not cancelled.
#[utoipa::path(
    tag = "shipments",
    request_body(content = Option<ActionRequest>, description = "The reason"),
    params(
        ("id" = uuid::Uuid, Path, description = "Shipment id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The cancelled shipment", body = Shipment), WriteErrors),
)]
#[post("/{id}/cancel")]
pub async fn cancel_shipment(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<ShipmentId>,
    if_match: IfMatch,
    body: OptionalJson<ActionRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let cancelled = state
        .db
        .write(move |c| shipments::cancel(c, &actor, id, &if_match.0, &body.0))
        .await?;
    Ok(respond::ok(cancelled.version, &cancelled))
}
