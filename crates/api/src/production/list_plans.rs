use actix_web::{get, web, HttpResponse};

use crate::domain::production::ProductionPlan;
use crate::extract::Caller;
use crate::ops::page::Page;
use crate::ops::plans::{self, PlanFilter};
use crate::problem::{ApiError, ReadErrors};
use crate::state::AppState;

/// List production plans
///
/// In order of creation; `status` filters by draft, approved or superseded.
#[utoipa::path(
    tag = "production",
    params(PlanFilter),
    responses((status = 200, description = "One page of plans", body = Page<ProductionPlan>), ReadErrors),
)]
#[get("")]
pub async fn list_production_plans(
    state: web::Data<AppState>,
    _actor: Caller,
    params: crate::extract::ValidQuery<PlanFilter>,
) -> Result<HttpResponse, ApiError> {
    let f = params.into_inner();
    let page = state.db.read(move |c| plans::list(c, &f)).await?;
    Ok(HttpResponse::Ok().json(page))
}
