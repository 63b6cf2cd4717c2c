//! FX fixings: recorded one at a time, in batches or by import, listed, and read as the monthly
//! means index prices in another currency are converted with (docs/business-rules.md,
//! "FX fixings").

mod series;
mod upsert;

use chrono::NaiveDate;
use serde::Deserialize;

pub use series::{index_series, index_series_known, SeriesCache};
pub use upsert::{
    record_touched, upsert_batch, upsert_one, write, FxBatch, FxUpsertResult, Touched,
};

use crate::db::fx_rates::{self, FxScope};
use crate::db::DbConnection;
use crate::domain::fx::FxFixing;
use crate::domain::reference::{is_currency, CURRENCIES};
use crate::error::{FieldError, OpError};
use crate::page::{Page, PageRequest};
use crate::report::Csv;

/// The filters of the list of fixings, shared by the JSON list and its CSV twin.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FxFilter {
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only this base currency.
    #[param(example = "USD", pattern = "^(USD|CNY|EUR|JPY)$")]
    pub base: Option<String>,
    /// Only this quote currency.
    #[param(example = "CNY", pattern = "^(USD|CNY|EUR|JPY)$")]
    pub quote: Option<String>,
    /// First date, inclusive.
    #[param(example = "2027-03-01")]
    pub from: Option<NaiveDate>,
    /// Last date, inclusive.
    #[param(example = "2027-03-31")]
    pub to: Option<NaiveDate>,
}

/// Fixings by date (then pair), oldest first.
pub fn list(conn: &mut DbConnection, f: &FxFilter) -> Result<Page<FxFixing>, OpError> {
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    let mut errors = Vec::new();
    for (field, value) in [("base", &f.base), ("quote", &f.quote)] {
        if value.as_deref().is_some_and(|c| !is_currency(c)) {
            errors.push(FieldError::new(
                field,
                format!("must be one of {}", CURRENCIES.join(", ")),
            ));
        }
    }
    if let (Some(from), Some(to)) = (f.from, f.to) {
        if from > to {
            errors.push(FieldError::new("from", "must not be after `to`"));
        }
    }
    if !errors.is_empty() {
        return Err(OpError::Validation(errors));
    }
    let scope = FxScope {
        base: f.base.clone(),
        quote: f.quote.clone(),
        from: f.from,
        to: f.to,
    };
    let (items, next) = fx_rates::list(conn, &scope, page.limit, page.cursor.as_ref())?;
    Ok(Page::new(items, next))
}

/// One fixing; 404 when the pair has none that day.
pub fn get(
    conn: &mut DbConnection,
    base: &str,
    quote: &str,
    date: NaiveDate,
) -> Result<FxFixing, OpError> {
    fx_rates::find(conn, base, quote, date)?
        .ok_or_else(|| OpError::NotFound(format!("no FX fixing of {base}/{quote} on {date}")))
}

/// The monthly mean of one pair's own fixings in one month.
#[derive(Debug, Clone)]
pub struct MonthlyMean {
    pub pair: String,
    pub period: crate::domain::Period,
    /// 6 dp.
    pub mean: rust_decimal::Decimal,
    pub fixings: usize,
}

/// The monthly means of every pair with fixings in `from`–`to` (each pair's own fixings; the
/// inverse fills in only where prices are converted), by pair and month.
pub fn monthly_means(
    conn: &mut DbConnection,
    from: crate::domain::Period,
    to: crate::domain::Period,
) -> Result<Vec<MonthlyMean>, OpError> {
    let last = to.next().first_day().pred_opt().unwrap_or(to.first_day());
    let mut by_pair: std::collections::BTreeMap<String, Vec<(NaiveDate, rust_decimal::Decimal)>> =
        std::collections::BTreeMap::new();
    for f in fx_rates::between(conn, from.first_day(), last)? {
        by_pair
            .entry(format!("{}/{}", f.base, f.quote))
            .or_default()
            .push((f.date, f.rate.value()));
    }
    let mut out = Vec::new();
    for (pair, days) in by_pair {
        let daily = crate::domain::fx::daily_rates(&days, &[]);
        for (period, mean) in crate::domain::fx::monthly_means(&daily) {
            let fixings = days
                .iter()
                .filter(|(d, _)| crate::domain::Period::of_date(*d) == period)
                .count();
            out.push(MonthlyMean {
                pair: pair.clone(),
                period,
                mean,
                fixings,
            });
        }
    }
    Ok(out)
}

impl Page<FxFixing> {
    /// The page as a spreadsheet (`GET /api/v1/fx-rates.csv`).
    pub fn csv(&self) -> Csv {
        Csv::new(
            "fx-rates.csv",
            &["base", "quote", "date", "rate", "source", "updated_at"],
            self.items.iter().map(|x| {
                vec![
                    x.base.clone(),
                    x.quote.clone(),
                    x.date.to_string(),
                    x.rate.display().to_string(),
                    x.source.clone().unwrap_or_default(),
                    x.updated_at.to_rfc3339(),
                ]
            }),
        )
    }
}
