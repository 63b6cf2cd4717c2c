//! The `production_plans` and `production_plan_lines` tables.

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::domain::lifecycle::PlanStatus;
use crate::domain::production::PlanFilter;
use crate::domain::production::{PlanLine, ProductionPlan};
use crate::domain::Kg;
use crate::domain::PlanId;
use crate::error::OpError;
use crate::page::{after_cursor, page_rows, Cursor};
use crate::parse;
use crate::rows::PlanRow;
use crate::schema::{production_plan_lines as lines, production_plans as plans};
use crate::DbConnection;

fn to_entity(
    r: PlanRow,
    plan_lines: Vec<(String, String, i64)>,
) -> Result<ProductionPlan, OpError> {
    let lines = plan_lines
        .into_iter()
        .map(|(p, per, g)| {
            Ok(PlanLine {
                product_id: parse::id(&p, "production_plan_lines.product_id")?,
                period: parse::period(&per, "production_plan_lines.period")?,
                planned_kg: Kg::from_grams(g),
            })
        })
        .collect::<Result<Vec<_>, OpError>>()?;
    Ok(ProductionPlan {
        id: parse::id(&r.id, "production_plans.id")?,
        status: parse::status(&r.status, "production_plans.status", PlanStatus::parse)?,
        version_no: r.version_no,
        note: r.note,
        lines,
        approved_at: r.approved_at.map(parse::utc),
        approved_by: r.approved_by,
        created_at: parse::utc(r.created_at),
        updated_at: parse::utc(r.updated_at),
        version: r.version,
    })
}

fn to_row(p: &ProductionPlan) -> PlanRow {
    PlanRow {
        id: p.id.to_string(),
        version_no: p.version_no,
        note: p.note.clone(),
        status: p.status.as_str().into(),
        approved_at: p.approved_at.map(parse::naive),
        approved_by: p.approved_by.clone(),
        created_at: parse::naive(p.created_at),
        updated_at: parse::naive(p.updated_at),
        version: p.version,
    }
}

fn with_lines(conn: &mut DbConnection, rows: Vec<PlanRow>) -> Result<Vec<ProductionPlan>, OpError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let all: Vec<(String, String, String, i64)> = lines::table
        .filter(lines::plan_id.eq_any(&ids))
        .order((lines::product_id.asc(), lines::period.asc()))
        .select((
            lines::plan_id,
            lines::product_id,
            lines::period,
            lines::planned_g,
        ))
        .load(conn)?;
    let mut by_plan: BTreeMap<String, Vec<(String, String, i64)>> = BTreeMap::new();
    for (plan, product, period, g) in all {
        by_plan.entry(plan).or_default().push((product, period, g));
    }
    rows.into_iter()
        .map(|r| {
            let mine = by_plan.remove(&r.id).unwrap_or_default();
            to_entity(r, mine)
        })
        .collect()
}

pub fn find(conn: &mut DbConnection, id: PlanId) -> Result<ProductionPlan, OpError> {
    let row = plans::table
        .find(id.to_string())
        .select(PlanRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| OpError::not_found("production plan"))?;
    with_lines(conn, vec![row])?
        .pop()
        .ok_or_else(|| OpError::not_found("production plan"))
}

pub fn insert(conn: &mut DbConnection, p: &ProductionPlan) -> Result<(), OpError> {
    diesel::insert_into(plans::table)
        .values(&to_row(p))
        .execute(conn)?;
    for l in &p.lines {
        let grams = l
            .planned_kg
            .grams()
            .ok_or_else(|| OpError::field("lines", "a quantity is out of range"))?;
        diesel::insert_into(lines::table)
            .values((
                lines::plan_id.eq(p.id.to_string()),
                lines::product_id.eq(l.product_id.to_string()),
                lines::period.eq(l.period.to_string()),
                lines::planned_g.eq(grams),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Writes a changed plan (not its lines, which never change) if still at `before_version`.
pub fn save(
    conn: &mut DbConnection,
    before_version: i64,
    p: &ProductionPlan,
) -> Result<(), OpError> {
    crate::versioned::save(conn, "plan", before_version, &to_row(p))
}

/// The approved plan, if any.
pub fn approved(conn: &mut DbConnection) -> Result<Vec<ProductionPlan>, OpError> {
    let rows: Vec<PlanRow> = plans::table
        .filter(plans::status.eq(PlanStatus::Approved.as_str()))
        .select(PlanRow::as_select())
        .load(conn)?;
    with_lines(conn, rows)
}

/// How many approved or superseded versions are newer than `version_no`.
pub fn newer_approved(conn: &mut DbConnection, version_no: i64) -> Result<i64, OpError> {
    Ok(plans::table
        .filter(plans::status.ne(PlanStatus::Draft.as_str()))
        .filter(plans::version_no.gt(version_no))
        .count()
        .get_result(conn)?)
}

pub fn list(
    conn: &mut DbConnection,
    f: &PlanFilter,
    status: Option<PlanStatus>,
    limit: i64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<ProductionPlan>, Option<Cursor>), OpError> {
    let mut q = plans::table.select(PlanRow::as_select()).into_boxed();
    if let Some(s) = status {
        q = q.filter(plans::status.eq(s.as_str()));
    }
    if let Some(t) = f.updated_since {
        q = q.filter(plans::updated_at.ge(t.naive_utc()));
    }
    let rows: Vec<PlanRow> = after_cursor!(q, plans, cursor, limit).load(conn)?;
    let (rows, next) = page_rows(rows, limit);
    Ok((with_lines(conn, rows)?, next))
}
