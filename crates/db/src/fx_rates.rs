//! The `fx_rates` table: one fixing per currency pair and date.

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::domain::fx::{FxFixing, NewFxFixing};
use crate::domain::FxRate;
use crate::error::OpError;
use crate::page::{split, Cursor};
use crate::quotes::Upserted;
use crate::rows::FxRateRow;
use crate::schema::fx_rates;
use crate::{now, parse, DbConnection};

/// What a list of fixings is narrowed to.
#[derive(Debug, Default, Clone)]
pub struct FxScope {
    pub base: Option<String>,
    pub quote: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

fn to_entity(r: FxRateRow) -> FxFixing {
    FxFixing {
        base: r.base,
        quote: r.quote,
        date: r.rate_date,
        rate: FxRate::from_micros(r.rate_e6),
        source: r.source,
        updated_at: parse::utc(r.updated_at),
    }
}

/// A page of fixings in (date, base, quote) order, after `cursor` (whose `created_at` is the
/// date and whose `id` is `BASE/QUOTE`).
pub fn list(
    conn: &mut DbConnection,
    scope: &FxScope,
    limit: i64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<FxFixing>, Option<Cursor>), OpError> {
    let mut q = fx_rates::table.select(FxRateRow::as_select()).into_boxed();
    if let Some(b) = &scope.base {
        q = q.filter(fx_rates::base.eq(b.clone()));
    }
    if let Some(c) = &scope.quote {
        q = q.filter(fx_rates::quote.eq(c.clone()));
    }
    if let Some(f) = scope.from {
        q = q.filter(fx_rates::rate_date.ge(f));
    }
    if let Some(t) = scope.to {
        q = q.filter(fx_rates::rate_date.le(t));
    }
    if let Some(c) = cursor {
        let date = c.created_at.date();
        let (base, quote) =
            c.id.split_once('/')
                .ok_or_else(|| OpError::field("cursor", "is not a cursor this service gave out"))?;
        q = q.filter(
            fx_rates::rate_date
                .gt(date)
                .or(fx_rates::rate_date.eq(date).and(
                    fx_rates::base.gt(base.to_string()).or(fx_rates::base
                        .eq(base.to_string())
                        .and(fx_rates::quote.gt(quote.to_string()))),
                )),
        );
    }
    let rows: Vec<FxRateRow> = q
        .order((
            fx_rates::rate_date.asc(),
            fx_rates::base.asc(),
            fx_rates::quote.asc(),
        ))
        .limit(limit + 1)
        .load(conn)?;
    let (rows, next) = split(rows, limit, |r| Cursor {
        created_at: r.rate_date.and_time(chrono::NaiveTime::MIN),
        id: format!("{}/{}", r.base, r.quote),
    });
    Ok((rows.into_iter().map(to_entity).collect(), next))
}

/// One fixing, if there is one.
pub fn find(
    conn: &mut DbConnection,
    base: &str,
    quote: &str,
    date: NaiveDate,
) -> Result<Option<FxFixing>, OpError> {
    Ok(fx_rates::table
        .find((base, quote, date))
        .select(FxRateRow::as_select())
        .first(conn)
        .optional()?
        .map(to_entity))
}

/// Every stored rate of the pair dated up to `until` (all when `None`), by date.
pub fn rates(
    conn: &mut DbConnection,
    base: &str,
    quote: &str,
    until: Option<NaiveDate>,
) -> Result<Vec<(NaiveDate, Decimal)>, OpError> {
    let mut q = fx_rates::table
        .filter(fx_rates::base.eq(base).and(fx_rates::quote.eq(quote)))
        .select((fx_rates::rate_date, fx_rates::rate_e6))
        .order(fx_rates::rate_date.asc())
        .into_boxed();
    if let Some(u) = until {
        q = q.filter(fx_rates::rate_date.le(u));
    }
    let rows: Vec<(NaiveDate, i64)> = q.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(d, r)| (d, FxRate::from_micros(r).value()))
        .collect())
}

/// Adds or replaces one fixing; a fixing already as given is left alone.
pub fn upsert(conn: &mut DbConnection, f: &NewFxFixing, rate_e6: i64) -> Result<Upserted, OpError> {
    let key = fx_rates::table.find((&f.base, &f.quote, f.date));
    let existing: Option<(i64, Option<String>)> = key
        .select((fx_rates::rate_e6, fx_rates::source))
        .first(conn)
        .optional()?;
    Ok(match existing {
        Some((r, s)) if r == rate_e6 && s == f.source => Upserted::Unchanged,
        Some(_) => {
            diesel::update(key)
                .set((
                    fx_rates::rate_e6.eq(rate_e6),
                    fx_rates::source.eq(f.source.clone()),
                    fx_rates::updated_at.eq(now()),
                ))
                .execute(conn)?;
            Upserted::Updated
        }
        None => {
            diesel::insert_into(fx_rates::table)
                .values(FxRateRow {
                    base: f.base.clone(),
                    quote: f.quote.clone(),
                    rate_date: f.date,
                    rate_e6,
                    source: f.source.clone(),
                    updated_at: now(),
                })
                .execute(conn)?;
            Upserted::Inserted
        }
    })
}

/// Every fixing dated `from`–`to`, by pair and date.
pub fn between(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<FxFixing>, OpError> {
    let rows: Vec<FxRateRow> = fx_rates::table
        .filter(fx_rates::rate_date.ge(from).and(fx_rates::rate_date.le(to)))
        .order((
            fx_rates::base.asc(),
            fx_rates::quote.asc(),
            fx_rates::rate_date.asc(),
        ))
        .select(FxRateRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(to_entity).collect())
}

/// The latest fixing of base/quote on or before `date` — the pair's own, or `1 / rate` of the
/// inverse pair's when that is later — with its date.
pub fn rate_on(
    conn: &mut DbConnection,
    base: &str,
    quote: &str,
    date: NaiveDate,
) -> Result<Option<(NaiveDate, Decimal)>, OpError> {
    let latest = |conn: &mut DbConnection, b: &str, q: &str| -> Result<_, OpError> {
        Ok(fx_rates::table
            .filter(fx_rates::base.eq(b).and(fx_rates::quote.eq(q)))
            .filter(fx_rates::rate_date.le(date))
            .order(fx_rates::rate_date.desc())
            .select((fx_rates::rate_date, fx_rates::rate_e6))
            .first::<(NaiveDate, i64)>(conn)
            .optional()?)
    };
    let direct = latest(conn, base, quote)?;
    let inverse = latest(conn, quote, base)?;
    Ok(match (direct, inverse) {
        (Some((d, r)), Some((i, _))) if d >= i => Some((d, FxRate::from_micros(r).value())),
        (_, Some((i, r))) if r > 0 => Some((i, Decimal::ONE / FxRate::from_micros(r).value())),
        (Some((d, r)), _) => Some((d, FxRate::from_micros(r).value())),
        _ => None,
    })
}
