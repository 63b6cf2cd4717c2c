//! The `price_quotes` table: market quotes by index and date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::domain::price_index::Quote;
use crate::domain::pricing::monthly_averages;
use crate::domain::PriceIndexId;
use crate::domain::{IndexPrice, Period};
use crate::error::OpError;
use crate::rows::PriceQuoteRow;
use crate::schema::price_quotes;
use crate::{now, DbConnection};

/// The index's quotes in `from`–`to` (inclusive), oldest first.
pub fn list(
    conn: &mut DbConnection,
    index_id: PriceIndexId,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<Quote>, OpError> {
    let mut q = price_quotes::table
        .filter(price_quotes::index_id.eq(index_id.to_string()))
        .select(PriceQuoteRow::as_select())
        .into_boxed();
    if let Some(f) = from {
        q = q.filter(price_quotes::quote_date.ge(f));
    }
    if let Some(t) = to {
        q = q.filter(price_quotes::quote_date.le(t));
    }
    let rows: Vec<PriceQuoteRow> = q.order(price_quotes::quote_date.asc()).load(conn)?;
    Ok(rows
        .iter()
        .map(|r| Quote {
            date: r.quote_date,
            price: IndexPrice::from_units(r.price_e4),
        })
        .collect())
}

/// The index's monthly averages (4 dp).
pub fn averages(
    conn: &mut DbConnection,
    index_id: PriceIndexId,
) -> Result<BTreeMap<Period, Decimal>, OpError> {
    averages_until(conn, index_id, None)
}

/// The monthly averages of the quotes dated up to `until` (all when `None`): what was known
/// that day.
pub fn averages_until(
    conn: &mut DbConnection,
    index_id: PriceIndexId,
    until: Option<NaiveDate>,
) -> Result<BTreeMap<Period, Decimal>, OpError> {
    let mut q = price_quotes::table
        .filter(price_quotes::index_id.eq(index_id.to_string()))
        .select((price_quotes::quote_date, price_quotes::price_e4))
        .into_boxed();
    if let Some(u) = until {
        q = q.filter(price_quotes::quote_date.le(u));
    }
    let rows: Vec<(NaiveDate, i64)> = q.load(conn)?;
    let quotes: Vec<(NaiveDate, Decimal)> = rows
        .into_iter()
        .map(|(d, p)| (d, IndexPrice::from_units(p).value()))
        .collect();
    Ok(monthly_averages(&quotes))
}

/// What one upsert did to one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Inserted,
    Updated,
    Unchanged,
}

/// Adds or replaces the quote of one date.
pub fn upsert(
    conn: &mut DbConnection,
    index_id: PriceIndexId,
    date: NaiveDate,
    units: i64,
) -> Result<Upserted, OpError> {
    let id = index_id.to_string();
    let key = price_quotes::table.find((&id, date));
    let existing: Option<i64> = key.select(price_quotes::price_e4).first(conn).optional()?;
    Ok(match existing {
        Some(old) if old == units => Upserted::Unchanged,
        Some(_) => {
            diesel::update(key)
                .set((
                    price_quotes::price_e4.eq(units),
                    price_quotes::updated_at.eq(now()),
                ))
                .execute(conn)?;
            Upserted::Updated
        }
        None => {
            diesel::insert_into(price_quotes::table)
                .values(PriceQuoteRow {
                    index_id: id,
                    quote_date: date,
                    price_e4: units,
                    updated_at: now(),
                })
                .execute(conn)?;
            Upserted::Inserted
        }
    })
}
