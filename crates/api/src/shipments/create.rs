use actix_web::{post, web, HttpResponse};

use crate::domain::shipment::Shipment;
use crate::extract::Caller;
use crate::extract::ValidJson;
use crate::ops::shipments::{self, NewShipment};
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Plan a shipment
///
/// Against a confirmed order, or a contract's month. Lots must add up to the quantity, and all
/// shipments of the order or contract month together may not exceed its quantity plus
/// tolerance (422 naming the limit). Roles: admin, sales, integration.
#[utoipa::path(
    tag = "shipments",
    request_body = NewShipment,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request")),
    responses((status = 201, description = "Planned", body = Shipment), WriteErrors),
)]
#[post("")]
pub async fn create_shipment(
    state: web::Data<AppState>,
    actor: Caller,
    body: ValidJson<NewShipment>,
) -> Result<HttpResponse, ApiError> {
    let made = state
        .db
        .write(move |c| shipments::create(c, &actor, body.0))
        .await?;
    Ok(respond::created(
        made.version,
        format!("/api/v1/shipments/{}", made.id),
        &made,
    ))
}
