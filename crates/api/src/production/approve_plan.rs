use actix_web::{post, web, HttpResponse};

use crate::domain::PlanId;
use crate::extract::Caller;
use crate::extract::{IfMatch, OptionalJson};
use crate::ops::action::ActionBody;
use crate::ops::plans::{self, PlanApproval};
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Approve a production plan
///
/// draft → approved; the previously approved version becomes superseded, and for every
/// (product, month) this version mentions its line is now the plan. Plans are facts, so a plan
/// that creates shortfalls is approved all the same; the answer and the `production_plan.approved`
/// event carry the impact. Roles: admin, planner.
#[utoipa::path(
    tag = "production",
    request_body(content = Option<ActionBody>, description = "Optional reason"),
    params(
        ("id" = uuid::Uuid, Path, description = "Plan id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The approved plan and its impact", body = PlanApproval), WriteErrors),
)]
#[post("/{id}/approve")]
pub async fn approve_production_plan(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<PlanId>,
    if_match: IfMatch,
    body: OptionalJson<ActionBody>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let approval = state
        .db
        .write(move |c| plans::approve(c, &actor, id, &if_match.0, &body.0))
        .await?;
    Ok(respond::ok(approval.plan.version, &approval))
}
