//! How the desk shows numbers and months: kilograms grouped with three decimals, months as
//! `2027-03 (Mar 2027)`, and a heat-map cell's status in words. Pure, and never through a float.

use rust_decimal::Decimal;

use crate::domain::Period;

/// `1234567.5` → `1,234,567.500`.
pub fn kg(value: Decimal) -> String {
    let text = format!("{:.3}", value.round_dp(3));
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "000"));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{fraction}")
}

/// A status as words: `partially_shipped` → `partially shipped`.
pub fn status(s: &str) -> String {
    s.replace('_', " ")
}

/// A quantity as the desk shows it: `1,234.500`.
pub fn kg_of(quantity: crate::domain::Kg) -> String {
    kg(quantity.value())
}

/// A value as its JSON text (quantities, prices and factors are exact decimal strings there):
/// the same text a CSV cell carries.
pub use crate::ops::report::text;

/// One line saying what pricing terms are: `USD 62.50/kg fixed`, or the index formula.
pub fn pricing_summary(
    terms: &crate::domain::pricing_terms::PricingTerms,
    currency: &str,
) -> String {
    use crate::domain::pricing_terms::PricingTerms;
    match terms {
        PricingTerms::Fixed(f) => format!("{currency} {}/kg fixed", text(&f.unit_price)),
        PricingTerms::Index(i) => {
            let premium = i.premium.value();
            let mut s = format!(
                "index × {} {} {} {currency}/kg, quotation month {:+}",
                text(&i.multiplier),
                if premium.is_sign_negative() {
                    "−"
                } else {
                    "+"
                },
                crate::domain::Price::new(premium.abs())
                    .map(|p| text(&p))
                    .unwrap_or_default(),
                i.qp_offset_months
            );
            if let Some(f) = &i.floor {
                s.push_str(&format!(", floor {}", text(f)));
            }
            if let Some(c) = &i.ceiling {
                s.push_str(&format!(", ceiling {}", text(c)));
            }
            s
        }
    }
}

/// `USD 61,250.00`: the currency and two decimals, grouped; never summed across currencies.
pub fn money(currency: &str, value: Decimal) -> String {
    let grouped = kg(value.round_dp(2));
    // `kg` shows three decimals; money shows two.
    let two = grouped
        .strip_suffix(|c: char| c.is_ascii_digit())
        .unwrap_or(&grouped);
    format!("{currency} {two}")
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `2027-03 (Mar 2027)`.
pub fn month(p: Period) -> String {
    format!("{p} ({})", short_month(p))
}

/// A month in few characters, for a column heading: `Mar 2027`.
pub fn short_month(p: Period) -> String {
    let name = MONTHS
        .get(usize::try_from(p.month()).unwrap_or(1).saturating_sub(1))
        .copied()
        .unwrap_or("?");
    format!("{name} {}", p.year())
}

/// How a month stands for a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellStatus {
    /// Nothing is available to promise, or demand exceeds supply.
    Short,
    /// Less than [`LOW_SHARE_PCT`] % of the month's supply is still available.
    Low,
    Ok,
}

/// Below this share of supply still available, a month is `Low`.
pub const LOW_SHARE_PCT: i64 = 10;

impl CellStatus {
    pub fn of(atp: Decimal, shortfall: Decimal, supply: Decimal) -> CellStatus {
        if shortfall > Decimal::ZERO || atp <= Decimal::ZERO {
            CellStatus::Short
        } else if atp * Decimal::from(100) < supply * Decimal::from(LOW_SHARE_PCT) {
            CellStatus::Low
        } else {
            CellStatus::Ok
        }
    }

    /// The word shown in the cell, so status never depends on colour alone.
    pub fn word(self) -> &'static str {
        match self {
            CellStatus::Short => "Short",
            CellStatus::Low => "Low",
            CellStatus::Ok => "OK",
        }
    }

    /// The CSS class suffix of the cell.
    pub fn class(self) -> &'static str {
        match self {
            CellStatus::Short => "short",
            CellStatus::Low => "low",
            CellStatus::Ok => "ok",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    #[test]
    fn kilograms_are_grouped_with_three_decimals() {
        assert_eq!(kg(d("0")), "0.000");
        assert_eq!(kg(d("999.5")), "999.500");
        assert_eq!(kg(d("1000")), "1,000.000");
        assert_eq!(kg(d("1234567.891")), "1,234,567.891");
        assert_eq!(kg(d("-12000")), "-12,000.000");
        assert_eq!(kg(d("100000000")), "100,000,000.000");
    }

    #[test]
    fn money_shows_currency_and_two_decimals() {
        assert_eq!(money("USD", d("61250")), "USD 61,250.00");
        assert_eq!(money("JPY", d("0.125")), "JPY 0.12");
        assert_eq!(money("EUR", d("1234567.891")), "EUR 1,234,567.89");
    }

    #[test]
    fn months_name_themselves() {
        let p = Period::new(2027, 3).unwrap_or_else(|| unreachable!());
        assert_eq!(month(p), "2027-03 (Mar 2027)");
        assert_eq!(short_month(p), "Mar 2027");
    }

    #[test]
    fn cell_status() {
        assert_eq!(CellStatus::of(d("0"), d("5"), d("100")), CellStatus::Short);
        assert_eq!(
            CellStatus::of(d("9.999"), d("0"), d("100")),
            CellStatus::Low
        );
        assert_eq!(CellStatus::of(d("10"), d("0"), d("100")), CellStatus::Ok);
        // Nothing available is short, with or without supply (issue 20: "0 kg" read "Low").
        assert_eq!(CellStatus::of(d("0"), d("0"), d("100")), CellStatus::Short);
        assert_eq!(CellStatus::of(d("0"), d("0"), d("0")), CellStatus::Short);
        assert_eq!(
            CellStatus::of(d("0.001"), d("0"), d("100")),
            CellStatus::Low
        );
        assert_eq!(CellStatus::Short.word(), "Short");
    }

    proptest! {
        #[test]
        fn grouping_keeps_the_digits(units in -100_000_000_000i64..100_000_000_000) {
            let value = Decimal::new(units, 3);
            let shown = kg(value);
            prop_assert_eq!(Decimal::from_str(&shown.replace(',', "")).ok(), Some(value));
        }
    }
}
