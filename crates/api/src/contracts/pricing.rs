use actix_web::{get, web, HttpResponse};

use crate::csv_twin::csv_twin_of_one;
use crate::domain::ContractId;
use crate::extract::Caller;
use crate::ops::contracts::{self, ContractPricing};
use crate::problem::{ApiError, ReadErrors};
use crate::state::AppState;

/// Price a contract's schedule
///
/// For each scheduled month: quantity, unit price, status (fixed, final, provisional with the
/// basis month, unpriced), and value.
#[utoipa::path(
    tag = "contracts",
    params(("id" = uuid::Uuid, Path, description = "Contract id")),
    responses((status = 200, description = "The priced schedule", body = ContractPricing), ReadErrors),
)]
#[get("/{id}/pricing")]
pub async fn get_contract_pricing(
    state: web::Data<AppState>,
    _actor: Caller,
    id: web::Path<ContractId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let priced = state.db.read(move |c| contracts::pricing(c, id)).await?;
    Ok(HttpResponse::Ok().json(priced))
}

csv_twin_of_one!(
    name: get_contract_pricing_csv,
    path: "/{id}/pricing.csv",
    tag: "contracts",
    id: "Contract id",
    key: ContractId,
    op: contracts::pricing,
    csv: csv,
    summary: "Price a contract's schedule, as CSV",
    detail: "The same rows as the JSON answer, as a spreadsheet: `text/csv` with a header row, prices and quantities as the exact decimals the JSON carries.",
    answer: "The priced schedule as CSV, with a header row",
);
