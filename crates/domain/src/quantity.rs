//! Exact decimal amounts, parsed once at the edge from JSON strings.
//!
//! Inputs are bounded where they are parsed: a quantity is at most 100,000,000 kg, a price,
//! premium, floor or ceiling at most 1,000,000 per kg either way, an index quote at most
//! 1,000,000,000 per unit of the index (kg or tonne), an FX rate at most 1,000,000 with 6
//! decimals, a multiplier at most 100, a percentage 0–100. The written form is strict — an optional minus where allowed, digits, and
//! at most as many decimals as the type keeps — and the OpenAPI pattern of each type says
//! exactly the same, so clients and server agree on what is valid.
//!
//! Figures the service computes (sums, balances, formula prices) are `KgAmount` and
//! `PriceAmount`: exact and unbounded, possibly negative, never parsed from a client.

use std::fmt;

use rust_decimal::Decimal;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// How a decimal type is written and how far it reaches.
struct Spec {
    what: &'static str,
    /// Most decimal places.
    dp: u32,
    /// The largest absolute value, a power of ten.
    max: i64,
    negative: bool,
}

impl Spec {
    /// Digits of the largest value (`100000000` → 9); anything with fewer digits is below it.
    fn max_digits(&self) -> usize {
        self.max.to_string().len()
    }

    /// The JSON Schema pattern accepting exactly what `parse` accepts.
    fn pattern(&self) -> String {
        format!(
            "^{sign}({max}(\\.0{{1,{dp}}})?|[0-9]{{1,{digits}}}(\\.[0-9]{{1,{dp}}})?)$",
            sign = if self.negative { "-?" } else { "" },
            max = self.max,
            dp = self.dp,
            digits = self.max_digits() - 1,
        )
    }

    fn describe(&self) -> String {
        let range = if self.negative {
            format!("between -{} and {}", self.max, self.max)
        } else {
            format!("between 0 and {}", self.max)
        };
        format!(
            "An exact decimal {} as a string, {range}, at most {} decimal places; JSON numbers \
             are refused.",
            self.what, self.dp
        )
    }

    /// Parses a JSON string holding the decimal; JSON numbers are refused so that no value
    /// ever passes through a float.
    fn parse(&self, s: &str) -> Result<Decimal, String> {
        let shape = || {
            format!(
                "must be a decimal string such as \"62.50\" with at most {} decimal places, got {s:?}",
                self.dp
            )
        };
        let unsigned = match s.strip_prefix('-') {
            Some(rest) if self.negative => rest,
            Some(_) => return Err("must not be negative".into()),
            None => s,
        };
        let (int, frac) = match unsigned.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (unsigned, None),
        };
        if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
            return Err(shape());
        }
        if let Some(f) = frac {
            if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
                return Err(shape());
            }
            if f.len() > self.dp as usize {
                return Err(format!("must have at most {} decimal places", self.dp));
            }
        }
        let too_large = || format!("must be at most {} in absolute value", self.max);
        // With as many digits as the largest value, only the largest value itself is in range
        // (the pattern says the same, so leading zeros cannot smuggle in a longer number).
        let zero_fraction = frac.is_none_or(|f| f.bytes().all(|b| b == b'0'));
        if int.len() >= self.max_digits() && !(int == self.max.to_string() && zero_fraction) {
            return Err(too_large());
        }
        let d: Decimal = s.parse().map_err(|_| shape())?;
        if d.abs() > Decimal::from(self.max) {
            return Err(too_large());
        }
        Ok(d)
    }
}

struct DecimalString(&'static Spec);

impl<'de> de::Visitor<'de> for DecimalString {
    type Value = Decimal;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "a decimal string with at most {} decimal places",
            self.0.dp
        )
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        self.0.parse(v).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Decimal, E> {
        Err(self.number())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Decimal, E> {
        Err(self.number())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Decimal, E> {
        Err(self.number())
    }
}

impl DecimalString {
    fn number<E: de::Error>(&self) -> E {
        E::custom(format!(
            "{} must be a string such as \"62.50\", not a JSON number",
            self.0.what
        ))
    }
}

/// The value with at least `min_dp` decimals ("62.50").
fn with_min_dp(value: Decimal, min_dp: u32) -> Decimal {
    let mut d = value.normalize();
    if d.scale() < min_dp {
        d.rescale(min_dp);
    }
    d
}

macro_rules! decimal_newtype {
    ($name:ident, $spec:ident, $min_display_dp:expr, $example:expr) => {
        #[doc = "An exact, bounded decimal; see the module documentation."]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Decimal);

        impl $name {
            /// The value, if it is within the type's decimals and range.
            pub fn new(value: Decimal) -> Option<$name> {
                (value.normalize().scale() <= $spec.dp
                    && value.abs() <= Decimal::from($spec.max)
                    && ($spec.negative || !value.is_sign_negative()))
                .then_some($name(value))
            }

            pub fn value(self) -> Decimal {
                self.0
            }

            /// The value with at least the conventional number of decimals ("62.50").
            pub fn display(self) -> Decimal {
                with_min_dp(self.0, $min_display_dp)
            }

            /// The largest absolute value the type takes.
            pub fn max() -> Decimal {
                Decimal::from($spec.max)
            }

            /// Any value at all, past the bounds: for tests that prove nothing panics.
            #[cfg(test)]
            #[allow(dead_code)]
            pub(crate) fn unchecked(value: Decimal) -> $name {
                $name(value)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(DecimalString(&$spec)).map($name)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.display().to_string())
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some($spec.describe()))
                    .pattern(Some($spec.pattern()))
                    .examples([serde_json::json!($example)])
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

static PRICE: Spec = Spec {
    what: "price per kg",
    dp: 4,
    max: 1_000_000,
    negative: true,
};
static FACTOR: Spec = Spec {
    what: "factor",
    dp: 6,
    max: 100,
    negative: false,
};
static PERCENT: Spec = Spec {
    what: "percentage",
    dp: 3,
    max: 100,
    negative: false,
};
static KG: Spec = Spec {
    what: "quantity in kilograms",
    dp: 3,
    max: 100_000_000,
    negative: false,
};
static INDEX_PRICE: Spec = Spec {
    what: "index quote (per kg or per tonne, as the index is quoted)",
    dp: 4,
    max: 1_000_000_000,
    negative: false,
};
static FX_RATE: Spec = Spec {
    what: "FX rate (units of the quote currency per unit of the base currency)",
    dp: 6,
    max: 1_000_000,
    negative: false,
};
static ASSAY: Spec = Spec {
    what: "assay value",
    dp: 6,
    max: 1_000_000,
    negative: false,
};

decimal_newtype!(Price, PRICE, 2, "62.50");
decimal_newtype!(Factor, FACTOR, 1, "1.0");
decimal_newtype!(Percent, PERCENT, 1, "5.0");
decimal_newtype!(Kg, KG, 3, "12000.000");
decimal_newtype!(AssayValue, ASSAY, 1, "99.5");
decimal_newtype!(IndexPrice, INDEX_PRICE, 2, "855000.00");
decimal_newtype!(FxRate, FX_RATE, 6, "7.105000");

/// An exact figure the service computes, never parsed from a client: possibly negative and
/// unbounded.
macro_rules! amount_newtype {
    ($name:ident, $min_dp:expr, $description:expr, $pattern:expr, $example:expr) => {
        #[doc = $description]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Decimal);

        impl $name {
            pub fn new(value: Decimal) -> $name {
                $name(value)
            }

            pub fn value(self) -> Decimal {
                self.0
            }

            pub fn display(self) -> Decimal {
                with_min_dp(self.0, $min_dp)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.display().to_string())
            }
        }

        /// Reads back what the service wrote (a stored answer); clients never send amounts.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                Decimal::from_str_exact(&text)
                    .map($name)
                    .map_err(serde::de::Error::custom)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some($description))
                    .pattern(Some($pattern))
                    .examples([serde_json::json!($example)])
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

amount_newtype!(
    KgAmount,
    3,
    "An exact quantity in kilograms computed by the service (a sum, a balance, a projection), \
     as a string with 3 decimal places; negative where a balance is short.",
    r"^-?[0-9]+\.[0-9]{3}$",
    "144000.000"
);
amount_newtype!(
    PriceAmount,
    2,
    "An exact price per kg computed by the service (a formula price, an index average, a \
     weighted average), as a string with 2 to 4 decimal places.",
    r"^-?[0-9]+\.[0-9]{2,4}$",
    "60.85"
);

/// Kilograms (≤ 3 dp) ⇄ grams.
pub const KG_SCALE: u32 = 3;
/// Prices (≤ 4 dp) ⇄ 1/10000 currency units.
pub const PRICE_SCALE: u32 = 4;
/// Percentages (≤ 3 dp) ⇄ 1/1000 percent.
pub const PCT_SCALE: u32 = 3;

/// The integer `value × 10^scale`; `None` when it has more decimals than `scale` or does not
/// fit in 64 bits.
pub fn to_scaled(value: Decimal, scale: u32) -> Option<i64> {
    let mut v = value.normalize();
    if v.scale() > scale {
        return None;
    }
    v.rescale(scale);
    i64::try_from(v.mantissa()).ok()
}

impl Price {
    pub fn zero() -> Price {
        Price(Decimal::ZERO)
    }

    /// The sum, `None` when it leaves the price range.
    pub fn checked_add(self, other: Price) -> Option<Price> {
        self.0.checked_add(other.0).and_then(Price::new)
    }

    /// The price in 1/10000 currency units, as stored.
    pub fn units(self) -> Option<i64> {
        to_scaled(self.0, PRICE_SCALE)
    }

    /// A stored price (stored prices were bounded when they came in).
    pub fn from_units(units: i64) -> Price {
        Price(Decimal::new(units, PRICE_SCALE))
    }
}

impl IndexPrice {
    /// The quote in 1/10000 currency units, as stored.
    pub fn units(self) -> Option<i64> {
        to_scaled(self.0, PRICE_SCALE)
    }

    /// A stored quote (stored quotes were bounded when they came in).
    pub fn from_units(units: i64) -> IndexPrice {
        IndexPrice(Decimal::new(units, PRICE_SCALE))
    }
}

/// FX rates (≤ 6 dp) ⇄ millionths.
pub const FX_SCALE: u32 = 6;

impl FxRate {
    /// The rate in millionths, as stored.
    pub fn micros(self) -> Option<i64> {
        to_scaled(self.0, FX_SCALE)
    }

    /// A stored rate (stored rates were bounded when they came in).
    pub fn from_micros(micros: i64) -> FxRate {
        FxRate(Decimal::new(micros, FX_SCALE))
    }
}

impl Kg {
    pub fn zero() -> Kg {
        Kg(Decimal::ZERO)
    }

    /// The quantity in grams, as stored.
    pub fn grams(self) -> Option<i64> {
        to_scaled(self.0, KG_SCALE)
    }

    /// A stored quantity (stored quantities were bounded when they came in).
    pub fn from_grams(grams: i64) -> Kg {
        Kg(Decimal::new(grams, KG_SCALE))
    }
}

impl KgAmount {
    pub fn from_grams(grams: i64) -> KgAmount {
        KgAmount(Decimal::new(grams, KG_SCALE))
    }

    /// Kilograms of a wide sum of grams (saturating at the largest decimal).
    pub fn from_grams_wide(grams: i128) -> KgAmount {
        KgAmount(
            Decimal::try_from_i128_with_scale(grams, KG_SCALE).unwrap_or(if grams < 0 {
                Decimal::MIN
            } else {
                Decimal::MAX
            }),
        )
    }
}

impl From<Kg> for KgAmount {
    fn from(k: Kg) -> KgAmount {
        KgAmount(k.0)
    }
}

impl Percent {
    /// The percentage in 1/1000 percent, as stored.
    pub fn milli(self) -> Option<i64> {
        to_scaled(self.0, PCT_SCALE)
    }

    pub fn from_milli(milli: i64) -> Percent {
        Percent(Decimal::new(milli, PCT_SCALE))
    }

    pub fn zero() -> Percent {
        Percent(Decimal::ZERO)
    }
}

impl Factor {
    pub fn one() -> Factor {
        Factor(Decimal::ONE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn price(json: &str) -> Result<Price, serde_json::Error> {
        serde_json::from_str(json)
    }

    fn kg(json: &str) -> Result<Kg, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn accepts_decimal_strings() {
        assert_eq!(
            price("\"62.5\"").map(|p| p.to_json()).ok(),
            Some("\"62.50\"".into())
        );
        assert_eq!(
            price("\"-999999.9999\"").map(|p| p.to_json()).ok(),
            Some("\"-999999.9999\"".into())
        );
        assert!(kg("\"100000000\"").is_ok());
        assert!(kg("\"100000000.000\"").is_ok());
    }

    #[test]
    fn refuses_numbers_excess_precision_and_odd_forms() {
        for bad in [
            "62.5",
            "62",
            "\"1.23456\"",
            "\"1e3\"",
            "\" 1\"",
            "\"abc\"",
            "\"+1\"",
            "\"1.\"",
            "\".5\"",
            "\"1.230000\"",
            "\"--1\"",
        ] {
            assert!(price(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn refuses_what_is_out_of_range() {
        assert!(price("\"1000000.0001\"").is_err());
        assert!(price("\"79228162514264337593543950335\"").is_err());
        assert!(kg("\"100000000.001\"").is_err());
        assert!(kg("\"9223372036854775.807\"").is_err());
        assert!(kg("\"-1\"").is_err());
        assert!(serde_json::from_str::<Factor>("\"100.000001\"").is_err());
        assert!(serde_json::from_str::<Percent>("\"100.001\"").is_err());
        assert!(Price::new(Decimal::from(1_000_001)).is_none());
    }

    #[test]
    fn patterns_say_what_the_parser_accepts() {
        assert_eq!(
            KG.pattern(),
            r"^(100000000(\.0{1,3})?|[0-9]{1,8}(\.[0-9]{1,3})?)$"
        );
        assert_eq!(
            PRICE.pattern(),
            r"^-?(1000000(\.0{1,4})?|[0-9]{1,6}(\.[0-9]{1,4})?)$"
        );
    }

    #[test]
    fn scaled_round_trips_exactly() {
        let d: Decimal = "12000.5".parse().unwrap_or_default();
        assert_eq!(to_scaled(d, KG_SCALE), Some(12_000_500));
        assert_eq!(Kg::from_grams(12_000_500).value().to_string(), "12000.500");
        let d: Decimal = "1.2345".parse().unwrap_or_default();
        assert_eq!(to_scaled(d, KG_SCALE), None);
        assert_eq!(to_scaled(d, PRICE_SCALE), Some(12_345));
        assert_eq!(to_scaled(Decimal::MAX, KG_SCALE), None);
    }

    #[test]
    fn sums_stay_in_range_or_are_refused() {
        let max = Price::new(Decimal::from(1_000_000)).unwrap_or_else(Price::zero);
        let one = Price::new(Decimal::ONE).unwrap_or_else(Price::zero);
        assert_eq!(max.checked_add(one), None);
        assert!(one.checked_add(one).is_some());
    }

    proptest! {
        /// The parser and the schema pattern agree on every string of the pattern's alphabet.
        #[test]
        fn parser_and_pattern_agree(s in "-?[0-9]{0,10}(\\.[0-9]{0,5})?") {
            let pattern = regex_lite(&PRICE.pattern());
            prop_assert_eq!(PRICE.parse(&s).is_ok(), pattern(&s), "{}", s);
            let pattern = regex_lite(&KG.pattern());
            prop_assert_eq!(KG.parse(&s).is_ok(), pattern(&s), "{}", s);
        }
    }

    /// A matcher for the patterns above, written out by hand (no regex crate needed): optional
    /// sign, then MAX with zero decimals, or fewer digits with up to `dp` decimals.
    fn regex_lite(pattern: &str) -> impl Fn(&str) -> bool {
        let negative = pattern.starts_with("^-?");
        let body = pattern.trim_start_matches("^-?").trim_start_matches('^');
        let max: String = body
            .trim_start_matches('(')
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let dp: usize = body
            .split("{1,")
            .nth(1)
            .and_then(|r| r.split('}').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        move |s: &str| {
            let s = if negative {
                s.strip_prefix('-').unwrap_or(s)
            } else {
                s
            };
            let (int, frac) = match s.split_once('.') {
                Some((i, f)) => (i, Some(f)),
                None => (s, None),
            };
            let frac_ok = |f: Option<&str>, zeros: bool| match f {
                None => true,
                Some(f) => {
                    (1..=dp).contains(&f.len())
                        && f.bytes()
                            .all(|b| if zeros { b == b'0' } else { b.is_ascii_digit() })
                }
            };
            let digits = !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit());
            (int == max && frac_ok(frac, true))
                || (digits && int.len() < max.len() && frac_ok(frac, false))
        }
    }

    impl Price {
        fn to_json(self) -> String {
            serde_json::to_string(&self).unwrap_or_default()
        }
    }
}
