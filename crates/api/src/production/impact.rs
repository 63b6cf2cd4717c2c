use actix_web::{get, web, HttpResponse};

use crate::csv_twin::csv_twin_of_one;
use crate::domain::PlanId;
use crate::extract::Caller;
use crate::ops::plans::{self, PlanImpact};
use crate::ops::reconciliation::OrdersAtRisk;
use crate::problem::{ApiError, ReadErrors};
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
    _actor: Caller,
    id: web::Path<PlanId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let impact = state.db.read(move |c| plans::impact(c, id)).await?;
    Ok(HttpResponse::Ok().json(impact))
}

csv_twin_of_one!(
    name: get_production_plan_impact_csv,
    path: "/{id}/impact.csv",
    tag: "production",
    id: "Plan id",
    key: PlanId,
    op: plans::impact,
    csv: csv,
    summary: "Preview a plan's impact, as CSV",
    detail: "One row per product and month: supply, projected stock and shortfall before and after approval, whether the month becomes short, and the orders at risk after approval.",
    answer: "The impact as CSV, with a header row",
);

/// Orders a plan would put at risk
///
/// The confirmed orders that approving the plan would put at risk, named — number, customer,
/// month, quantity — with the short month that puts each at risk (at most 500, `truncated`
/// when there are more), over the months the impact covers.
#[utoipa::path(
    tag = "production",
    params(("id" = uuid::Uuid, Path, description = "Plan id")),
    responses((status = 200, description = "The orders at risk after approval", body = OrdersAtRisk), ReadErrors),
)]
#[get("/{id}/orders-at-risk")]
pub async fn get_production_plan_orders_at_risk(
    state: web::Data<AppState>,
    _actor: Caller,
    id: web::Path<PlanId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let named = state.db.read(move |c| plans::orders_at_risk(c, id)).await?;
    Ok(HttpResponse::Ok().json(named))
}

csv_twin_of_one!(
    name: get_production_plan_orders_at_risk_csv,
    path: "/{id}/orders-at-risk.csv",
    tag: "production",
    id: "Plan id",
    key: PlanId,
    op: plans::orders_at_risk,
    csv: csv,
    summary: "Orders a plan would put at risk, as CSV",
    detail: "The same rows as the JSON answer, as a spreadsheet: `text/csv` with a header row.",
    answer: "The orders at risk after approval as CSV, with a header row",
);
