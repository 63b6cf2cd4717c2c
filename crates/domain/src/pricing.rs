//! The pricing engine (docs/business-rules.md, "Pricing"): monthly index averages and the unit price of a
//! delivery month under fixed or index-linked terms. Pure functions over exact decimals.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use utoipa::ToSchema;

use super::period::Period;
use super::pricing_terms::{IndexPricing, PricingTerms};

/// How settled a price is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ToSchema)]
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
}

/// Rounds half away from zero.
pub fn round(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// The mean of each month's quotes, kept at 4 dp. A month whose quotes add up beyond the
/// decimal range (only possible past the service's price bound) has no average.
pub fn monthly_averages(quotes: &[(NaiveDate, Decimal)]) -> BTreeMap<Period, Decimal> {
    let mut sums: BTreeMap<Period, Option<(Decimal, u32)>> = BTreeMap::new();
    for (date, price) in quotes {
        let e = sums
            .entry(Period::of_date(*date))
            .or_insert(Some((Decimal::ZERO, 0)));
        *e = e.and_then(|(sum, n)| Some((sum.checked_add(*price)?, n.checked_add(1)?)));
    }
    sums.into_iter()
        .filter_map(|(p, acc)| {
            let (sum, n) = acc?;
            Some((p, round(sum.checked_div(Decimal::from(n))?, 4)))
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

/// Prices delivery month `delivery` under `terms`, given the index's monthly averages and
/// the current month (a quotation month is over once the current month is later).
pub fn price(
    terms: &PricingTerms,
    delivery: Period,
    averages: &BTreeMap<Period, Decimal>,
    current: Period,
) -> PriceOutcome {
    match terms {
        PricingTerms::Fixed(f) => PriceOutcome {
            unit_price: Some(round(f.unit_price.value(), 2)),
            status: PriceStatus::Fixed,
            basis_period: None,
            index_average: None,
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
            let basis = averages
                .range(..=qp)
                .next_back()
                .or_else(|| averages.iter().next_back());
            let Some((basis, average)) = basis else {
                return PriceOutcome {
                    unit_price: None,
                    status: PriceStatus::Unpriced,
                    basis_period: None,
                    index_average: None,
                };
            };
            let status = if *basis == qp && qp < current {
                PriceStatus::Final
            } else {
                PriceStatus::Provisional
            };
            let unit_price = formula_price(
                *average,
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
            }
        }
    }
}

#[cfg(test)]
#[path = "pricing_tests.rs"]
mod tests;
