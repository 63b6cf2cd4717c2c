//! The contract lifecycle over HTTP: activate (with the ATP gate), suspend, resume, complete,
//! terminate.

use actix_web::{post, web, HttpResponse};

use crate::api::extract::{IfMatch, OptionalJson};
use crate::api::problem::{ApiError, WriteErrors};
use crate::api::respond;
use crate::domain::contract::Contract;
use crate::ops::action::ActionRequest;
use crate::ops::{contracts, Actor};
use crate::state::AppState;

macro_rules! contract_action {
    ($fn_name:ident, $path:literal, $op:path, $summary:literal, $doc:literal) => {
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
            actor: Actor,
            id: web::Path<uuid::Uuid>,
            if_match: IfMatch,
            body: OptionalJson<ActionRequest>,
        ) -> Result<HttpResponse, ApiError> {
            let id = id.into_inner();
            let moved = state
                .db
                .write(move |c| $op(c, &actor, id, &if_match.0, &body.0))
                .await?;
            Ok(respond::ok(moved.version, &moved))
        }
    };
}

contract_action!(
    activate_contract,
    "/contracts/{id}/activate",
    contracts::activate,
    "Activate a contract",
    "draft → active. Every scheduled month is checked against available-to-promise: 409 with \
     `requested_kg`, `available_kg` and `first_short_period` when it would create or deepen a \
     shortfall, unless a planner or admin sends `{\"override\": true, \"reason\": …}`."
);
contract_action!(
    suspend_contract,
    "/contracts/{id}/suspend",
    contracts::suspend,
    "Suspend a contract",
    "active → suspended. A suspended contract's schedule still counts as demand."
);
contract_action!(
    resume_contract,
    "/contracts/{id}/resume",
    contracts::resume,
    "Resume a contract",
    "suspended → active."
);
contract_action!(
    complete_contract,
    "/contracts/{id}/complete",
    contracts::complete,
    "Complete a contract",
    "active or suspended → completed: its schedule no longer counts as demand."
);
contract_action!(
    terminate_contract,
    "/contracts/{id}/terminate",
    contracts::terminate,
    "Terminate a contract",
    "active or suspended → terminated; a `reason` is required. Its schedule no longer counts as demand."
);
