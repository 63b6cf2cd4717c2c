use actix_web::{patch, web, HttpResponse};

use crate::domain::contract::Contract;
use crate::domain::ContractId;
use crate::extract::Caller;
use crate::extract::{IfMatch, ValidJson};
use crate::ops::contracts::{self, ContractPatch};
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Update a draft contract
///
/// Only drafts change freely (409 otherwise); an active contract's schedule changes through
/// `PUT /contracts/{id}/schedule` as an amendment.
#[utoipa::path(
    tag = "contracts",
    request_body = ContractPatch,
    params(
        ("id" = uuid::Uuid, Path, description = "Contract id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The updated contract", body = Contract), WriteErrors),
)]
#[patch("/{id}")]
pub async fn update_contract(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<ContractId>,
    if_match: IfMatch,
    body: ValidJson<ContractPatch>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let changed = state
        .db
        .write(move |c| contracts::update(c, &actor, id, &if_match.0, body.0))
        .await?;
    Ok(respond::ok(changed.version, &changed))
}
