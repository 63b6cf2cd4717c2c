//! Loads one product's supply and demand for the reconciliation rules — from its monthly
//! positions, so the cost is the months' and not the order book's — and takes the per-product
//! lock that serialises commitments.

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::domain::lifecycle::OrderType;
use crate::domain::production::MonthlyKind;
use crate::domain::reconciliation::{Grams, OrderKind, OrderLine, ProductPosition};
use crate::domain::Period;
use crate::domain::{PlanId, ProductId};
use crate::error::OpError;
use crate::schema::{orders, production_plan_lines, products};
use crate::{monthly, parse, positions, DbConnection};

/// Serialises commitment checks per product across every instance: a row lock on the product
/// on PostgreSQL; on SQLite the write transaction (`BEGIN IMMEDIATE`) already holds the
/// database's single write lock.
pub fn lock_product(conn: &mut DbConnection, product_id: ProductId) -> Result<(), OpError> {
    let id = product_id.to_string();
    let found: Option<String> = match conn {
        crate::DbConnection::Postgresql(pg) => products::table
            .find(&id)
            .select(products::id)
            .for_update()
            .first(pg)
            .optional()?,
        crate::DbConnection::Sqlite(_) => products::table
            .find(&id)
            .select(products::id)
            .first(conn)
            .optional()?,
    };
    found
        .map(|_| ())
        .ok_or_else(|| OpError::not_found("product"))
}

fn by_period(rows: Vec<(Period, Grams)>) -> BTreeMap<Period, Grams> {
    let mut out = BTreeMap::new();
    for (p, g) in rows {
        let e: &mut Grams = out.entry(p).or_insert(0);
        *e = e.saturating_add(g);
    }
    out
}

/// A plan to treat as approved on top of the approved ones (for impact previews).
pub struct Preview {
    pub plan_id: PlanId,
}

/// Everything the ATP rules need about one product, read from its monthly positions, actuals
/// and snapshots: the cost is the months', not the order book's. No orders are loaded; see
/// [`load_with_risk`] for reports that name the orders at risk.
pub fn load(
    conn: &mut DbConnection,
    product_id: ProductId,
    preview: Option<&Preview>,
) -> Result<ProductPosition, OpError> {
    let product = product_id.to_string();
    let mut pos = ProductPosition::default();
    let nonzero = |m: &mut BTreeMap<Period, Grams>, p: Period, g: Grams| {
        if g != 0 {
            m.insert(p, g);
        }
    };
    for (period, p) in positions::of_product(conn, product_id)? {
        if let Some(g) = p.planned {
            pos.planned.insert(period, g);
        }
        nonzero(&mut pos.contracted, period, p.demand.contract);
        nonzero(&mut pos.addon, period, p.demand.addon);
        nonzero(&mut pos.spot, period, p.demand.spot);
        nonzero(&mut pos.pending, period, p.demand.pending);
    }
    if let Some(p) = preview {
        let lines: Vec<(String, Grams)> = production_plan_lines::table
            .filter(production_plan_lines::plan_id.eq(p.plan_id.to_string()))
            .filter(production_plan_lines::product_id.eq(&product))
            .select((
                production_plan_lines::period,
                production_plan_lines::planned_g,
            ))
            .load(conn)?;
        for (period, grams) in lines {
            pos.planned.insert(
                parse::period(&period, "production_plan_lines.period")?,
                grams,
            );
        }
    }
    pos.actual = by_period(monthly::for_product(conn, MonthlyKind::Actual, &product)?);
    pos.snapshots = by_period(monthly::for_product(conn, MonthlyKind::Snapshot, &product)?);
    Ok(pos)
}

/// As [`load`], with the confirmed orders of the months whose shortfalls name orders at risk
/// in `from`–`to` — only those months, so the cost stays the months' unless they are short.
pub fn load_with_risk(
    conn: &mut DbConnection,
    product_id: ProductId,
    preview: Option<&Preview>,
    from: Option<Period>,
    to: Option<Period>,
) -> Result<ProductPosition, OpError> {
    let mut pos = load(conn, product_id, preview)?;
    let Some((lo, hi)) = pos.risk_window(from, to) else {
        return Ok(pos);
    };
    type Row = (String, String, String, Grams, Option<chrono::NaiveDateTime>);
    let rows: Vec<Row> = orders::table
        .filter(orders::product_id.eq(product_id.to_string()))
        .filter(orders::status.eq_any(crate::deliveries::committed_order_statuses()))
        .filter(orders::period.ge(lo.to_string()))
        .filter(orders::period.le(hi.to_string()))
        .select((
            orders::id,
            orders::order_type,
            orders::period,
            orders::quantity_g,
            orders::confirmed_at,
        ))
        .load(conn)?;
    pos.orders = rows
        .into_iter()
        .map(|(id, kind, period, grams, confirmed_at)| {
            Ok(OrderLine {
                kind: match parse::status(&kind, "orders.order_type", OrderType::parse)? {
                    OrderType::Spot => OrderKind::Spot,
                    OrderType::AddOn => OrderKind::AddOn,
                },
                period: parse::period(&period, "orders.period")?,
                id: parse::id(&id, "orders.id")?,
                grams,
                confirmed: true,
                confirmation_rank: confirmed_at.map_or(0, |t| t.and_utc().timestamp_micros()),
            })
        })
        .collect::<Result<Vec<_>, OpError>>()?;
    Ok(pos)
}
