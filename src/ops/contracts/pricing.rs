use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{contracts, quotes, DbConnection};
use crate::domain::pricing::price;
use crate::domain::{Kg, Period};
use crate::error::OpError;
use crate::ops::pricing::{value, PriceView};

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

/// For each scheduled month: quantity, unit price, status (fixed, final, provisional with the
/// basis month, unpriced), and value.
pub fn pricing(conn: &mut DbConnection, id: uuid::Uuid) -> Result<ContractPricing, OpError> {
    let contract = contracts::find(conn, id)?;
    let averages = match contract.pricing.index_id() {
        Some(index) => quotes::averages(conn, index)?,
        None => BTreeMap::new(),
    };
    let current = crate::clock::current_period();
    let rows = contract
        .schedule
        .iter()
        .map(|line| {
            let outcome = price(&contract.pricing, line.period, &averages, current);
            PricedMonth {
                period: line.period,
                quantity_kg: line.quantity_kg,
                value: value(outcome.unit_price, line.quantity_kg.value()),
                price: PriceView::from(&outcome),
            }
        })
        .collect();
    Ok(ContractPricing {
        contract_id: contract.id,
        currency: contract.currency,
        rows,
    })
}
