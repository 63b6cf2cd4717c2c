//! `/api/v1/settlements`: what each shipped shipment is worth, provisional to final, and its
//! CSV twin.

use actix_web::{get, web, HttpResponse};

use crate::csv_twin::csv_twin;
use crate::extract::Caller;
use crate::ops::page::Page;
use crate::ops::settlements::{self, Settlement, SettlementFilter};
use crate::problem::{ApiError, ReadErrors};
use crate::respond;
use crate::state::AppState;

/// Registered before the other scopes (`/settlements.csv` is a literal path).
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_settlements_csv).service(list_settlements);
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
