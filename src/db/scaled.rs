//! Exact decimals stored as scaled 64-bit integers, so SQL sums and ordering are exact on
//! SQLite and PostgreSQL alike.

use rust_decimal::Decimal;

/// Kilograms (≤ 3 dp) ⇄ grams.
pub const KG_SCALE: u32 = 3;
/// Prices (≤ 4 dp) ⇄ 1/10000 currency units.
pub const PRICE_SCALE: u32 = 4;
/// Percentages (≤ 3 dp) ⇄ 1/1000 percent.
pub const PCT_SCALE: u32 = 3;

/// The integer `value × 10^scale`; `None` when it has more decimals than `scale` or overflows.
pub fn to_scaled(value: Decimal, scale: u32) -> Option<i64> {
    let mut v = value.normalize();
    if v.scale() > scale {
        return None;
    }
    v.rescale(scale);
    i64::try_from(v.mantissa()).ok()
}

/// The decimal `units / 10^scale`, keeping `scale` decimals.
pub fn from_scaled(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

/// Kilograms as stored grams; `None` when out of range.
pub fn grams(kg: crate::domain::Kg) -> Option<i64> {
    to_scaled(kg.value(), KG_SCALE)
}

/// Stored grams as kilograms (3 dp).
pub fn kg(grams: i64) -> crate::domain::Kg {
    crate::domain::Kg::new(from_scaled(grams, KG_SCALE)).unwrap_or_else(crate::domain::Kg::zero)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn round_trips_exactly() {
        let d = Decimal::from_str("12000.5").unwrap_or_default();
        assert_eq!(to_scaled(d, KG_SCALE), Some(12_000_500));
        assert_eq!(from_scaled(12_000_500, KG_SCALE).to_string(), "12000.500");
    }

    #[test]
    fn refuses_excess_precision() {
        let d = Decimal::from_str("1.2345").unwrap_or_default();
        assert_eq!(to_scaled(d, KG_SCALE), None);
        assert_eq!(to_scaled(d, PRICE_SCALE), Some(12_345));
    }
}
