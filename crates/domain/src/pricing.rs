//! The pricing engine (docs/business-rules.md, "Pricing"): monthly index averages and the unit price of a
//! delivery month under fixed or index-linked terms. Pure functions over exact decimals.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::period::Period;
use super::price_index::IndexUnit;
use super::pricing_terms::{IndexPricing, PricingTerms};

/// How settled a price is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PriceStatus {
    /// Fixed-price terms.
    Fixed,
    /// Index-linked, the quotation month is over and has quotes.
    Final,
    /// Index-linked, priced on the latest month with quotes (named as the basis) until the
    /// quotation month is over.
    Provisional,
    /// Index-linked, and the index has no quotes.
    Unpriced,
}

impl PriceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PriceStatus::Fixed => "fixed",
            PriceStatus::Final => "final",
            PriceStatus::Provisional => "provisional",
            PriceStatus::Unpriced => "unpriced",
        }
    }
}

/// The price of one delivery month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceOutcome {
    /// Per kg, 2 dp; `None` when unpriced.
    pub unit_price: Option<Decimal>,
    pub status: PriceStatus,
    /// The month whose index average was used.
    pub basis_period: Option<Period>,
    /// That month's average (4 dp).
    pub index_average: Option<Decimal>,
    /// How the average became a price per kg in the terms' currency.
    pub conversion: Option<Conversion>,
}

/// An index as index-linked terms see it: its monthly averages, what a quote is for, the VAT
/// it includes, and — when the index is quoted in another currency than the terms — the
/// monthly mean FX fixing of terms-currency/index-currency (units of the index's currency per
/// unit of the terms').
#[derive(Debug, Clone, Default)]
pub struct IndexSeries {
    pub averages: BTreeMap<Period, Decimal>,
    pub unit: IndexUnit,
    /// Percent, 0–30.
    pub vat_pct: Decimal,
    pub fx: Option<BTreeMap<Period, Decimal>>,
    /// The index's currency (for the reader; empty when not named).
    pub index_currency: String,
    /// `terms/index` (e.g. `USD/CNY`) when the currencies differ.
    pub fx_pair: Option<String>,
}

impl IndexSeries {
    /// An index quoted per kg, without VAT, in the terms' currency.
    pub fn plain(averages: BTreeMap<Period, Decimal>) -> IndexSeries {
        IndexSeries {
            averages,
            ..IndexSeries::default()
        }
    }

    /// The months that can price: they have quotes and, for another currency, FX fixings.
    fn priced_months(&self) -> impl DoubleEndedIterator<Item = (&Period, &Decimal)> + '_ {
        self.averages
            .iter()
            .filter(|(p, _)| self.fx.as_ref().is_none_or(|fx| fx.contains_key(p)))
    }
}

/// The steps from a month's average to the price per kg in the terms' currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    /// average ÷ (1 + VAT), 4 dp (shown; the next step uses it unrounded).
    pub net_of_vat: Decimal,
    /// net of VAT ÷ kg per unit, 4 dp (shown).
    pub per_kg: Decimal,
    /// The month's mean FX fixing, 6 dp; `None` in the index's own currency.
    pub fx_rate: Option<Decimal>,
    /// round4(average ÷ (1 + VAT) ÷ kg per unit ÷ FX).
    pub converted: Decimal,
}

/// converted = round4(average ÷ (1 + vat_pct/100) ÷ (1000 for a tonne, else 1) ÷ fx), each step
/// exact and only the result rounded; `None` past the decimal range or for a zero rate.
pub fn convert(
    average: Decimal,
    unit: IndexUnit,
    vat_pct: Decimal,
    fx_rate: Option<Decimal>,
) -> Option<Conversion> {
    let vat = Decimal::ONE.checked_add(vat_pct.checked_div(Decimal::ONE_HUNDRED)?)?;
    let net = average.checked_div(vat)?;
    let per_kg = net.checked_div(unit.kg())?;
    let converted = match fx_rate {
        Some(fx) if fx.is_zero() => return None,
        Some(fx) => per_kg.checked_div(fx)?,
        None => per_kg,
    };
    Some(Conversion {
        net_of_vat: round(net, 4),
        per_kg: round(per_kg, 4),
        fx_rate,
        converted: round(converted, 4),
    })
}

/// Rounds half away from zero.
pub fn round(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// The mean of each month's quotes, kept at 4 dp. A month whose quotes add up beyond the
/// decimal range (only possible past the service's price bound) has no average.
pub fn monthly_averages(quotes: &[(NaiveDate, Decimal)]) -> BTreeMap<Period, Decimal> {
    monthly_means(quotes.iter().copied(), 4)
}

/// The mean of each month's dated values, rounded half away from zero to `dp` places; a month
/// whose values add up beyond the decimal range has none.
pub fn monthly_means(
    values: impl IntoIterator<Item = (NaiveDate, Decimal)>,
    dp: u32,
) -> BTreeMap<Period, Decimal> {
    let mut sums: BTreeMap<Period, Option<(Decimal, u32)>> = BTreeMap::new();
    for (date, value) in values {
        let e = sums
            .entry(Period::of_date(date))
            .or_insert(Some((Decimal::ZERO, 0)));
        *e = e.and_then(|(sum, n)| Some((sum.checked_add(value)?, n.checked_add(1)?)));
    }
    sums.into_iter()
        .filter_map(|(p, acc)| {
            let (sum, n) = acc?;
            Some((p, round(sum.checked_div(Decimal::from(n))?, dp)))
        })
        .collect()
}

/// clamp(round(average × multiplier + premium, 2), floor, ceiling); `None` when the formula
/// leaves the decimal range (only possible past the service's bounds).
pub fn formula_price(
    average: Decimal,
    multiplier: Decimal,
    premium: Decimal,
    floor: Option<Decimal>,
    ceiling: Option<Decimal>,
) -> Option<Decimal> {
    let mut p = round(average.checked_mul(multiplier)?.checked_add(premium)?, 2);
    if let Some(f) = floor {
        p = p.max(f);
    }
    if let Some(c) = ceiling {
        p = p.min(c);
    }
    Some(p)
}

/// Prices delivery month `delivery` under `terms`, given the index (`series`) and the current
/// month (a quotation month is over once the current month is later). A month prices when it
/// has quotes and, for an index in another currency, FX fixings; the price is final when the
/// quotation month itself prices and is over.
pub fn price(
    terms: &PricingTerms,
    delivery: Period,
    series: &IndexSeries,
    current: Period,
) -> PriceOutcome {
    match terms {
        PricingTerms::Fixed(f) => PriceOutcome {
            unit_price: Some(round(f.unit_price.value(), 2)),
            status: PriceStatus::Fixed,
            basis_period: None,
            index_average: None,
            conversion: None,
        },
        PricingTerms::Index(IndexPricing {
            qp_offset_months,
            multiplier,
            premium,
            floor,
            ceiling,
            ..
        }) => {
            let qp = delivery.plus(*qp_offset_months);
            let unpriced = PriceOutcome {
                unit_price: None,
                status: PriceStatus::Unpriced,
                basis_period: None,
                index_average: None,
                conversion: None,
            };
            let basis = series
                .priced_months()
                .rev()
                .find(|(p, _)| **p <= qp)
                .or_else(|| series.priced_months().next_back());
            let Some((basis, average)) = basis else {
                return unpriced;
            };
            let fx = series.fx.as_ref().and_then(|fx| fx.get(basis).copied());
            let Some(conversion) = convert(*average, series.unit, series.vat_pct, fx) else {
                return PriceOutcome {
                    basis_period: Some(*basis),
                    index_average: Some(*average),
                    ..unpriced
                };
            };
            let status = if *basis == qp && qp < current {
                PriceStatus::Final
            } else {
                PriceStatus::Provisional
            };
            let unit_price = formula_price(
                conversion.converted,
                multiplier.value(),
                premium.value(),
                floor.map(|f| f.value()),
                ceiling.map(|c| c.value()),
            );
            PriceOutcome {
                status: if unit_price.is_some() {
                    status
                } else {
                    PriceStatus::Unpriced
                },
                unit_price,
                basis_period: Some(*basis),
                index_average: Some(*average),
                conversion: Some(conversion),
            }
        }
    }
}

#[cfg(test)]
#[path = "pricing_tests.rs"]
mod tests;
