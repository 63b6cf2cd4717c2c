//! The `price_indices` table.

use diesel::prelude::*;

use crate::domain::price_index::PriceIndexFilter;
use crate::domain::price_index::{IndexUnit, PriceIndex};
use crate::domain::reference::MasterStatus;
use crate::domain::Percent;
use crate::domain::PriceIndexId;
use crate::error::OpError;
use crate::page::{after_cursor, page_of, Cursor};
use crate::parse;
use crate::rows::PriceIndexRow;
use crate::schema::price_indices;
use crate::DbConnection;

crate::master::master_repo!(
    price_indices,
    PriceIndexRow,
    PriceIndex,
    PriceIndexId,
    "price index"
);

fn to_entity(r: PriceIndexRow) -> Result<PriceIndex, OpError> {
    Ok(PriceIndex {
        id: parse::id(&r.id, "price_indices.id")?,
        status: parse::status(&r.status, "price_indices.status", MasterStatus::parse)?,
        code: r.code,
        name: r.name,
        currency: r.currency,
        unit: parse::status(&r.unit, "price_indices.unit", IndexUnit::parse)?,
        vat_pct: Percent::from_milli(r.vat_milli_pct),
        source: r.source,
        created_at: parse::utc(r.created_at),
        updated_at: parse::utc(r.updated_at),
        version: r.version,
    })
}

fn to_row(p: &PriceIndex) -> Result<PriceIndexRow, OpError> {
    Ok(PriceIndexRow {
        id: p.id.to_string(),
        code: p.code.clone(),
        name: p.name.clone(),
        currency: p.currency.clone(),
        source: p.source.clone(),
        status: p.status.as_str().into(),
        created_at: parse::naive(p.created_at),
        updated_at: parse::naive(p.updated_at),
        version: p.version,
        unit: p.unit.as_str().into(),
        vat_milli_pct: p
            .vat_pct
            .milli()
            .ok_or_else(|| OpError::field("vat_pct", "is out of range"))?,
    })
}

pub fn list(
    conn: &mut DbConnection,
    f: &PriceIndexFilter,
    limit: i64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<PriceIndex>, Option<Cursor>), OpError> {
    let mut q = price_indices::table
        .select(PriceIndexRow::as_select())
        .into_boxed();
    if let Some(s) = f.status {
        q = q.filter(price_indices::status.eq(s.as_str()));
    }
    if let Some(c) = &f.currency {
        q = q.filter(price_indices::currency.eq(c.clone()));
    }
    if let Some(c) = &f.code {
        q = q.filter(price_indices::code.eq(c.clone()));
    }
    if let Some(t) = f.updated_since {
        q = q.filter(price_indices::updated_at.ge(t.naive_utc()));
    }
    let rows: Vec<PriceIndexRow> = after_cursor!(q, price_indices, cursor, limit).load(conn)?;
    page_of(rows, limit, to_entity)
}

/// The index's currency, `None` when there is no such index.
pub fn currency(conn: &mut DbConnection, id: PriceIndexId) -> Result<Option<String>, OpError> {
    Ok(price_indices::table
        .find(id.to_string())
        .select(price_indices::currency)
        .first(conn)
        .optional()?)
}

/// The basis of the index's quotes: currency, unit and VAT.
pub fn basis(
    conn: &mut DbConnection,
    id: PriceIndexId,
) -> Result<(String, IndexUnit, Percent), OpError> {
    let (currency, unit, vat): (String, String, i64) = price_indices::table
        .find(id.to_string())
        .select((
            price_indices::currency,
            price_indices::unit,
            price_indices::vat_milli_pct,
        ))
        .first(conn)?;
    Ok((
        currency,
        parse::status(&unit, "price_indices.unit", IndexUnit::parse)?,
        Percent::from_milli(vat),
    ))
}

/// Every index, by code.
pub fn all(conn: &mut DbConnection) -> Result<Vec<PriceIndex>, OpError> {
    price_indices::table
        .order(price_indices::code.asc())
        .select(PriceIndexRow::as_select())
        .load(conn)?
        .into_iter()
        .map(to_entity)
        .collect()
}
