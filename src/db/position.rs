//! Loads one product's supply and demand for the reconciliation rules, and takes the
//! per-product lock that serialises commitments.

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::db::monthly;
use crate::db::parse;
use crate::db::schema::{
    contract_lines, contracts, orders, production_plan_lines, production_plans, products,
};
use crate::db::DbConnection;
use crate::domain::lifecycle::{ContractStatus, OrderStatus, OrderType, PlanStatus};
use crate::domain::plan::{overlay, PlanVersion};
use crate::domain::production::MonthlyKind;
use crate::domain::reconciliation::{Grams, OrderKind, OrderLine, ProductPosition};
use crate::domain::Period;
use crate::error::OpError;

/// Serialises commitment checks per product across every instance: a row lock on the product
/// on PostgreSQL; on SQLite the write transaction (`BEGIN IMMEDIATE`) already holds the
/// database's single write lock.
pub fn lock_product(conn: &mut DbConnection, product_id: uuid::Uuid) -> Result<(), OpError> {
    let id = product_id.to_string();
    let found: Option<String> = match conn {
        crate::db::DbConnection::Postgresql(pg) => products::table
            .find(&id)
            .select(products::id)
            .for_update()
            .first(pg)
            .optional()?,
        crate::db::DbConnection::Sqlite(_) => products::table
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

fn parse_periods(rows: Vec<(String, Grams)>, what: &str) -> Result<Vec<(Period, Grams)>, OpError> {
    rows.into_iter()
        .map(|(p, g)| Ok((parse::period(&p, what)?, g)))
        .collect()
}

/// A plan to treat as approved on top of the approved ones (for impact previews).
pub struct Preview {
    pub plan_id: uuid::Uuid,
    pub version_no: i64,
}

/// Everything the reconciliation needs about one product.
pub fn load(
    conn: &mut DbConnection,
    product_id: uuid::Uuid,
    preview: Option<&Preview>,
) -> Result<ProductPosition, OpError> {
    let product = product_id.to_string();
    let approved = [
        PlanStatus::Approved.as_str(),
        PlanStatus::Superseded.as_str(),
    ];
    let mut plan_rows: Vec<(i64, String, String, Grams)> = production_plan_lines::table
        .inner_join(production_plans::table)
        .filter(production_plan_lines::product_id.eq(&product))
        .filter(production_plans::status.eq_any(approved))
        .select((
            production_plans::version_no,
            production_plans::id,
            production_plan_lines::period,
            production_plan_lines::planned_g,
        ))
        .load(conn)?;
    if let Some(p) = preview {
        let plan_id = p.plan_id.to_string();
        let extra: Vec<(String, Grams)> = production_plan_lines::table
            .filter(production_plan_lines::plan_id.eq(&plan_id))
            .filter(production_plan_lines::product_id.eq(&product))
            .select((
                production_plan_lines::period,
                production_plan_lines::planned_g,
            ))
            .load(conn)?;
        plan_rows.retain(|r| r.1 != plan_id);
        plan_rows.extend(
            extra
                .into_iter()
                .map(|(per, g)| (p.version_no, plan_id.clone(), per, g)),
        );
    }
    let mut versions: BTreeMap<i64, PlanVersion> = BTreeMap::new();
    for (version_no, _, period, grams) in plan_rows {
        let period = parse::period(&period, "production_plan_lines.period")?;
        versions
            .entry(version_no)
            .or_insert_with(|| PlanVersion {
                version_no,
                lines: Vec::new(),
            })
            .lines
            .push((period, grams));
    }
    let planned = overlay(&versions.into_values().collect::<Vec<_>>());
    let actual = by_period(monthly::for_product(conn, MonthlyKind::Actual, &product)?);
    let snapshots = by_period(monthly::for_product(conn, MonthlyKind::Snapshot, &product)?);
    let committed = [
        ContractStatus::Active.as_str(),
        ContractStatus::Suspended.as_str(),
    ];
    let contracted = by_period(parse_periods(
        contract_lines::table
            .inner_join(contracts::table)
            .filter(contracts::product_id.eq(&product))
            .filter(contracts::status.eq_any(committed))
            .select((contract_lines::period, contract_lines::quantity_g))
            .load::<(String, Grams)>(conn)?,
        "contract_lines.period",
    )?);
    let closed = [
        OrderStatus::Cancelled.as_str(),
        OrderStatus::Rejected.as_str(),
    ];
    type Row = (
        String,
        String,
        String,
        Grams,
        String,
        Option<chrono::NaiveDateTime>,
    );
    let order_rows: Vec<Row> = orders::table
        .filter(orders::product_id.eq(&product))
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
        .map(|(id, kind, period, grams, status, confirmed_at)| {
            let status = parse::status(&status, "orders.status", OrderStatus::parse)?;
            Ok(OrderLine {
                kind: match parse::status(&kind, "orders.order_type", OrderType::parse)? {
                    OrderType::Spot => OrderKind::Spot,
                    OrderType::AddOn => OrderKind::AddOn,
                },
                period: parse::period(&period, "orders.period")?,
                id,
                grams,
                confirmed: status.is_commitment(),
                confirmation_rank: confirmed_at.map_or(0, |t| t.and_utc().timestamp_micros()),
            })
        })
        .collect::<Result<Vec<_>, OpError>>()?;
    Ok(ProductPosition {
        planned,
        actual,
        snapshots,
        contracted,
        orders,
    })
}
