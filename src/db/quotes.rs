//! Index quotes as the pricing engine needs them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::scaled::{from_scaled, PRICE_SCALE};
use crate::db::schema::price_quotes;
use crate::db::DbConnection;
use crate::domain::pricing::monthly_averages;
use crate::domain::Period;
use crate::error::ApiError;

/// The index's monthly averages (4 dp).
pub fn averages(
    conn: &mut DbConnection,
    index_id: &str,
) -> Result<BTreeMap<Period, Decimal>, ApiError> {
    let rows: Vec<(NaiveDate, i64)> = price_quotes::table
        .filter(price_quotes::index_id.eq(index_id))
        .select((price_quotes::quote_date, price_quotes::price_e4))
        .load(conn)?;
    let quotes: Vec<(NaiveDate, Decimal)> = rows
        .into_iter()
        .map(|(d, p)| (d, from_scaled(p, PRICE_SCALE)))
        .collect();
    Ok(monthly_averages(&quotes))
}

/// Averages per index, loaded once for many prices.
#[derive(Default)]
pub struct AverageCache(BTreeMap<String, BTreeMap<Period, Decimal>>);

impl AverageCache {
    pub fn get(
        &mut self,
        conn: &mut DbConnection,
        index_id: &str,
    ) -> Result<&BTreeMap<Period, Decimal>, ApiError> {
        if !self.0.contains_key(index_id) {
            let a = averages(conn, index_id)?;
            self.0.insert(index_id.to_string(), a);
        }
        self.0
            .get(index_id)
            .ok_or_else(|| ApiError::unexpected("average cache miss"))
    }
}
