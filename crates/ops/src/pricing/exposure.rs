use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::{exposure, products, DbConnection};
use crate::domain::exposure::{average_price, ExposureCell};
use crate::domain::pricing::{price, IndexSeries, PriceStatus};
use crate::domain::{CustomerId, ProductId};
use crate::domain::{KgAmount, Period, PriceAmount};
use crate::error::OpError;
use crate::report::Csv;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExposureQuery {
    #[param(value_type = String, example = "2027-01")]
    pub from: Period,
    #[param(value_type = String, example = "2027-12")]
    pub to: Period,
    /// Only this customer's contracts and orders.
    #[param(value_type = Option<uuid::Uuid>)]
    pub customer_id: Option<CustomerId>,
}

/// Priced volume and value in one currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrencyExposure {
    #[schema(example = "USD")]
    pub currency: String,
    #[schema(example = "36000.000")]
    pub priced_kg: KgAmount,
    #[schema(example = "2250000.00")]
    pub value: String,
    /// Volume-weighted average unit price.
    #[schema(example = "62.50")]
    pub average_price: Option<PriceAmount>,
    /// The books' currency (`NDPR_BOOK_CURRENCY`).
    #[schema(example = "CNY")]
    pub book_currency: String,
    /// Book currency per unit of this one: today's fixing (or the latest before); null
    /// without any.
    #[schema(example = "7.120000")]
    pub book_rate: Option<String>,
    /// The value in the book currency at that rate, 2 dp.
    #[schema(example = "16020000.00")]
    pub book_value: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExposureRow {
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    #[schema(example = "NDPR-OXIDE")]
    pub product_code: String,
    #[schema(example = "2027-03")]
    pub period: Period,
    pub fixed_kg: KgAmount,
    pub final_kg: KgAmount,
    pub provisional_kg: KgAmount,
    pub unpriced_kg: KgAmount,
    pub by_currency: Vec<CurrencyExposure>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PricingExposure {
    pub from: Period,
    pub to: Period,
    pub rows: Vec<ExposureRow>,
}

/// For each product and month of `from`–`to`, the committed kilograms (active and suspended
/// contracts, confirmed orders) by pricing status, with the priced value and volume-weighted
/// average price per currency.
pub fn exposure(conn: &mut DbConnection, q: &ExposureQuery) -> Result<PricingExposure, OpError> {
    let (from, to) = (q.from, q.to);
    crate::reconciliation::check_range(Some(from), Some(to))?;
    let current = crate::domain::clock::current_period();
    let mut cache = crate::fx::SeriesCache::default();
    let empty = IndexSeries::default();
    let mut cells: BTreeMap<(String, Period), ExposureCell> = BTreeMap::new();
    for c in exposure::commitments(conn, from, to, q.customer_id)? {
        let outcome = match c.pricing.index_id() {
            Some(id) => {
                let series = cache.get(conn, id, &c.currency)?;
                price(&c.pricing, c.period, series, current)
            }
            None => price(&c.pricing, c.period, &empty, current),
        };
        cells.entry((c.product_id, c.period)).or_default().add(
            outcome.status,
            c.grams,
            &c.currency,
            outcome.unit_price,
        );
    }
    let codes = products::codes(conn)?;
    // Each currency's rate to the books, read once: today's fixing or the latest before.
    let book = crate::settlements::book_currency();
    let today = crate::domain::clock::today();
    let mut rates: BTreeMap<String, Option<Decimal>> = BTreeMap::new();
    for ((_, _), cell) in &cells {
        for currency in cell.by_currency.keys() {
            if !rates.contains_key(currency) {
                let r = crate::settlements::book_rate(conn, currency, &book, today)?.map(|r| r.1);
                rates.insert(currency.clone(), r);
            }
        }
    }
    let rows = cells
        .into_iter()
        .map(|((product_id, period), cell)| {
            let status = |s| KgAmount::from_grams(cell.kg(s));
            Ok(ExposureRow {
                product_code: codes.get(&product_id).cloned().unwrap_or_default(),
                product_id: crate::db::parse::id(&product_id, "commitment product_id")?,
                period,
                fixed_kg: status(PriceStatus::Fixed),
                final_kg: status(PriceStatus::Final),
                provisional_kg: status(PriceStatus::Provisional),
                unpriced_kg: status(PriceStatus::Unpriced),
                by_currency: cell
                    .by_currency
                    .into_iter()
                    .map(|(currency, (grams, value))| {
                        let rate = rates.get(&currency).copied().flatten();
                        CurrencyExposure {
                            priced_kg: KgAmount::from_grams(grams),
                            value: super::value(value, Decimal::ONE).unwrap_or_default(),
                            average_price: average_price(grams, value).map(PriceAmount::new),
                            book_currency: book.clone(),
                            book_rate: rate.map(|r| super::fixed(r, 6)),
                            book_value: rate.and_then(|r| super::value(value, r)),
                            currency,
                        }
                    })
                    .collect(),
            })
        })
        .collect::<Result<Vec<_>, OpError>>()?;
    Ok(PricingExposure { from, to, rows })
}

impl PricingExposure {
    pub fn csv(&self) -> Csv {
        let mut lines = Vec::new();
        for r in &self.rows {
            let base = vec![
                r.product_code.clone(),
                r.period.to_string(),
                r.fixed_kg.display().to_string(),
                r.final_kg.display().to_string(),
                r.provisional_kg.display().to_string(),
                r.unpriced_kg.display().to_string(),
            ];
            if r.by_currency.is_empty() {
                lines.push([base.clone(), vec![String::new(); 7]].concat());
            }
            for c in &r.by_currency {
                lines.push(
                    [
                        base.clone(),
                        vec![
                            c.currency.clone(),
                            c.priced_kg.display().to_string(),
                            c.value.clone(),
                            c.average_price
                                .map(|p| p.display().to_string())
                                .unwrap_or_default(),
                            c.book_currency.clone(),
                            c.book_rate.clone().unwrap_or_default(),
                            c.book_value.clone().unwrap_or_default(),
                        ],
                    ]
                    .concat(),
                );
            }
        }
        Csv::new(
            "pricing-exposure.csv",
            &[
                "product_code",
                "period",
                "fixed_kg",
                "final_kg",
                "provisional_kg",
                "unpriced_kg",
                "currency",
                "priced_kg",
                "value",
                "average_price",
                "book_currency",
                "book_rate",
                "book_value",
            ],
            lines,
        )
    }
}
