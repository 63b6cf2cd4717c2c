use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::{fx_rates, price_indices, price_quotes};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = price_indices, treat_none_as_null = true)]
pub struct PriceIndexRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub currency: String,
    pub source: Option<String>,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
    pub unit: String,
    pub vat_milli_pct: i64,
}

crate::versioned::versioned_row!(PriceIndexRow, price_indices);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = price_quotes)]
pub struct PriceQuoteRow {
    pub index_id: String,
    pub quote_date: NaiveDate,
    pub price_e4: i64,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fx_rates)]
pub struct FxRateRow {
    pub base: String,
    pub quote: String,
    pub rate_date: NaiveDate,
    pub rate_e6: i64,
    pub source: Option<String>,
    pub updated_at: NaiveDateTime,
}
