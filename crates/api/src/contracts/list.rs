use actix_web::{get, web, HttpResponse};

use crate::domain::contract::Contract;
use crate::extract::Caller;
use crate::ops::contracts::{self, ContractFilter};
use crate::ops::page::Page;
use crate::problem::{ApiError, ReadErrors};
use crate::state::AppState;

/// List contracts
///
/// Filter by customer and product (together: the contracts between a buyer and a product),
/// status, term overlap with `from`–`to`, number, ERP reference or `updated_since`.
#[utoipa::path(
    tag = "contracts",
    params(ContractFilter),
    responses((status = 200, description = "One page of contracts", body = Page<Contract>), ReadErrors),
)]
#[get("")]
pub async fn list_contracts(
    state: web::Data<AppState>,
    _actor: Caller,
    filter: crate::extract::ValidQuery<ContractFilter>,
) -> Result<HttpResponse, ApiError> {
    let f = filter.into_inner();
    let page = state.db.read(move |c| contracts::list(c, &f)).await?;
    Ok(HttpResponse::Ok().json(page))
}
