//! The JSON and CSV shape of reconciliation rows.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::reconciliation::MonthRow;
use crate::domain::OrderId;
use crate::domain::{KgAmount, Period};
use crate::report::Csv;

/// Supply against demand for one product and month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReconciliationRow {
    #[schema(example = "2027-03")]
    pub period: Period,
    /// The current plan's line, if any.
    #[schema(example = "50000.000")]
    pub planned_kg: Option<KgAmount>,
    /// Recorded output, if any; it replaces the plan.
    pub actual_kg: Option<KgAmount>,
    #[schema(example = "50000.000")]
    pub supply_kg: KgAmount,
    /// Scheduled under active and suspended contracts.
    #[schema(example = "36000.000")]
    pub contract_kg: KgAmount,
    /// Confirmed add-on orders.
    #[schema(example = "2000.000")]
    pub addon_kg: KgAmount,
    /// Confirmed spot orders.
    #[schema(example = "5000.000")]
    pub spot_kg: KgAmount,
    /// Draft and submitted orders: not yet demand.
    #[schema(example = "1000.000")]
    pub pending_kg: KgAmount,
    #[schema(example = "43000.000")]
    pub demand_kg: KgAmount,
    /// Stock at the end of the month if everything goes to plan; negative when short.
    #[schema(example = "7000.000")]
    pub projected_stock_kg: KgAmount,
    #[schema(example = "0.000")]
    pub shortfall_kg: KgAmount,
    /// What can still be promised for this month without shorting a later one.
    #[schema(example = "7000.000")]
    pub atp_kg: KgAmount,
    /// Confirmed orders that would have to go to clear the shortfall (lowest priority first).
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub orders_at_risk: Vec<OrderId>,
}

impl From<&MonthRow> for ReconciliationRow {
    fn from(r: &MonthRow) -> ReconciliationRow {
        let kg = KgAmount::from_grams;
        ReconciliationRow {
            period: r.period,
            planned_kg: r.planned.map(kg),
            actual_kg: r.actual.map(kg),
            supply_kg: kg(r.supply),
            contract_kg: kg(r.contract),
            addon_kg: kg(r.addon),
            spot_kg: kg(r.spot),
            pending_kg: kg(r.pending),
            demand_kg: kg(r.demand),
            projected_stock_kg: kg(r.projected_stock),
            shortfall_kg: kg(r.shortfall),
            atp_kg: kg(r.atp),
            orders_at_risk: r.orders_at_risk.clone(),
        }
    }
}

const CSV_HEADER: [&str; 14] = [
    "period",
    "planned_kg",
    "actual_kg",
    "supply_kg",
    "contract_kg",
    "addon_kg",
    "spot_kg",
    "pending_kg",
    "demand_kg",
    "projected_stock_kg",
    "shortfall_kg",
    "atp_kg",
    "orders_at_risk",
    "orders_at_risk_count",
];

/// The rows as a spreadsheet.
pub fn csv(rows: &[ReconciliationRow]) -> Csv {
    let opt = |k: Option<KgAmount>| k.map(|k| k.display().to_string()).unwrap_or_default();
    Csv::new(
        "reconciliation.csv",
        &CSV_HEADER,
        rows.iter().map(|r| {
            vec![
                r.period.to_string(),
                opt(r.planned_kg),
                opt(r.actual_kg),
                r.supply_kg.display().to_string(),
                r.contract_kg.display().to_string(),
                r.addon_kg.display().to_string(),
                r.spot_kg.display().to_string(),
                r.pending_kg.display().to_string(),
                r.demand_kg.display().to_string(),
                r.projected_stock_kg.display().to_string(),
                r.shortfall_kg.display().to_string(),
                r.atp_kg.display().to_string(),
                r.orders_at_risk
                    .iter()
                    .map(|u| u.to_string())
                    .collect::<Vec<_>>()
                    .join(";"),
                r.orders_at_risk.len().to_string(),
            ]
        }),
    )
}
