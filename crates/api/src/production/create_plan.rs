use actix_web::{post, web, HttpResponse};

use crate::domain::production::ProductionPlan;
use crate::extract::Caller;
use crate::extract::ValidJson;
use crate::ops::plans::{self, NewPlan};
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Create a plan version
///
/// A draft listing only what it sets. Roles: admin, planner.
#[utoipa::path(
    tag = "production",
    request_body = NewPlan,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request")),
    responses((status = 201, description = "Created", body = ProductionPlan), WriteErrors),
)]
#[post("")]
pub async fn create_production_plan(
    state: web::Data<AppState>,
    actor: Caller,
    body: ValidJson<NewPlan>,
) -> Result<HttpResponse, ApiError> {
    let plan = state
        .db
        .write(move |c| plans::create(c, &actor, body.0))
        .await?;
    Ok(respond::created(
        plan.version,
        format!("/api/v1/production-plans/{}", plan.id),
        &plan,
    ))
}
