//! Why a confirmed order is at risk, in terms a person can act on: which month is short and by
//! how much, the rule that put this order on the list, the other orders with it, and what
//! would clear it.

use crate::db::{product_position, DbConnection};
use crate::domain::order::Order;
use crate::domain::reconciliation::reconcile;
use crate::domain::{KgAmount, OrderId, Period};
use crate::error::OpError;

/// How far after the order's month a shortfall may put it at risk (a short later month takes
/// stock from earlier ones).
const RISK_MONTHS: i32 = 24;

/// One short month that puts the order at risk.
#[derive(Debug, Clone)]
pub struct ShortMonth {
    pub period: Period,
    pub shortfall: KgAmount,
    /// Every order at risk for this month, lowest priority first (this one among them).
    pub at_risk: Vec<OrderId>,
    /// What the orders at risk before this one free, and with it, when cancelled.
    pub freed_up_to_this: KgAmount,
}

/// Why an order is at risk.
#[derive(Debug, Clone)]
pub struct OrderRisk {
    pub months: Vec<ShortMonth>,
}

/// The rule, in words, that decides which orders are at risk.
pub const RULE: &str = "When a month is short, the confirmed spot orders delivering in it or \
before go first, then the add-on orders, each time the latest confirmed first, until their \
kilograms cover the shortfall. Contracts are never put at risk.";

/// The short months that put `order` at risk, if any (only a confirmed order can be).
pub fn risk(conn: &mut DbConnection, order: &Order) -> Result<Option<OrderRisk>, OpError> {
    if !order.status.is_commitment() {
        return Ok(None);
    }
    let to = order.period.plus(RISK_MONTHS);
    let pos = product_position::load_with_risk(
        conn,
        order.product_id,
        None,
        Some(order.period),
        Some(to),
    )?;
    let grams_of = |id: &OrderId| {
        pos.orders
            .iter()
            .find(|o| o.id == *id)
            .map_or(0, |o| o.grams)
    };
    let months: Vec<ShortMonth> = reconcile(&pos, Some(order.period), Some(to))
        .into_iter()
        .filter(|row| row.orders_at_risk.contains(&order.id))
        .map(|row| {
            let upto: i64 = row
                .orders_at_risk
                .iter()
                .take_while(|id| **id != order.id)
                .map(grams_of)
                .sum::<i64>()
                + order.grams();
            ShortMonth {
                period: row.period,
                shortfall: KgAmount::from_grams(row.shortfall),
                at_risk: row.orders_at_risk.clone(),
                freed_up_to_this: KgAmount::from_grams(upto),
            }
        })
        .collect();
    Ok((!months.is_empty()).then_some(OrderRisk { months }))
}
