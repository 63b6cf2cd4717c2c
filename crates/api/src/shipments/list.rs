use actix_web::{get, web, HttpResponse};

use crate::domain::shipment::Shipment;
use crate::extract::Caller;
use crate::ops::page::Page;
use crate::ops::shipments::{self, ShipmentFilter};
use crate::problem::{ApiError, ReadErrors};
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
    _actor: Caller,
    filter: crate::extract::ValidQuery<ShipmentFilter>,
) -> Result<HttpResponse, ApiError> {
    let f = filter.into_inner();
    let page = state.db.read(move |c| shipments::list(c, &f)).await?;
    Ok(HttpResponse::Ok().json(page))
}
