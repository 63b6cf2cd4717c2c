use actix_web::{get, web, HttpResponse};

use super::Product;
use crate::api::respond;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

/// Get a product
#[utoipa::path(
    tag = "products",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    responses((status = 200, description = "The product; `ETag` carries its version", body = Product), ReadErrors),
)]
#[get("/products/{id}")]
pub async fn get_product(
    state: web::Data<AppState>,
    _caller: Principal,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let row = state.db.read(move |conn| super::find(conn, &id)).await?;
    Ok(respond::ok(row.version, &Product::from(&row)))
}
