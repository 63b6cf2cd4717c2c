//! Recording fixings: one (`PUT /fx-rates/{base_currency}/{quote_currency}/{date}`), a batch, or an import row.
//! A fixing already as given changes nothing; otherwise each pair touched gets one audit entry
//! and one `fx_rate.upserted` event naming the dates and counts.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::changes::{self, Change};
use crate::db::fx_rates;
use crate::db::quotes::Upserted;
use crate::db::DbConnection;
use crate::domain::fx::{FxFixing, FxFixingInput, NewFxFixing, MAX_FIXINGS};
use crate::domain::Permission;
use crate::error::{FieldError, OpError};
use crate::Actor;

/// A batch of fixings, 1 to 1000, each (base, quote, date) at most once.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(min_items = 1, max_items = 1000)]
pub struct FxBatch(pub Vec<NewFxFixing>);

/// What a batch did.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct FxUpsertResult {
    /// Fixings for a pair and date that had none.
    pub inserted: usize,
    /// Fixings that replaced an earlier rate or source.
    pub updated: usize,
    /// Fixings already as given.
    pub unchanged: usize,
}

/// Records one fixing; answers it and whether it was new, changed or already so.
pub fn upsert_one(
    conn: &mut DbConnection,
    actor: &Actor,
    base: &str,
    quote: &str,
    date: NaiveDate,
    input: &FxFixingInput,
) -> Result<(FxFixing, Upserted), OpError> {
    let fixing = NewFxFixing {
        base: base.to_string(),
        quote: quote.to_string(),
        date,
        rate: input.rate,
        source: input.source.clone(),
    };
    let done = record(conn, actor, std::slice::from_ref(&fixing), "")?;
    let outcome = done.into_iter().next().unwrap_or(Upserted::Unchanged);
    let stored = super::get(conn, base, quote, date)?;
    Ok((stored, outcome))
}

/// Records a batch in the caller's transaction: all or nothing.
pub fn upsert_batch(
    conn: &mut DbConnection,
    actor: &Actor,
    batch: &[NewFxFixing],
) -> Result<FxUpsertResult, OpError> {
    if batch.is_empty() || batch.len() > MAX_FIXINGS {
        return Err(OpError::field(
            "body",
            format!("must hold 1 to {MAX_FIXINGS} fixings"),
        ));
    }
    let mut result = FxUpsertResult::default();
    for outcome in record(conn, actor, batch, "[{i}].")? {
        match outcome {
            Upserted::Inserted => result.inserted += 1,
            Upserted::Updated => result.updated += 1,
            Upserted::Unchanged => result.unchanged += 1,
        }
    }
    Ok(result)
}

/// Per pair: the dates written and what happened to each.
pub type Touched = BTreeMap<(String, String), Vec<(NaiveDate, Upserted)>>;

/// Validates every fixing (fields named with `prefix`, where `{i}` is the position), writes
/// them, and records one audit entry and event per pair that changed.
fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    fixings: &[NewFxFixing],
    prefix: &str,
) -> Result<Vec<Upserted>, OpError> {
    let mut touched = Touched::new();
    let outcomes = write(conn, actor, fixings, prefix, &mut touched)?;
    record_touched(conn, actor, touched)?;
    Ok(outcomes)
}

/// Validates and writes the fixings, adding what happened to `touched`; records nothing (an
/// import records once for all its rows with [`record_touched`]).
pub fn write(
    conn: &mut DbConnection,
    actor: &Actor,
    fixings: &[NewFxFixing],
    prefix: &str,
    touched: &mut Touched,
) -> Result<Vec<Upserted>, OpError> {
    actor.require(Permission::WriteFxRates)?;
    let today = crate::domain::clock::today();
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    let mut micros = Vec::with_capacity(fixings.len());
    for (i, f) in fixings.iter().enumerate() {
        let at = prefix.replace("{i}", &i.to_string());
        errors.extend(
            f.problems(today)
                .into_iter()
                .map(|e| FieldError::new(format!("{at}{}", e.field), e.message)),
        );
        if !seen.insert((&f.base, &f.quote, f.date)) {
            errors.push(FieldError::new(
                format!("{at}date"),
                format!(
                    "{}/{} on {} appears twice in the batch",
                    f.base, f.quote, f.date
                ),
            ));
        }
        match f.rate.micros() {
            Some(m) => micros.push(m),
            None => errors.push(FieldError::new(format!("{at}rate"), "is too large")),
        }
    }
    if !errors.is_empty() {
        return Err(OpError::Validation(errors));
    }
    let mut outcomes = Vec::with_capacity(fixings.len());
    for (f, m) in fixings.iter().zip(micros) {
        let outcome = fx_rates::upsert(conn, f, m)?;
        outcomes.push(outcome);
        touched
            .entry((f.base.clone(), f.quote.clone()))
            .or_default()
            .push((f.date, outcome));
    }
    Ok(outcomes)
}

/// One audit entry and `fx_rate.upserted` event per pair that changed, naming the counts and
/// the dates changed; none for a pair left as it was.
pub fn record_touched(
    conn: &mut DbConnection,
    actor: &Actor,
    touched: Touched,
) -> Result<(), OpError> {
    for ((base, quote), days) in touched {
        let count = |o: Upserted| days.iter().filter(|(_, x)| *x == o).count();
        let (inserted, updated) = (count(Upserted::Inserted), count(Upserted::Updated));
        if inserted + updated == 0 {
            continue;
        }
        let dates: Vec<NaiveDate> = days
            .iter()
            .filter(|(_, o)| *o != Upserted::Unchanged)
            .map(|(d, _)| *d)
            .collect();
        let pair = format!("{base}/{quote}");
        let after = serde_json::json!({
            "base": base,
            "quote": quote,
            "from": dates.iter().min(),
            "to": dates.iter().max(),
            "dates": dates,
            "inserted": inserted,
            "updated": updated,
            "unchanged": count(Upserted::Unchanged),
        });
        changes::record(
            conn,
            &actor.author(),
            Change {
                action: "upserted",
                entity_type: "fx_rate",
                entity_id: &pair,
                before: None,
                after: Some(after),
            },
        )?;
    }
    Ok(())
}
