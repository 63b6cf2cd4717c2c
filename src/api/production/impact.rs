use actix_web::{get, web, HttpResponse};

use crate::api::problem::{ApiError, ReadErrors};
use crate::ops::plans::{self, PlanImpact};
use crate::ops::Actor;
use crate::state::AppState;

/// Preview a plan's impact
///
/// The reconciliation, for every product the plan touches, as it would be once the plan is
/// approved: which months fall short and which confirmed orders are at risk.
#[utoipa::path(
    tag = "production",
    params(("id" = uuid::Uuid, Path, description = "Plan id")),
    responses((status = 200, description = "The impact", body = PlanImpact), ReadErrors),
)]
#[get("/{id}/impact")]
pub async fn get_production_plan_impact(
    state: web::Data<AppState>,
    _actor: Actor,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let impact = state.db.read(move |c| plans::impact(c, id)).await?;
    Ok(HttpResponse::Ok().json(impact))
}
