use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::{product_position, products, DbConnection};
use crate::domain::reconciliation::reconcile;
use crate::domain::ProductId;
use crate::domain::{KgAmount, Period};
use crate::error::OpError;
use crate::report::Csv;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    #[param(value_type = String, example = "2027-01")]
    pub from: Period,
    #[param(value_type = String, example = "2027-12")]
    pub to: Period,
}

/// One cell of the heat map.
#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryCell {
    #[schema(example = "2027-03")]
    pub period: Period,
    pub supply_kg: KgAmount,
    pub demand_kg: KgAmount,
    pub projected_stock_kg: KgAmount,
    pub shortfall_kg: KgAmount,
    pub atp_kg: KgAmount,
    pub orders_at_risk: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductSummary {
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    #[schema(example = "NDPR-OXIDE")]
    pub product_code: String,
    pub months: Vec<SummaryCell>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReconciliationSummary {
    pub from: Period,
    pub to: Period,
    pub products: Vec<ProductSummary>,
}

/// For every active product and month in `from`–`to`: supply, demand, projected stock,
/// shortfall, ATP and the number of orders at risk.
pub fn summary(
    conn: &mut DbConnection,
    q: &SummaryQuery,
) -> Result<ReconciliationSummary, OpError> {
    let (from, to) = (q.from, q.to);
    super::check_range(Some(from), Some(to))?;
    let mut out = Vec::new();
    for (id, code) in products::active_codes(conn)? {
        let pos = product_position::load_with_risk(conn, id, None, Some(from), Some(to))?;
        let months = reconcile(&pos, Some(from), Some(to))
            .iter()
            .map(|r| SummaryCell {
                period: r.period,
                supply_kg: KgAmount::from_grams(r.supply),
                demand_kg: KgAmount::from_grams(r.demand),
                projected_stock_kg: KgAmount::from_grams(r.projected_stock),
                shortfall_kg: KgAmount::from_grams(r.shortfall),
                atp_kg: KgAmount::from_grams(r.atp),
                orders_at_risk: r.orders_at_risk.len(),
            })
            .collect();
        out.push(ProductSummary {
            product_id: id,
            product_code: code,
            months,
        });
    }
    Ok(ReconciliationSummary {
        from,
        to,
        products: out,
    })
}

impl ReconciliationSummary {
    /// One row per product and month.
    pub fn csv(&self) -> Csv {
        let rows = self.products.iter().flat_map(|p| {
            p.months.iter().map(move |m| {
                vec![
                    p.product_code.clone(),
                    m.period.to_string(),
                    m.supply_kg.display().to_string(),
                    m.demand_kg.display().to_string(),
                    m.projected_stock_kg.display().to_string(),
                    m.shortfall_kg.display().to_string(),
                    m.atp_kg.display().to_string(),
                    m.orders_at_risk.to_string(),
                ]
            })
        });
        Csv::new(
            "reconciliation-summary.csv",
            &[
                "product_code",
                "period",
                "supply_kg",
                "demand_kg",
                "projected_stock_kg",
                "shortfall_kg",
                "atp_kg",
                "orders_at_risk",
            ],
            rows,
        )
    }
}
