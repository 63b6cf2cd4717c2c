use actix_web::{post, web, HttpResponse};

use crate::domain::contract::Contract;
use crate::extract::Caller;
use crate::extract::ValidJson;
use crate::ops::contracts::{self, NewContract};
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Create a contract
///
/// Created as a draft; nothing is committed until it is activated. Roles: admin, sales.
#[utoipa::path(
    tag = "contracts",
    request_body = NewContract,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request")),
    responses((status = 201, description = "Created", body = Contract), WriteErrors),
)]
#[post("")]
pub async fn create_contract(
    state: web::Data<AppState>,
    actor: Caller,
    body: ValidJson<NewContract>,
) -> Result<HttpResponse, ApiError> {
    let made = state
        .db
        .write(move |c| contracts::create(c, &actor, body.0))
        .await?;
    Ok(respond::created(
        made.version,
        format!("/api/v1/contracts/{}", made.id),
        &made,
    ))
}
