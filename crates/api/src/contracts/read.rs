use actix_web::{get, web, HttpResponse};

use crate::domain::contract::Contract;
use crate::domain::ContractId;
use crate::extract::Caller;
use crate::ops::contracts;
use crate::problem::{ApiError, ReadErrors};
use crate::respond;
use crate::state::AppState;

/// Get a contract
#[utoipa::path(
    tag = "contracts",
    params(("id" = uuid::Uuid, Path, description = "Contract id")),
    responses((status = 200, description = "The contract with its schedule; `ETag` carries its version", body = Contract), ReadErrors),
)]
#[get("/{id}")]
pub async fn get_contract(
    state: web::Data<AppState>,
    _actor: Caller,
    id: web::Path<ContractId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let found = state.db.read(move |c| contracts::get(c, id)).await?;
    Ok(respond::ok(found.version, &found))
}
