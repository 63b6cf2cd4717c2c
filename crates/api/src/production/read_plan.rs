use actix_web::{get, web, HttpResponse};

use crate::csv_twin::csv_twin_of_one;
use crate::domain::production::ProductionPlan;
use crate::domain::PlanId;
use crate::extract::Caller;
use crate::ops::detail_csv::PlanLinesCsv as _;
use crate::ops::plans;
use crate::problem::{ApiError, ReadErrors};
use crate::respond;
use crate::state::AppState;

/// Get a production plan
#[utoipa::path(
    tag = "production",
    params(("id" = uuid::Uuid, Path, description = "Plan id")),
    responses((status = 200, description = "The plan with its lines", body = ProductionPlan), ReadErrors),
)]
#[get("/{id}")]
pub async fn get_production_plan(
    state: web::Data<AppState>,
    _actor: Caller,
    id: web::Path<PlanId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let plan = state.db.read(move |c| plans::get(c, id)).await?;
    Ok(respond::ok(plan.version, &plan))
}

csv_twin_of_one!(
    name: get_production_plan_lines_csv,
    path: "/{id}/lines.csv",
    tag: "production",
    id: "Plan id",
    key: PlanId,
    op: plans::get,
    csv: lines_csv,
    summary: "A production plan's lines, as CSV",
    detail: "The plan's `lines` as a spreadsheet: `text/csv` with a header row, one row per product and month with its planned kg.",
    answer: "The lines as CSV, with a header row",
);
