use actix_web::{get, web, HttpResponse};

use crate::csv_twin::csv_twin_of_one;
use crate::domain::ContractId;
use crate::extract::Caller;
use crate::ops::contracts::{self, Fulfilment};
use crate::problem::{ApiError, ReadErrors};
use crate::state::AppState;

/// Contract fulfilment
///
/// Per contract month: scheduled, add-on, shipped, delivered and remaining kilograms, and the
/// status against the tolerance band — on track, over-delivered, late once the month is over,
/// under-delivered when the contract closed short.
#[utoipa::path(
    tag = "deliveries",
    params(("id" = uuid::Uuid, Path, description = "Contract id")),
    responses((status = 200, description = "Month by month", body = Fulfilment), ReadErrors),
)]
#[get("/{id}/fulfilment")]
pub async fn get_contract_fulfilment(
    state: web::Data<AppState>,
    _actor: Caller,
    id: web::Path<ContractId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let report = state.db.read(move |c| contracts::fulfilment(c, id)).await?;
    Ok(HttpResponse::Ok().json(report))
}

csv_twin_of_one!(
    name: get_contract_fulfilment_csv,
    path: "/{id}/fulfilment.csv",
    tag: "deliveries",
    id: "Contract id",
    key: ContractId,
    op: contracts::fulfilment,
    csv: csv,
    summary: "Contract fulfilment, as CSV",
    detail: "The same rows as the JSON report, as a spreadsheet: `text/csv` with a header row, quantities as the exact decimals the JSON carries.",
    answer: "The report as CSV, with a header row",
);
