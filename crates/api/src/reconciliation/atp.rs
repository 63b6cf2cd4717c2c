use actix_web::{get, web, HttpResponse};

use crate::csv_twin::csv_twin;
use crate::extract::Caller;
use crate::ops::reconciliation::{
    self, AtRiskQuery, Atp, AtpHorizon, AtpQuery, HorizonQuery, OrdersAtRisk,
};
use crate::problem::{ApiError, ReadErrors};
use crate::respond;
use crate::state::AppState;

/// Available to promise
///
/// What can still be confirmed for the product in the month without creating or deepening a
/// shortfall in that or any later month.
#[utoipa::path(
    tag = "reconciliation",
    params(AtpQuery),
    responses((status = 200, description = "ATP", body = Atp), ReadErrors),
)]
#[get("/atp")]
pub async fn get_atp(
    state: web::Data<AppState>,
    _actor: Caller,
    query: crate::extract::ValidQuery<AtpQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let atp = state.db.read(move |c| reconciliation::atp(c, &q)).await?;
    Ok(HttpResponse::Ok().json(atp))
}

/// What-if ATP over a range of months
///
/// For a quantity being considered: ATP in each month of `from`–`to` (at most 120 months), and
/// `first_fit_period`, the first month whose ATP covers the quantity — where an order that does
/// not fit in its month could go instead.
#[utoipa::path(
    tag = "reconciliation",
    params(HorizonQuery),
    responses((status = 200, description = "ATP per month and the first month that fits", body = AtpHorizon), ReadErrors),
)]
#[get("/atp/horizon")]
pub async fn get_atp_horizon(
    state: web::Data<AppState>,
    _actor: Caller,
    query: crate::extract::ValidQuery<HorizonQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let horizon = state
        .db
        .read(move |c| reconciliation::horizon(c, &q))
        .await?;
    Ok(HttpResponse::Ok().json(horizon))
}

/// The orders at risk, named
///
/// Every confirmed order that a short month in `from`–`to` puts at risk (the latest confirmed
/// go first), with its number, customer and kg — across products, or for `product_id` — so a
/// list needs no call per order. At most 500; `truncated` says when there are more.
#[utoipa::path(
    tag = "reconciliation",
    params(AtRiskQuery),
    responses((status = 200, description = "The orders at risk", body = OrdersAtRisk), ReadErrors),
)]
#[get("/reconciliation/orders-at-risk")]
pub async fn get_orders_at_risk(
    state: web::Data<AppState>,
    _actor: Caller,
    query: crate::extract::ValidQuery<AtRiskQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let found = state
        .db
        .read(move |c| reconciliation::orders_at_risk(c, &q))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

csv_twin!(
    name: get_orders_at_risk_csv,
    path: "/reconciliation/orders-at-risk.csv",
    tag: "reconciliation",
    query: AtRiskQuery,
    op: reconciliation::orders_at_risk,
    csv: OrdersAtRisk::csv,
    summary: "The orders at risk, as CSV",
);
