//! Pricing exposure of one product and month: committed kilograms by price status, and value
//! and volume per currency. Pure, with every sum checked.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::pricing::{round, PriceStatus};
use super::quantity::KG_SCALE;
use super::reconciliation::Grams;

/// What one product and month is priced at.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ExposureCell {
    pub by_status: BTreeMap<PriceStatus, Grams>,
    /// currency → (priced grams, value), or `None` once the value left the decimal range.
    pub by_currency: BTreeMap<String, (Grams, Option<Decimal>)>,
}

impl ExposureCell {
    /// Adds a commitment of `grams` priced at `unit_price` (per kg) in `currency`.
    pub fn add(
        &mut self,
        status: PriceStatus,
        grams: Grams,
        currency: &str,
        unit_price: Option<Decimal>,
    ) {
        let kg = self.by_status.entry(status).or_insert(0);
        *kg = kg.saturating_add(grams);
        if let Some(p) = unit_price {
            let e = self
                .by_currency
                .entry(currency.to_string())
                .or_insert((0, Some(Decimal::ZERO)));
            e.0 = e.0.saturating_add(grams);
            e.1 =
                e.1.and_then(|v| v.checked_add(p.checked_mul(Decimal::new(grams, KG_SCALE))?));
        }
    }

    pub fn kg(&self, status: PriceStatus) -> Grams {
        self.by_status.get(&status).copied().unwrap_or(0)
    }
}

/// Value, 2 dp: `None` when out of range.
pub fn value_2dp(value: Option<Decimal>) -> Option<Decimal> {
    value.map(|v| round(v, 2))
}

/// The volume-weighted average price of `value` over `grams`, 2 dp.
pub fn average_price(grams: Grams, value: Option<Decimal>) -> Option<Decimal> {
    let qty = Decimal::new(grams, KG_SCALE);
    if qty.is_zero() {
        return None;
    }
    value?.checked_div(qty).map(|a| round(a, 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sums_by_status_and_currency() {
        let mut cell = ExposureCell::default();
        cell.add(
            PriceStatus::Fixed,
            1_000_000,
            "USD",
            Some(Decimal::new(6250, 2)),
        );
        cell.add(
            PriceStatus::Final,
            500_000,
            "USD",
            Some(Decimal::new(60, 0)),
        );
        cell.add(PriceStatus::Unpriced, 300_000, "USD", None);
        assert_eq!(cell.kg(PriceStatus::Fixed), 1_000_000);
        assert_eq!(cell.kg(PriceStatus::Unpriced), 300_000);
        let (grams, value) = cell.by_currency["USD"];
        assert_eq!(grams, 1_500_000);
        assert_eq!(value, Some(Decimal::new(9250000, 2)));
        assert_eq!(average_price(grams, value), Some(Decimal::new(6167, 2)));
    }

    fn any_decimal() -> impl Strategy<Value = Decimal> {
        (
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            any::<bool>(),
            0u32..=28,
        )
            .prop_map(|(lo, mid, hi, neg, scale)| Decimal::from_parts(lo, mid, hi, neg, scale))
    }

    proptest! {
        /// No commitment, however large, makes the exposure sums panic.
        #[test]
        fn never_panics(adds in proptest::collection::vec((any::<i64>(), proptest::option::of(any_decimal())), 0..20)) {
            let mut cell = ExposureCell::default();
            for (grams, price) in adds {
                cell.add(PriceStatus::Provisional, grams, "USD", price);
            }
            for (grams, value) in cell.by_currency.values() {
                let _ = average_price(*grams, *value);
                let _ = value_2dp(*value);
            }
        }
    }
}
