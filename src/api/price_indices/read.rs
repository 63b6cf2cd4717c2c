use actix_web::{get, web, HttpResponse};

use super::PriceIndex;
use crate::api::respond;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

/// Get a price index
#[utoipa::path(
    tag = "price-indices",
    params(("id" = uuid::Uuid, Path, description = "Price index id")),
    responses((status = 200, description = "The price index; `ETag` carries its version", body = PriceIndex), ReadErrors),
)]
#[get("/price-indices/{id}")]
pub async fn get_price_index(
    state: web::Data<AppState>,
    _caller: Principal,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let row = state.db.read(move |conn| super::find(conn, &id)).await?;
    Ok(respond::ok(row.version, &PriceIndex::from(&row)))
}
