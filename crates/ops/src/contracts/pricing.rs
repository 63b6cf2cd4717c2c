use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{contracts, DbConnection};
use crate::domain::pricing::{price, IndexSeries};
use crate::domain::ContractId;
use crate::domain::{Kg, Period};
use crate::error::OpError;
use crate::pricing::{value, PriceView};

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
    #[schema(value_type = uuid::Uuid)]
    pub contract_id: ContractId,
    #[schema(example = "USD")]
    pub currency: String,
    pub rows: Vec<PricedMonth>,
}

/// For each scheduled month: quantity, unit price, status (fixed, final, provisional with the
/// basis month, unpriced), and value.
pub fn pricing(conn: &mut DbConnection, id: ContractId) -> Result<ContractPricing, OpError> {
    let contract = contracts::find(conn, id)?;
    let series = match contract.pricing.index_id() {
        Some(index) => Some(crate::fx::index_series(conn, index, &contract.currency)?),
        None => None,
    };
    let empty = IndexSeries::default();
    let current = crate::domain::clock::current_period();
    let rows = contract
        .schedule
        .iter()
        .map(|line| {
            let outcome = price(
                &contract.pricing,
                line.period,
                series.as_ref().unwrap_or(&empty),
                current,
            );
            PricedMonth {
                period: line.period,
                quantity_kg: line.quantity_kg,
                value: value(outcome.unit_price, line.quantity_kg.value()),
                price: PriceView::new(&outcome, series.as_ref()),
            }
        })
        .collect();
    Ok(ContractPricing {
        contract_id: contract.id,
        currency: contract.currency,
        rows,
    })
}

/// The steps from the index average to the price per kg, as CSV cells (empty for fixed or
/// unpriced terms).
fn conversion_cells(c: Option<&crate::pricing::ConversionView>) -> Vec<String> {
    match c {
        None => vec![String::new(); 8],
        Some(c) => vec![
            c.index_currency.clone(),
            c.unit.as_str().to_string(),
            c.vat_pct.clone(),
            c.net_of_vat.clone(),
            c.per_kg.clone(),
            c.fx_pair.clone().unwrap_or_default(),
            c.fx_rate.clone().unwrap_or_default(),
            c.converted.clone(),
        ],
    }
}

impl ContractPricing {
    /// The same rows as CSV (`GET /api/v1/contracts/{id}/pricing.csv`).
    pub fn csv(&self) -> crate::report::Csv {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        crate::report::Csv::new(
            "contract-pricing.csv",
            &[
                "period",
                "quantity_kg",
                "currency",
                "unit_price",
                "status",
                "basis_period",
                "index_average",
                "value",
                "index_currency",
                "index_unit",
                "vat_pct",
                "net_of_vat",
                "per_kg",
                "fx_pair",
                "fx_rate",
                "converted",
            ],
            self.rows.iter().map(|r| {
                vec![
                    r.period.to_string(),
                    crate::domain::KgAmount::from(r.quantity_kg)
                        .display()
                        .to_string(),
                    self.currency.clone(),
                    r.price
                        .unit_price
                        .as_ref()
                        .map(|u| u.display().to_string())
                        .unwrap_or_default(),
                    r.price.status.as_str().to_string(),
                    r.price
                        .basis_period
                        .map(|p| p.to_string())
                        .unwrap_or_default(),
                    text(&r.price.index_average),
                    text(&r.value),
                ]
                .into_iter()
                .chain(conversion_cells(r.price.conversion.as_ref()))
                .collect()
            }),
        )
    }
}
