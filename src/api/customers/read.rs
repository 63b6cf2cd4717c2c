use actix_web::{get, web, HttpResponse};

use super::Customer;
use crate::api::respond;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

/// Get a customer
#[utoipa::path(
    tag = "customers",
    params(("id" = uuid::Uuid, Path, description = "Customer id")),
    responses((status = 200, description = "The customer; `ETag` carries its version", body = Customer), ReadErrors),
)]
#[get("/customers/{id}")]
pub async fn get_customer(
    state: web::Data<AppState>,
    _caller: Principal,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let row = state.db.read(move |conn| super::find(conn, &id)).await?;
    Ok(respond::ok(row.version, &Customer::from(&row)))
}
