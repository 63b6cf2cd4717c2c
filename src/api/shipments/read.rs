use actix_web::{get, web, HttpResponse};

use crate::api::problem::{ApiError, ReadErrors};
use crate::api::respond;
use crate::domain::shipment::Shipment;
use crate::ops::{shipments, Actor};
use crate::state::AppState;

/// Get a shipment
#[utoipa::path(
    tag = "shipments",
    params(("id" = uuid::Uuid, Path, description = "Shipment id")),
    responses((status = 200, description = "The shipment", body = Shipment), ReadErrors),
)]
#[get("/{id}")]
pub async fn get_shipment(
    state: web::Data<AppState>,
    _actor: Actor,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let found = state.db.read(move |c| shipments::get(c, id)).await?;
    Ok(respond::ok(found.version, &found))
}
