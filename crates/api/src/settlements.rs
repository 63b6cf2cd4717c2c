//! `/api/v1/settlements`: what each shipped shipment is worth, provisional to final, and its
//! CSV twin.

use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::csv_twin::csv_twin;
use crate::extract::Caller;
use crate::ops::page::Page;
use crate::ops::settlements::{
    self, Realisation, RealisationQuery, Receivables, Revaluation, Settlement, SettlementFilter,
    SettlementReportQuery,
};
use crate::problem::{ApiError, ReadErrors};
use crate::respond;
use crate::state::AppState;

/// Registered before the other scopes (`/settlements.csv` is a literal path).
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_settlements_csv)
        .service(list_settlements)
        .service(get_receivables_csv)
        .service(get_receivables)
        .service(get_revaluation_csv)
        .service(get_revaluation)
        .service(get_price_realisation_csv)
        .service(get_price_realisation);
}

/// List settlements
///
/// In the order they were made (one per shipped shipment); filter by status (`open`,
/// `final`), customer, contract and delivery months. Open settlements carry today's valuation.
#[utoipa::path(
    tag = "settlements",
    params(SettlementFilter),
    responses((status = 200, description = "One page of settlements", body = Page<Settlement>), ReadErrors),
)]
#[get("/settlements")]
pub async fn list_settlements(
    state: web::Data<AppState>,
    _actor: Caller,
    filter: crate::extract::ValidQuery<SettlementFilter>,
) -> Result<HttpResponse, ApiError> {
    let filter = filter.into_inner();
    let page = state
        .db
        .read(move |c| settlements::list(c, &filter))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

csv_twin!(
    name: list_settlements_csv,
    path: "/settlements.csv",
    tag: "settlements",
    query: SettlementFilter,
    op: crate::ops::settlements::list,
    csv: Page::<Settlement>::csv,
    summary: "List settlements, as CSV",
);

/// Receivables
///
/// Per customer and currency over the settlements of `from`–`to` (delivery months): what was
/// due at shipment, the balances of finalised settlements (to invoice, or credit when
/// negative), and the balances the open ones would have at today's prices. Never summed
/// across currencies.
#[utoipa::path(
    tag = "settlements",
    params(SettlementReportQuery),
    responses((status = 200, description = "Receivables by customer and currency", body = Receivables), ReadErrors),
)]
#[get("/reports/receivables")]
pub async fn get_receivables(
    req: HttpRequest,
    state: web::Data<AppState>,
    _actor: Caller,
    query: crate::extract::ValidQuery<SettlementReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let report = state
        .db
        .read(move |c| settlements::receivables(c, &q))
        .await?;
    Ok(respond::report(&req, &report, Receivables::csv))
}

csv_twin!(
    name: get_receivables_csv,
    path: "/reports/receivables.csv",
    tag: "settlements",
    query: SettlementReportQuery,
    op: crate::ops::settlements::receivables,
    csv: Receivables::csv,
    summary: "Receivables as CSV",
);

/// Revaluation
///
/// Every open settlement of `from`–`to` at today's price against its provisional value (the
/// estimate − provisional value), per currency and in the book currency at today's fixing.
/// Settlements whose month does not price yet are left out.
#[utoipa::path(
    tag = "settlements",
    params(SettlementReportQuery),
    responses((status = 200, description = "Open settlements revalued", body = Revaluation), ReadErrors),
)]
#[get("/reports/revaluation")]
pub async fn get_revaluation(
    req: HttpRequest,
    state: web::Data<AppState>,
    _actor: Caller,
    query: crate::extract::ValidQuery<SettlementReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let report = state
        .db
        .read(move |c| settlements::revaluation(c, &q))
        .await?;
    Ok(respond::report(&req, &report, Revaluation::csv))
}

csv_twin!(
    name: get_revaluation_csv,
    path: "/reports/revaluation.csv",
    tag: "settlements",
    query: SettlementReportQuery,
    op: crate::ops::settlements::revaluation,
    csv: Revaluation::csv,
    summary: "Revaluation as CSV",
);

/// Price realisation
///
/// Per product and delivery month, by kind of sale (contract, add-on, spot) and currency: the
/// kilograms settled, their value (final where known, else provisional) and the
/// volume-weighted price, beside the chosen index's monthly average converted per kg into the
/// same currency, and the price in the book currency at today's fixing — what selling above
/// plan earns against the contract book.
#[utoipa::path(
    tag = "settlements",
    params(RealisationQuery),
    responses((status = 200, description = "Prices realised", body = Realisation), ReadErrors),
)]
#[get("/reports/price-realisation")]
pub async fn get_price_realisation(
    req: HttpRequest,
    state: web::Data<AppState>,
    _actor: Caller,
    query: crate::extract::ValidQuery<RealisationQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let report = state
        .db
        .read(move |c| settlements::realisation(c, &q))
        .await?;
    Ok(respond::report(&req, &report, Realisation::csv))
}

csv_twin!(
    name: get_price_realisation_csv,
    path: "/reports/price-realisation.csv",
    tag: "settlements",
    query: RealisationQuery,
    op: crate::ops::settlements::realisation,
    csv: Realisation::csv,
    summary: "Price realisation as CSV",
);
