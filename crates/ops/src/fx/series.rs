//! An index as terms in a given currency see it: monthly averages, unit, VAT and, for another
//! currency, the monthly mean fixing of terms-currency/index-currency.

use std::collections::BTreeMap;

use crate::db::{fx_rates, price_indices, quotes, DbConnection};
use crate::domain::fx::{daily_rates, monthly_means};
use crate::domain::pricing::IndexSeries;
use crate::domain::PriceIndexId;
use crate::error::OpError;

/// The index `index_id` for terms in `currency`. The FX pair is `currency`/index currency (how
/// many units of the index's currency one unit of the terms' buys), from its own fixings and,
/// for days without one, the inverse pair's.
pub fn index_series(
    conn: &mut DbConnection,
    index_id: PriceIndexId,
    currency: &str,
) -> Result<IndexSeries, OpError> {
    index_series_known(conn, index_id, currency, None)
}

/// The same from the quotes and fixings dated up to `until`: the index as it was known that
/// day (all of it when `None`).
pub fn index_series_known(
    conn: &mut DbConnection,
    index_id: PriceIndexId,
    currency: &str,
    until: Option<chrono::NaiveDate>,
) -> Result<IndexSeries, OpError> {
    let (index_currency, unit, vat) = price_indices::basis(conn, index_id)?;
    let fx = if index_currency == currency {
        None
    } else {
        let direct = fx_rates::rates(conn, currency, &index_currency, until)?;
        let inverse = fx_rates::rates(conn, &index_currency, currency, until)?;
        Some(monthly_means(&daily_rates(&direct, &inverse)))
    };
    Ok(IndexSeries {
        averages: quotes::averages_until(conn, index_id, until)?,
        unit,
        vat_pct: vat.value(),
        fx,
        fx_pair: (index_currency != currency).then(|| format!("{currency}/{index_currency}")),
        index_currency,
    })
}

/// Series per index and terms currency, loaded once for many prices.
#[derive(Default)]
pub struct SeriesCache(BTreeMap<(PriceIndexId, String), IndexSeries>);

impl SeriesCache {
    pub fn get(
        &mut self,
        conn: &mut DbConnection,
        index_id: PriceIndexId,
        currency: &str,
    ) -> Result<&IndexSeries, OpError> {
        match self.0.entry((index_id, currency.to_string())) {
            std::collections::btree_map::Entry::Occupied(e) => Ok(e.into_mut()),
            std::collections::btree_map::Entry::Vacant(e) => {
                Ok(e.insert(index_series(conn, index_id, currency)?))
            }
        }
    }
}
