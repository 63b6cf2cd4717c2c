use actix_web::{post, web, HttpResponse};

use super::Contract;
use crate::api::commitment::{annotate, atp_gate, ActionRequest};
use crate::api::extract::{IfMatch, OptionalJson};
use crate::api::respond;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::now;
use crate::domain::lifecycle::ContractAction;
use crate::domain::Permission;
use crate::error::ApiError;
use crate::openapi::WriteErrors;
use crate::startup::AppState;

/// Moves a contract through its lifecycle; activation runs the ATP check over every month.
async fn transition(
    state: web::Data<AppState>,
    caller: Principal,
    id: uuid::Uuid,
    if_match: IfMatch,
    body: ActionRequest,
    action: ContractAction,
) -> Result<HttpResponse, ApiError> {
    body.authorize(&caller, Permission::WriteContracts)?;
    let reason = body.reason(action == ContractAction::Terminate)?;
    if body.atp_override && action != ContractAction::Activate {
        return Err(ApiError::field(
            "override",
            "only activation runs the ATP check",
        ));
    }
    let id = id.to_string();
    let actor = Actor::from(&caller);
    let stored = state
        .db
        .write(move |conn| {
            let before = super::find(conn, &id)?;
            if_match.check(before.row.version)?;
            let from = before.status();
            let to = from.apply(action).ok_or_else(|| {
                ApiError::conflict(format!(
                    "a {} contract cannot {}",
                    from.as_str(),
                    action.name()
                ))
            })?;
            let overridden = if action == ContractAction::Activate {
                atp_gate(
                    conn,
                    &before.row.product_id,
                    &before.terms().grams(),
                    body.atp_override,
                )?
            } else {
                false
            };
            let mut row = before.row.clone();
            row.status = to.as_str().into();
            row.updated_at = now();
            row.version += 1;
            super::save(conn, &before.row, &row)?;
            let after = super::find(conn, &row.id)?;
            let mut snapshot = super::snapshot(&after);
            annotate(&mut snapshot, reason.as_deref(), overridden);
            change::record(
                conn,
                &actor,
                Change {
                    action: action.past(),
                    entity_type: "contract",
                    entity_id: &row.id,
                    before: super::snapshot(&before),
                    after: snapshot,
                },
            )?;
            Ok(after)
        })
        .await?;
    Ok(respond::ok(stored.row.version, &stored.view()))
}

macro_rules! contract_action {
    ($fn_name:ident, $path:literal, $action:expr, $summary:literal, $doc:literal) => {
        #[doc = $summary]
        #[doc = ""]
        #[doc = $doc]
        #[utoipa::path(
            tag = "contracts",
            request_body(content = Option<ActionRequest>, description = "Optional reason (and override)"),
            params(
                ("id" = uuid::Uuid, Path, description = "Contract id"),
                ("If-Match" = Option<String>, Header, description = "The ETag last read"),
            ),
            responses((status = 200, description = "The contract in its new state", body = Contract), WriteErrors),
        )]
        #[post($path)]
        pub async fn $fn_name(
            state: web::Data<AppState>,
            caller: Principal,
            id: web::Path<uuid::Uuid>,
            if_match: IfMatch,
            body: OptionalJson<ActionRequest>,
        ) -> Result<HttpResponse, ApiError> {
            transition(state, caller, id.into_inner(), if_match, body.0, $action).await
        }
    };
}

contract_action!(
    activate_contract,
    "/contracts/{id}/activate",
    ContractAction::Activate,
    "Activate a contract",
    "draft → active. Every scheduled month is checked against available-to-promise: 409 with \
     `requested_kg`, `available_kg` and `first_short_period` when it would create or deepen a \
     shortfall, unless a planner or admin sends `{\"override\": true, \"reason\": …}`."
);
contract_action!(
    suspend_contract,
    "/contracts/{id}/suspend",
    ContractAction::Suspend,
    "Suspend a contract",
    "active → suspended. A suspended contract's schedule still counts as demand."
);
contract_action!(
    resume_contract,
    "/contracts/{id}/resume",
    ContractAction::Resume,
    "Resume a contract",
    "suspended → active."
);
contract_action!(
    complete_contract,
    "/contracts/{id}/complete",
    ContractAction::Complete,
    "Complete a contract",
    "active or suspended → completed: its schedule no longer counts as demand."
);
contract_action!(
    terminate_contract,
    "/contracts/{id}/terminate",
    ContractAction::Terminate,
    "Terminate a contract",
    "active or suspended → terminated; a `reason` is required. Its schedule no longer counts as demand."
);
