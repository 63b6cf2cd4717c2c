use actix_web::{get, web, HttpResponse};

use super::Contract;
use crate::api::respond;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

/// Get a contract
#[utoipa::path(
    tag = "contracts",
    params(("id" = uuid::Uuid, Path, description = "Contract id")),
    responses((status = 200, description = "The contract with its schedule; `ETag` carries its version", body = Contract), ReadErrors),
)]
#[get("/contracts/{id}")]
pub async fn get_contract(
    state: web::Data<AppState>,
    _caller: Principal,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let c = state.db.read(move |conn| super::find(conn, &id)).await?;
    Ok(respond::ok(c.row.version, &c.view()))
}
