use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::{price_indices, quotes, DbConnection};
use crate::domain::price_index::Quote;
use crate::domain::PriceIndexId;
use crate::error::OpError;

#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteList {
    #[schema(value_type = uuid::Uuid)]
    pub index_id: PriceIndexId,
    #[schema(example = "USD")]
    pub currency: String,
    pub quotes: Vec<Quote>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QuoteRange {
    /// First date, inclusive.
    #[param(example = "2026-10-01")]
    pub from: Option<NaiveDate>,
    /// Last date, inclusive.
    #[param(example = "2026-10-31")]
    pub to: Option<NaiveDate>,
}

/// Quotes of the index by date, oldest first, optionally within `from`–`to`.
pub fn list(
    conn: &mut DbConnection,
    index_id: PriceIndexId,
    range: &QuoteRange,
) -> Result<QuoteList, OpError> {
    if let (Some(f), Some(t)) = (range.from, range.to) {
        if f > t {
            return Err(OpError::field("from", "must not be after `to`"));
        }
    }
    let index = price_indices::find(conn, index_id)?;
    Ok(QuoteList {
        index_id: index.id,
        currency: index.currency,
        quotes: quotes::list(conn, index_id, range.from, range.to)?,
    })
}
