//! Exact decimal amounts, parsed once at the edge from JSON strings.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// Parses a JSON string holding a decimal with at most `max_dp` places; JSON numbers are refused
/// so that no value ever passes through a float.
fn parse_decimal(s: &str, max_dp: u32) -> Result<Decimal, String> {
    let trimmed = s.trim();
    if trimmed.is_empty() || trimmed != s {
        return Err(format!(
            "must be a decimal string such as \"62.50\", got {s:?}"
        ));
    }
    if trimmed.contains(['e', 'E']) {
        return Err("must be written without an exponent".into());
    }
    let d =
        Decimal::from_str(trimmed).map_err(|_| format!("must be a decimal string, got {s:?}"))?;
    if d.normalize().scale() > max_dp {
        return Err(format!("must have at most {max_dp} decimal places"));
    }
    Ok(d)
}

struct DecimalString<'a>(&'a str, u32);

impl<'de> de::Visitor<'de> for DecimalString<'_> {
    type Value = Decimal;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a decimal string with at most {} decimal places", self.1)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse_decimal(v, self.1).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Decimal, E> {
        Err(E::custom(format!(
            "{} must be a string such as \"62.50\", not a JSON number",
            self.0
        )))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Decimal, E> {
        Err(E::custom(format!(
            "{} must be a string such as \"62.50\", not a JSON number",
            self.0
        )))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Decimal, E> {
        Err(E::custom(format!(
            "{} must be a string such as \"62.50\", not a JSON number",
            self.0
        )))
    }
}

macro_rules! decimal_newtype {
    ($name:ident, $dp:expr, $what:expr, $min_display_dp:expr, $pattern:expr, $example:expr) => {
        #[doc = concat!("An exact ", $what, " with at most ", stringify!($dp), " decimal places.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Decimal);

        impl $name {
            pub const MAX_DP: u32 = $dp;

            pub fn new(value: Decimal) -> Option<$name> {
                (value.normalize().scale() <= $dp).then_some($name(value))
            }

            pub fn value(self) -> Decimal {
                self.0
            }

            /// The value with at least the conventional number of decimals ("62.50").
            pub fn display(self) -> Decimal {
                let mut d = self.0.normalize();
                if d.scale() < $min_display_dp {
                    d.rescale($min_display_dp);
                }
                d
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(DecimalString($what, $dp)).map($name)
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
                    .description(Some(concat!(
                        "An exact decimal ",
                        $what,
                        " as a string, at most ",
                        stringify!($dp),
                        " decimal places; JSON numbers are refused."
                    )))
                    .pattern(Some($pattern))
                    .examples([serde_json::json!($example)])
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

decimal_newtype!(Price, 4, "price", 2, r"^-?[0-9]+(\.[0-9]{1,4})?$", "62.50");
decimal_newtype!(Factor, 6, "factor", 1, r"^-?[0-9]+(\.[0-9]{1,6})?$", "1.0");
decimal_newtype!(
    Percent,
    3,
    "percentage",
    1,
    r"^-?[0-9]+(\.[0-9]{1,3})?$",
    "5.0"
);
decimal_newtype!(
    Kg,
    3,
    "quantity in kilograms",
    3,
    r"^-?[0-9]+(\.[0-9]{1,3})?$",
    "12000.000"
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

    /// The sum, `None` when it overflows.
    pub fn checked_add(self, other: Price) -> Option<Price> {
        self.0.checked_add(other.0).map(Price)
    }

    /// The price in 1/10000 currency units, as stored.
    pub fn units(self) -> Option<i64> {
        to_scaled(self.0, PRICE_SCALE)
    }

    pub fn from_units(units: i64) -> Price {
        Price(Decimal::new(units, PRICE_SCALE))
    }
}

impl Kg {
    pub fn zero() -> Kg {
        Kg(Decimal::ZERO)
    }

    /// The quantity in grams, as stored; `None` when out of range.
    pub fn grams(self) -> Option<i64> {
        to_scaled(self.0, KG_SCALE)
    }

    pub fn from_grams(grams: i64) -> Kg {
        Kg(Decimal::new(grams, KG_SCALE))
    }

    /// Kilograms of a wide sum of grams (saturating at the largest decimal).
    pub fn from_grams_wide(grams: i128) -> Kg {
        Decimal::try_from_i128_with_scale(grams, KG_SCALE)
            .map(Kg)
            .unwrap_or(Kg(if grams < 0 {
                Decimal::MIN
            } else {
                Decimal::MAX
            }))
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

    fn price(json: &str) -> Result<Price, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn accepts_decimal_strings() {
        assert_eq!(
            price("\"62.5\"").map(|p| p.to_json()).ok(),
            Some("\"62.50\"".into())
        );
        assert_eq!(
            price("\"12345678901234.1234\"").map(|p| p.to_json()).ok(),
            Some("\"12345678901234.1234\"".into())
        );
    }

    #[test]
    fn refuses_numbers_and_excess_precision() {
        assert!(price("62.5").is_err());
        assert!(price("62").is_err());
        assert!(price("\"1.23456\"").is_err());
        assert!(price("\"1e3\"").is_err());
        assert!(price("\" 1\"").is_err());
        assert!(price("\"abc\"").is_err());
    }

    #[test]
    fn scaled_round_trips_exactly() {
        let d = Decimal::from_str("12000.5").unwrap_or_default();
        assert_eq!(to_scaled(d, KG_SCALE), Some(12_000_500));
        assert_eq!(Kg::from_grams(12_000_500).value().to_string(), "12000.500");
        let d = Decimal::from_str("1.2345").unwrap_or_default();
        assert_eq!(to_scaled(d, KG_SCALE), None);
        assert_eq!(to_scaled(d, PRICE_SCALE), Some(12_345));
        assert_eq!(to_scaled(Decimal::MAX, KG_SCALE), None);
    }

    #[test]
    fn trailing_zeros_do_not_count_as_precision() {
        assert!(price("\"1.230000\"").is_ok());
    }

    impl Price {
        fn to_json(self) -> String {
            serde_json::to_string(&self).unwrap_or_default()
        }
    }
}
