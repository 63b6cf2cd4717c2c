use actix_web::{put, web, HttpResponse};

use crate::domain::contract::Contract;
use crate::domain::ContractId;
use crate::extract::Caller;
use crate::extract::{IfMatch, ValidJson};
use crate::ops::contracts::{self, ScheduleReplacement};
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Replace a contract's schedule
///
/// On a draft, simply replaces it. On an active or suspended contract it is an amendment,
/// kept with who, when, why and the old and new schedule; months that grow are checked
/// against available-to-promise (409 with the numbers unless overridden).
#[utoipa::path(
    tag = "contracts",
    request_body = ScheduleReplacement,
    params(
        ("id" = uuid::Uuid, Path, description = "Contract id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The contract with its new schedule", body = Contract), WriteErrors),
)]
#[put("/{id}/schedule")]
pub async fn replace_contract_schedule(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<ContractId>,
    if_match: IfMatch,
    body: ValidJson<ScheduleReplacement>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let changed = state
        .db
        .write(move |c| contracts::replace_schedule(c, &actor, id, &if_match.0, body.0))
        .await?;
    Ok(respond::ok(changed.version, &changed))
}
