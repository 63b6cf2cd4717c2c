use actix_web::{get, web, HttpResponse};

use crate::api::problem::{ApiError, ReadErrors};
use crate::domain::shipment::Shipment;
use crate::ops::page::Page;
use crate::ops::shipments::{self, ShipmentFilter};
use crate::ops::Actor;
use crate::state::AppState;

/// List shipments
#[utoipa::path(
    tag = "shipments",
    params(ShipmentFilter),
    responses((status = 200, description = "One page of shipments", body = Page<Shipment>), ReadErrors),
)]
#[get("")]
pub async fn list_shipments(
    state: web::Data<AppState>,
    _actor: Actor,
    filter: web::Query<ShipmentFilter>,
) -> Result<HttpResponse, ApiError> {
    let f = filter.into_inner();
    let page = state.db.read(move |c| shipments::list(c, &f)).await?;
    Ok(HttpResponse::Ok().json(page))
}
