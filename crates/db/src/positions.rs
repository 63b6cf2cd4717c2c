//! The `positions` table: one product's plan line and demand per month, kept in the same
//! transaction as every change that moves it (see `domain::position`), and rebuilt or checked
//! from the source rows by `ndpr-contracts positions rebuild|check`.

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::domain::lifecycle::{ContractStatus, OrderStatus, OrderType, PlanStatus};
use crate::domain::plan::{overlay, PlanVersion};
use crate::domain::position::{Demand, PositionChange};
use crate::domain::reconciliation::Grams;
use crate::domain::Period;
use crate::domain::ProductId;
use crate::error::OpError;
use crate::parse;
use crate::prepared::Prepared;
use crate::schema::{
    contract_lines, contracts, orders, positions as pos, production_plan_lines, production_plans,
};
use crate::DbConnection;

/// One stored position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Position {
    pub planned: Option<Grams>,
    pub demand: Demand,
}

impl Position {
    fn is_empty(&self) -> bool {
        self.planned.is_none() && self.demand.is_zero()
    }
}

/// Makes sure the month's row exists, so that concurrent changes update one row.
fn ensure(conn: &mut DbConnection, product: &str, period: &str) -> Result<(), OpError> {
    let values = (pos::product_id.eq(product), pos::period.eq(period));
    match conn {
        DbConnection::Postgresql(pg) => {
            diesel::insert_into(pos::table)
                .values(values)
                .on_conflict_do_nothing()
                .execute(pg)?;
        }
        DbConnection::Sqlite(lite) => {
            diesel::insert_or_ignore_into(pos::table)
                .values(values)
                .execute(lite)?;
        }
    }
    Ok(())
}

/// Applies moves in the caller's transaction; each is one atomic update of one row, created
/// first if the month has none yet.
pub fn apply(conn: &mut DbConnection, changes: &[PositionChange]) -> Result<(), OpError> {
    for change in changes {
        match change {
            PositionChange::Demand {
                product,
                period,
                delta,
            } => {
                let (p, m) = (product.to_string(), period.to_string());
                let add = |conn: &mut DbConnection| {
                    Prepared(
                        diesel::update(pos::table.find((&p, &m)))
                            .set((
                                pos::contract_g.eq(pos::contract_g + delta.contract),
                                pos::addon_g.eq(pos::addon_g + delta.addon),
                                pos::spot_g.eq(pos::spot_g + delta.spot),
                                pos::pending_g.eq(pos::pending_g + delta.pending),
                            ))
                            .returning(pos::contract_g),
                    )
                    .get_results::<i64>(conn)
                    .map(|written| written.len())
                };
                // The month's row almost always exists: one statement, and the insert only
                // for a month seen for the first time.
                if add(conn)? == 0 {
                    ensure(conn, &p, &m)?;
                    add(conn)?;
                }
            }
            PositionChange::Plan {
                product,
                period,
                grams,
            } => {
                let (p, m) = (product.to_string(), period.to_string());
                ensure(conn, &p, &m)?;
                diesel::update(pos::table.find((&p, &m)))
                    .set(pos::planned_g.eq(Some(*grams)))
                    .execute(conn)?;
            }
        }
    }
    Ok(())
}

type Row = (String, Option<Grams>, Grams, Grams, Grams, Grams);

/// One product's stored positions by month.
pub fn of_product(
    conn: &mut DbConnection,
    product: ProductId,
) -> Result<BTreeMap<Period, Position>, OpError> {
    let rows: Vec<Row> = pos::table
        .filter(pos::product_id.eq(product.to_string()))
        .select((
            pos::period,
            pos::planned_g,
            pos::contract_g,
            pos::addon_g,
            pos::spot_g,
            pos::pending_g,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(period, planned, contract, addon, spot, pending)| {
            Ok((
                parse::period(&period, "positions.period")?,
                Position {
                    planned,
                    demand: Demand {
                        contract,
                        addon,
                        spot,
                        pending,
                    },
                },
            ))
        })
        .collect()
}

/// Every stored position, leaving out empty rows.
pub fn stored(conn: &mut DbConnection) -> Result<BTreeMap<(String, Period), Position>, OpError> {
    type Stored = (String, String, Option<Grams>, Grams, Grams, Grams, Grams);
    let rows: Vec<Stored> = pos::table
        .select((
            pos::product_id,
            pos::period,
            pos::planned_g,
            pos::contract_g,
            pos::addon_g,
            pos::spot_g,
            pos::pending_g,
        ))
        .load(conn)?;
    let mut out = BTreeMap::new();
    for (product, period, planned, contract, addon, spot, pending) in rows {
        let p = Position {
            planned,
            demand: Demand {
                contract,
                addon,
                spot,
                pending,
            },
        };
        if !p.is_empty() {
            out.insert((product, parse::period(&period, "positions.period")?), p);
        }
    }
    Ok(out)
}

/// Every position as the source rows say it should be: the plan overlay of approved versions,
/// active and suspended contracts, and orders by status.
pub fn recomputed(
    conn: &mut DbConnection,
) -> Result<BTreeMap<(String, Period), Position>, OpError> {
    let mut out: BTreeMap<(String, Period), Position> = BTreeMap::new();
    let plan_rows: Vec<(i64, String, String, Grams)> = production_plan_lines::table
        .inner_join(production_plans::table)
        .filter(production_plans::status.eq_any([
            PlanStatus::Approved.as_str(),
            PlanStatus::Superseded.as_str(),
        ]))
        .select((
            production_plans::version_no,
            production_plan_lines::product_id,
            production_plan_lines::period,
            production_plan_lines::planned_g,
        ))
        .load(conn)?;
    let mut by_product: BTreeMap<String, BTreeMap<i64, PlanVersion>> = BTreeMap::new();
    for (version_no, product, period, grams) in plan_rows {
        by_product
            .entry(product)
            .or_default()
            .entry(version_no)
            .or_insert_with(|| PlanVersion {
                version_no,
                lines: Vec::new(),
            })
            .lines
            .push((
                parse::period(&period, "production_plan_lines.period")?,
                grams,
            ));
    }
    for (product, versions) in by_product {
        for (period, grams) in overlay(&versions.into_values().collect::<Vec<_>>()) {
            out.entry((product.clone(), period)).or_default().planned = Some(grams);
        }
    }
    let contract_rows: Vec<(String, String, Grams)> = contract_lines::table
        .inner_join(contracts::table)
        .filter(contracts::status.eq_any([
            ContractStatus::Active.as_str(),
            ContractStatus::Suspended.as_str(),
        ]))
        .select((
            contracts::product_id,
            contract_lines::period,
            contract_lines::quantity_g,
        ))
        .load(conn)?;
    for (product, period, grams) in contract_rows {
        let e = out
            .entry((product, parse::period(&period, "contract_lines.period")?))
            .or_default();
        e.demand.contract = e.demand.contract.saturating_add(grams);
    }
    let order_rows: Vec<(String, String, String, String, Grams)> = orders::table
        .select((
            orders::product_id,
            orders::period,
            orders::order_type,
            orders::status,
            orders::quantity_g,
        ))
        .load(conn)?;
    for (product, period, kind, status, grams) in order_rows {
        let status = parse::status(&status, "orders.status", OrderStatus::parse)?;
        let kind = parse::status(&kind, "orders.order_type", OrderType::parse)?;
        let e = out
            .entry((product, parse::period(&period, "orders.period")?))
            .or_default();
        let d = &mut e.demand;
        match (status, kind) {
            (OrderStatus::Draft | OrderStatus::Submitted, _) => {
                d.pending = d.pending.saturating_add(grams)
            }
            (s, OrderType::AddOn) if s.is_commitment() => d.addon = d.addon.saturating_add(grams),
            (s, OrderType::Spot) if s.is_commitment() => d.spot = d.spot.saturating_add(grams),
            _ => {}
        }
    }
    out.retain(|_, p| !p.is_empty());
    Ok(out)
}

/// Replaces every stored position with what the source rows say; the rows written.
pub fn rebuild(conn: &mut DbConnection) -> Result<usize, OpError> {
    let fresh = recomputed(conn)?;
    diesel::delete(pos::table).execute(conn)?;
    for ((product, period), p) in &fresh {
        diesel::insert_into(pos::table)
            .values((
                pos::product_id.eq(product),
                pos::period.eq(period.to_string()),
                pos::planned_g.eq(p.planned),
                pos::contract_g.eq(p.demand.contract),
                pos::addon_g.eq(p.demand.addon),
                pos::spot_g.eq(p.demand.spot),
                pos::pending_g.eq(p.demand.pending),
            ))
            .execute(conn)?;
    }
    Ok(fresh.len())
}

/// A stored position that differs from its source rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    pub product_id: String,
    pub period: Period,
    pub stored: Position,
    pub expected: Position,
}

/// Every position whose stored value differs from what the source rows say.
pub fn check(conn: &mut DbConnection) -> Result<Vec<Drift>, OpError> {
    let stored = stored(conn)?;
    let expected = recomputed(conn)?;
    let mut keys: Vec<&(String, Period)> = stored.keys().chain(expected.keys()).collect();
    keys.sort();
    keys.dedup();
    Ok(keys
        .into_iter()
        .filter_map(|k| {
            let s = stored.get(k).copied().unwrap_or_default();
            let e = expected.get(k).copied().unwrap_or_default();
            (s != e).then(|| Drift {
                product_id: k.0.clone(),
                period: k.1,
                stored: s,
                expected: e,
            })
        })
        .collect())
}
