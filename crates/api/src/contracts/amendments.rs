use actix_web::{get, web, HttpResponse};

use crate::csv_twin::csv_twin_of_one;
use crate::domain::ContractId;
use crate::extract::Caller;
use crate::ops::contracts::{self, AmendmentList};
use crate::problem::{ApiError, ReadErrors};
use crate::state::AppState;

/// List a contract's amendments
///
/// Oldest first: who changed the schedule of the active contract, when, why, from what to what.
#[utoipa::path(
    tag = "contracts",
    params(("id" = uuid::Uuid, Path, description = "Contract id")),
    responses((status = 200, description = "The amendments", body = AmendmentList), ReadErrors),
)]
#[get("/{id}/amendments")]
pub async fn list_contract_amendments(
    state: web::Data<AppState>,
    _actor: Caller,
    id: web::Path<ContractId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let list = state.db.read(move |c| contracts::amendments(c, id)).await?;
    Ok(HttpResponse::Ok().json(list))
}

csv_twin_of_one!(
    name: list_contract_amendments_csv,
    path: "/{id}/amendments.csv",
    tag: "contracts",
    id: "Contract id",
    key: ContractId,
    op: contracts::amendments,
    csv: csv,
    summary: "List a contract's amendments, as CSV",
    detail: "The same rows as the JSON answer, as a spreadsheet: `text/csv` with a header row, each schedule in one cell as `month kg` pairs separated by `; `.",
    answer: "The amendments as CSV, with a header row",
);
