//! `GET /api/v1/audit`: who changed what, when, in answer to which request.

use actix_web::{get, web, HttpResponse};

use crate::extract::Caller;
use crate::ops::feed::{self, AuditFilter, AuditPage};
use crate::problem::{ApiError, ReadErrors};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_audit_entries);
}

/// List audit entries
///
/// Admin, planner and sales. Oldest first.
#[utoipa::path(
    tag = "audit",
    params(AuditFilter),
    responses(
        (status = 200, description = "One page of audit entries", body = AuditPage),
        (status = 403, description = "Not allowed for this role", body = crate::problem::Problem, content_type = "application/problem+json"),
        ReadErrors,
    ),
)]
#[get("/audit")]
pub async fn list_audit_entries(
    state: web::Data<AppState>,
    actor: Caller,
    filter: crate::extract::ValidQuery<AuditFilter>,
) -> Result<HttpResponse, ApiError> {
    let f = filter.into_inner();
    let page = state.db.read(move |c| feed::audit(c, &actor, &f)).await?;
    Ok(HttpResponse::Ok().json(page))
}
