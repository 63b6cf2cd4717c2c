use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::pricing::{value, PriceView};
use crate::auth::Principal;
use crate::db::quotes;
use crate::domain::pricing::price;
use crate::domain::{Kg, Period};
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

/// One scheduled month, priced.
#[derive(Debug, Serialize, ToSchema)]
pub struct PricedMonth {
    #[schema(example = "2027-01")]
    pub period: Period,
    #[schema(example = "12000.000")]
    pub quantity_kg: Kg,
    #[serde(flatten)]
    pub price: PriceView,
    /// unit price × quantity in the contract currency, 2 dp; null when unpriced.
    #[schema(example = "750000.00")]
    pub value: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContractPricing {
    pub contract_id: uuid::Uuid,
    #[schema(example = "USD")]
    pub currency: String,
    pub rows: Vec<PricedMonth>,
}

/// Price a contract's schedule
///
/// For each scheduled month: quantity, unit price, status (fixed, final, provisional with the
/// basis month, unpriced), and value.
#[utoipa::path(
    tag = "contracts",
    params(("id" = uuid::Uuid, Path, description = "Contract id")),
    responses((status = 200, description = "The priced schedule", body = ContractPricing), ReadErrors),
)]
#[get("/contracts/{id}/pricing")]
pub async fn get_contract_pricing(
    state: web::Data<AppState>,
    _caller: Principal,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let (contract, averages) = state
        .db
        .read(move |conn| {
            let c = super::find(conn, &id)?;
            let averages = match c.terms().pricing.index_id() {
                Some(index) => quotes::averages(conn, &index.to_string())?,
                None => Default::default(),
            };
            Ok((c, averages))
        })
        .await?;
    let terms = contract.terms();
    let current = crate::clock::current_period();
    let rows = terms
        .schedule
        .iter()
        .map(|line| {
            let outcome = price(&terms.pricing, line.period, &averages, current);
            PricedMonth {
                period: line.period,
                quantity_kg: line.quantity_kg,
                value: value(outcome.unit_price, line.quantity_kg.value()),
                price: PriceView::from(&outcome),
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(ContractPricing {
        contract_id: uuid::Uuid::parse_str(&contract.row.id).unwrap_or_default(),
        currency: terms.currency,
        rows,
    }))
}
