use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{contracts, deliveries, DbConnection};
use crate::domain::fulfilment::{status, FulfilmentStatus};
use crate::domain::lifecycle::ContractStatus;
use crate::domain::reconciliation::Grams;
use crate::domain::ContractId;
use crate::domain::{Kg, KgAmount, Percent, Period};
use crate::error::OpError;

/// One contract month's deliveries against its tolerance band.
#[derive(Debug, Serialize, ToSchema)]
pub struct FulfilmentRow {
    #[schema(example = "2027-01")]
    pub period: Period,
    #[schema(example = "12000.000")]
    pub scheduled_kg: Kg,
    /// Confirmed add-on orders of the contract in the month.
    #[schema(example = "2000.000")]
    pub addon_kg: KgAmount,
    #[schema(example = "10000.000")]
    pub shipped_kg: KgAmount,
    #[schema(example = "5000.000")]
    pub delivered_kg: KgAmount,
    /// scheduled + add-on − shipped (negative when over-shipped).
    #[schema(example = "4000.000")]
    pub remaining_kg: KgAmount,
    pub status: FulfilmentStatus,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Fulfilment {
    #[schema(value_type = uuid::Uuid)]
    pub contract_id: ContractId,
    #[schema(example = "5.0")]
    pub tolerance_pct: Percent,
    pub rows: Vec<FulfilmentRow>,
}

/// Per contract month: scheduled, add-on, shipped, delivered and remaining kilograms, and the
/// status against the tolerance band.
pub fn fulfilment(conn: &mut DbConnection, id: ContractId) -> Result<Fulfilment, OpError> {
    let contract = contracts::find(conn, id)?;
    let contract_id = contract.id.to_string();
    let addons = deliveries::add_ons(conn, &contract_id)?;
    let order_ids: Vec<String> = addons.iter().map(|a| a.id.clone()).collect();
    let moved = deliveries::moved(conn, std::slice::from_ref(&contract_id), &order_ids)?;
    let current = crate::domain::clock::current_period();
    let ended = contract.ended_period.or(matches!(
        contract.status,
        ContractStatus::Completed | ContractStatus::Terminated
    )
    .then_some(contract.end_period.next()));
    let tolerance = contract.tolerance_milli_pct();
    let rows = contract
        .schedule
        .iter()
        .map(|line| {
            let p = line.period;
            let scheduled = line.quantity_kg.grams().unwrap_or(0);
            let month_addons: Vec<_> = addons.iter().filter(|a| a.period == p).collect();
            let addon: Grams = month_addons
                .iter()
                .map(|a| a.grams)
                .fold(0, Grams::saturating_add);
            let (mut shipped, mut delivered) = moved.contract_month(&contract_id, p);
            for a in &month_addons {
                let (s, d) = moved.order(&a.id);
                shipped = shipped.saturating_add(s);
                delivered = delivered.saturating_add(d);
            }
            let due = scheduled.saturating_add(addon);
            FulfilmentRow {
                period: p,
                scheduled_kg: line.quantity_kg,
                addon_kg: KgAmount::from_grams(addon),
                shipped_kg: KgAmount::from_grams(shipped),
                delivered_kg: KgAmount::from_grams(delivered),
                remaining_kg: KgAmount::from_grams(if ended.is_some_and(|e| p >= e) {
                    0
                } else {
                    due.saturating_sub(shipped)
                }),
                status: status(due, shipped, tolerance, p, current, ended),
            }
        })
        .collect();
    Ok(Fulfilment {
        contract_id: contract.id,
        tolerance_pct: contract.tolerance_pct,
        rows,
    })
}

/// The three figures of a contract's fulfilment, summed exactly over its months.
pub fn totals(f: &Fulfilment) -> crate::domain::fulfilment::FulfilmentTotals {
    use rust_decimal::Decimal;
    let (mut due, mut shipped, mut delivered) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for r in &f.rows {
        // A released month (after the contract ended) is not owed.
        if r.status != FulfilmentStatus::Released {
            due += KgAmount::from(r.scheduled_kg).display() + r.addon_kg.display();
        }
        shipped += r.shipped_kg.display();
        delivered += r.delivered_kg.display();
    }
    crate::domain::fulfilment::FulfilmentTotals {
        due_kg: KgAmount::new(due),
        shipped_kg: KgAmount::new(shipped),
        delivered_kg: KgAmount::new(delivered),
    }
}

impl Fulfilment {
    /// The same rows as CSV (`GET /api/v1/contracts/{id}/fulfilment.csv`).
    pub fn csv(&self) -> crate::report::Csv {
        crate::report::Csv::new(
            "contract-fulfilment.csv",
            &[
                "period",
                "scheduled_kg",
                "addon_kg",
                "shipped_kg",
                "delivered_kg",
                "remaining_kg",
                "status",
            ],
            self.rows.iter().map(|r| {
                vec![
                    r.period.to_string(),
                    KgAmount::from(r.scheduled_kg).display().to_string(),
                    r.addon_kg.display().to_string(),
                    r.shipped_kg.display().to_string(),
                    r.delivered_kg.display().to_string(),
                    r.remaining_kg.display().to_string(),
                    r.status.as_str().to_string(),
                ]
            }),
        )
    }
}
