//! Loads one product's supply and demand for the reconciliation rules, and takes the
//! per-product lock that serialises commitments.

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::db::schema::{
    contract_lines, contracts, orders, production_actuals, production_plan_lines, production_plans,
    products, stock_snapshots,
};
use crate::db::DbConnection;
use crate::domain::lifecycle::{ContractStatus, OrderStatus, OrderType, PlanStatus};
use crate::domain::plan::{overlay, PlanVersion};
use crate::domain::reconciliation::{Grams, OrderKind, OrderLine, ProductPosition};
use crate::domain::Period;
use crate::error::ApiError;

/// Serialises commitment checks per product across every instance: a row lock on the product
/// on PostgreSQL; on SQLite the write transaction (`BEGIN IMMEDIATE`) already holds the
/// database's single write lock.
pub fn lock_product(conn: &mut DbConnection, product_id: &str) -> Result<(), ApiError> {
    let found: Option<String> = match conn {
        DbConnection::Postgresql(pg) => products::table
            .find(product_id)
            .select(products::id)
            .for_update()
            .first(pg)
            .optional()?,
        DbConnection::Sqlite(_) => products::table
            .find(product_id)
            .select(products::id)
            .first(conn)
            .optional()?,
    };
    found
        .map(|_| ())
        .ok_or_else(|| ApiError::not_found("product"))
}

fn periods<I: IntoIterator<Item = (String, Grams)>>(rows: I) -> BTreeMap<Period, Grams> {
    let mut out = BTreeMap::new();
    for (p, g) in rows {
        if let Some(p) = Period::parse(&p) {
            *out.entry(p).or_insert(0) += g;
        }
    }
    out
}

/// A plan to treat as approved on top of the approved ones (for impact previews).
pub struct Preview<'a> {
    pub plan_id: &'a str,
    pub version_no: i64,
}

/// Everything the reconciliation needs about one product.
pub fn load(
    conn: &mut DbConnection,
    product_id: &str,
    preview: Option<&Preview<'_>>,
) -> Result<ProductPosition, ApiError> {
    let approved = [
        PlanStatus::Approved.as_str(),
        PlanStatus::Superseded.as_str(),
    ];
    let mut plan_rows: Vec<(i64, String, String, Grams)> = production_plan_lines::table
        .inner_join(production_plans::table)
        .filter(production_plan_lines::product_id.eq(product_id))
        .filter(production_plans::status.eq_any(approved))
        .select((
            production_plans::version_no,
            production_plans::id,
            production_plan_lines::period,
            production_plan_lines::planned_g,
        ))
        .load(conn)?;
    if let Some(p) = preview {
        let extra: Vec<(String, Grams)> = production_plan_lines::table
            .filter(production_plan_lines::plan_id.eq(p.plan_id))
            .filter(production_plan_lines::product_id.eq(product_id))
            .select((
                production_plan_lines::period,
                production_plan_lines::planned_g,
            ))
            .load(conn)?;
        plan_rows.retain(|r| r.1 != p.plan_id);
        plan_rows.extend(
            extra
                .into_iter()
                .map(|(per, g)| (p.version_no, p.plan_id.to_string(), per, g)),
        );
    }
    let mut versions: BTreeMap<i64, PlanVersion> = BTreeMap::new();
    for (version_no, _, period, grams) in plan_rows {
        if let Some(period) = Period::parse(&period) {
            versions
                .entry(version_no)
                .or_insert_with(|| PlanVersion {
                    version_no,
                    lines: Vec::new(),
                })
                .lines
                .push((period, grams));
        }
    }
    let planned = overlay(&versions.into_values().collect::<Vec<_>>());

    let actual = periods(
        production_actuals::table
            .filter(production_actuals::product_id.eq(product_id))
            .select((production_actuals::period, production_actuals::actual_g))
            .load::<(String, Grams)>(conn)?,
    );
    let snapshots = periods(
        stock_snapshots::table
            .filter(stock_snapshots::product_id.eq(product_id))
            .select((stock_snapshots::period, stock_snapshots::quantity_g))
            .load::<(String, Grams)>(conn)?,
    );
    let committed = [
        ContractStatus::Active.as_str(),
        ContractStatus::Suspended.as_str(),
    ];
    let contracted = periods(
        contract_lines::table
            .inner_join(contracts::table)
            .filter(contracts::product_id.eq(product_id))
            .filter(contracts::status.eq_any(committed))
            .select((contract_lines::period, contract_lines::quantity_g))
            .load::<(String, Grams)>(conn)?,
    );
    let closed = [
        OrderStatus::Cancelled.as_str(),
        OrderStatus::Rejected.as_str(),
    ];
    let order_rows: Vec<(
        String,
        String,
        String,
        Grams,
        String,
        Option<chrono::NaiveDateTime>,
    )> = orders::table
        .filter(orders::product_id.eq(product_id))
        .filter(orders::status.ne_all(closed))
        .select((
            orders::id,
            orders::order_type,
            orders::period,
            orders::quantity_g,
            orders::status,
            orders::confirmed_at,
        ))
        .load(conn)?;
    let orders = order_rows
        .into_iter()
        .filter_map(|(id, kind, period, grams, status, confirmed_at)| {
            let status = OrderStatus::parse(&status)?;
            Some(OrderLine {
                id,
                kind: match OrderType::parse(&kind)? {
                    OrderType::Spot => OrderKind::Spot,
                    OrderType::AddOn => OrderKind::AddOn,
                },
                period: Period::parse(&period)?,
                grams,
                confirmed: status.is_commitment(),
                confirmation_rank: confirmed_at.map_or(0, |t| t.and_utc().timestamp_micros()),
            })
        })
        .collect();
    Ok(ProductPosition {
        planned,
        actual,
        snapshots,
        contracted,
        orders,
    })
}
