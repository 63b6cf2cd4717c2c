use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::changes::{self, Change};
use crate::db::quotes::{self, Upserted};
use crate::db::{price_indices, DbConnection};
use crate::domain::price_index::Quote;
use crate::domain::reference::MasterStatus;
use crate::domain::Permission;
use crate::domain::PriceIndexId;
use crate::error::{FieldError, OpError};
use crate::Actor;

/// Most quotes accepted in one request.
pub const MAX_BATCH: usize = 1000;

/// A batch of quotes, 1 to 1000, dates distinct.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(min_items = 1, max_items = 1000)]
pub struct QuoteBatch(pub Vec<Quote>);

#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteUpsertResult {
    #[schema(value_type = uuid::Uuid)]
    pub index_id: PriceIndexId,
    /// Quotes for dates that had none.
    pub inserted: usize,
    /// Quotes that replaced an earlier price for their date.
    pub updated: usize,
    /// Quotes whose price was already as given.
    pub unchanged: usize,
}

impl QuoteUpsertResult {
    /// Nothing done yet to `index_id`.
    pub fn empty(index_id: PriceIndexId) -> QuoteUpsertResult {
        QuoteUpsertResult {
            index_id,
            inserted: 0,
            updated: 0,
            unchanged: 0,
        }
    }
}

/// Checks a batch: 1–1000 quotes, distinct dates, not in the future, prices above zero.
fn validate(quotes: &[Quote]) -> Result<Vec<(NaiveDate, i64)>, OpError> {
    let mut errors = Vec::new();
    if quotes.is_empty() || quotes.len() > MAX_BATCH {
        errors.push(FieldError::new(
            "body",
            format!("must hold 1 to {MAX_BATCH} quotes"),
        ));
    }
    let latest = crate::domain::clock::today() + Duration::days(1);
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(quotes.len());
    for (i, q) in quotes.iter().enumerate() {
        if !seen.insert(q.date) {
            errors.push(FieldError::new(
                format!("[{i}].date"),
                "appears twice in the batch",
            ));
        }
        if q.date > latest {
            errors.push(FieldError::new(
                format!("[{i}].date"),
                "must not be in the future",
            ));
        }
        // Quotes price months, and months run from 2000-01: an earlier date would make an
        // average for a month no other part of the service can name.
        if chrono::Datelike::year(&q.date) < crate::domain::Period::MIN_YEAR {
            errors.push(FieldError::new(
                format!("[{i}].date"),
                "must be in 2000 or later",
            ));
        }
        match q.price.units() {
            Some(units) if units > 0 => out.push((q.date, units)),
            Some(_) => errors.push(FieldError::new(
                format!("[{i}].price"),
                "must be greater than 0",
            )),
            None => errors.push(FieldError::new(format!("[{i}].price"), "is too large")),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(OpError::Validation(errors))
    }
}

/// Adds or replaces the quotes of the given dates, in the caller's transaction, with one audit
/// entry and event for the batch when it changed anything.
pub fn upsert(
    conn: &mut DbConnection,
    actor: &Actor,
    index_id: PriceIndexId,
    batch: &[Quote],
) -> Result<QuoteUpsertResult, OpError> {
    let mut changed = Vec::new();
    let result = write(conn, actor, index_id, batch, &mut changed)?;
    record(conn, actor, &result, &changed)?;
    Ok(result)
}

/// Validates and writes the quotes, adding the dates whose price changed to `changed`;
/// records nothing (an import records once per index with [`record`]).
pub fn write(
    conn: &mut DbConnection,
    actor: &Actor,
    index_id: PriceIndexId,
    batch: &[Quote],
    changed: &mut Vec<NaiveDate>,
) -> Result<QuoteUpsertResult, OpError> {
    actor.require(Permission::WritePriceQuotes)?;
    let quotes = validate(batch)?;
    let index = price_indices::find(conn, index_id)?;
    if index.status == MasterStatus::Archived {
        return Err(OpError::conflict(
            "the price index is archived and takes no new quotes",
        ));
    }
    let (mut inserted, mut updated, mut unchanged) = (0, 0, 0);
    for (date, units) in &quotes {
        match quotes::upsert(conn, index_id, *date, *units)? {
            Upserted::Inserted => inserted += 1,
            Upserted::Updated => updated += 1,
            Upserted::Unchanged => {
                unchanged += 1;
                continue;
            }
        }
        changed.push(*date);
    }
    Ok(QuoteUpsertResult {
        index_id,
        inserted,
        updated,
        unchanged,
    })
}

/// One audit entry and `price_index.quotes_upserted` event for what a batch or an import did to
/// one index, naming the counts and the dates changed; nothing when nothing changed.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    result: &QuoteUpsertResult,
    changed: &[NaiveDate],
) -> Result<(), OpError> {
    if result.inserted + result.updated == 0 {
        return Ok(());
    }
    let id = result.index_id.to_string();
    let after = serde_json::json!({
        "index_id": id,
        "from": changed.iter().min(),
        "to": changed.iter().max(),
        "dates": changed,
        "inserted": result.inserted,
        "updated": result.updated,
        "unchanged": result.unchanged,
    });
    changes::record(
        conn,
        &actor.author(),
        Change {
            action: "quotes_upserted",
            entity_type: "price_index",
            entity_id: &id,
            before: None,
            after: Some(after),
        },
    )?;
    Ok(())
}
