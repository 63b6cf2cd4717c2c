//! A resolved price as clients see it, and the value of a quantity at that price.

use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::price_index::IndexUnit;
use crate::domain::pricing::{round, IndexSeries, PriceOutcome, PriceStatus};
use crate::domain::{Period, PriceAmount};

/// A resolved unit price.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PriceView {
    /// Per kg, 2 dp; null when unpriced.
    #[schema(example = "60.85")]
    pub unit_price: Option<PriceAmount>,
    pub status: PriceStatus,
    /// The month whose index average was used.
    #[schema(example = "2026-10")]
    pub basis_period: Option<Period>,
    /// That month's index average, 4 dp.
    #[schema(value_type = Option<String>, example = "62.3450")]
    pub index_average: Option<String>,
    /// How the index average became a price per kg in the terms' currency; null for fixed or
    /// unpriced terms.
    pub conversion: Option<ConversionView>,
}

/// The steps from an index average to the price per kg in the terms' currency:
/// converted = round4(average ÷ (1 + VAT) ÷ kg per unit ÷ FX). Then the formula applies.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConversionView {
    /// The currency of the index's quotes.
    #[schema(example = "CNY")]
    pub index_currency: String,
    /// What one quote is for.
    pub unit: IndexUnit,
    /// The VAT the quotes include, percent.
    #[schema(example = "13.000")]
    pub vat_pct: String,
    /// average ÷ (1 + VAT), 4 dp.
    #[schema(example = "756637.1681")]
    pub net_of_vat: String,
    /// Net of VAT per kg, 4 dp.
    #[schema(example = "756.6372")]
    pub per_kg: String,
    /// terms currency/index currency, when they differ.
    #[schema(example = "USD/CNY")]
    pub fx_pair: Option<String>,
    /// The basis month's mean fixing of that pair, 6 dp.
    #[schema(example = "7.110000")]
    pub fx_rate: Option<String>,
    /// Per kg in the terms' currency, 4 dp: what the multiplier and premium apply to.
    #[schema(example = "106.4187")]
    pub converted: String,
}

/// The value rounded half away from zero to exactly `dp` decimals, as text: how every computed
/// figure (a price, a rate, an amount) is written.
pub fn fixed(value: Decimal, dp: u32) -> String {
    let mut v = round(value, dp);
    v.rescale(dp);
    v.to_string()
}

impl PriceView {
    /// The outcome as clients see it; `series` names the index's currency and pair.
    pub fn new(o: &PriceOutcome, series: Option<&IndexSeries>) -> PriceView {
        PriceView {
            unit_price: o.unit_price.map(PriceAmount::new),
            status: o.status,
            basis_period: o.basis_period,
            index_average: o.index_average.map(|a| fixed(a, 4)),
            conversion: o.conversion.as_ref().map(|c| ConversionView {
                index_currency: series.map(|s| s.index_currency.clone()).unwrap_or_default(),
                unit: series.map(|s| s.unit).unwrap_or_default(),
                vat_pct: fixed(series.map(|s| s.vat_pct).unwrap_or_default(), 3),
                net_of_vat: fixed(c.net_of_vat, 4),
                per_kg: fixed(c.per_kg, 4),
                fx_pair: series.and_then(|s| s.fx_pair.clone()),
                fx_rate: c.fx_rate.map(|f| fixed(f, 6)),
                converted: fixed(c.converted, 4),
            }),
        }
    }
}

/// unit price × quantity, 2 dp, as a string; `None` when unpriced or out of range.
pub fn value(unit_price: Option<Decimal>, quantity_kg: Decimal) -> Option<String> {
    Some(fixed(unit_price?.checked_mul(quantity_kg)?, 2))
}
