//! FX fixings: the daily rate of a currency pair, and the monthly mean that an index quoted in
//! one currency is converted with into the currency of the terms (docs/business-rules.md,
//! "FX fixings").

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::reference::{is_currency, CURRENCIES};
use super::{FxRate, Period};
use crate::validation::FieldError;

/// One day's rate of a pair: how many units of `quote` one unit of `base` buys.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FxFixing {
    #[schema(example = "USD")]
    pub base: String,
    #[schema(example = "CNY")]
    pub quote: String,
    #[schema(example = "2027-03-01")]
    pub date: NaiveDate,
    pub rate: FxRate,
    /// Where the fixing comes from.
    #[schema(example = "CFETS central parity")]
    pub source: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// The body of `PUT /fx-rates/{base_currency}/{quote_currency}/{date}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"rate": "7.1050", "source": "CFETS central parity"}))]
pub struct FxFixingInput {
    pub rate: FxRate,
    #[schema(max_length = 200)]
    pub source: Option<String>,
}

/// One fixing of a batch or an import row.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"base": "USD", "quote": "CNY", "date": "2027-03-01", "rate": "7.1050", "source": "CFETS central parity"}))]
pub struct NewFxFixing {
    #[schema(pattern = "^(USD|CNY|EUR|JPY)$", example = "USD")]
    pub base: String,
    #[schema(pattern = "^(USD|CNY|EUR|JPY)$", example = "CNY")]
    pub quote: String,
    pub date: NaiveDate,
    pub rate: FxRate,
    #[schema(max_length = 200)]
    pub source: Option<String>,
}

/// Most fixings accepted in one batch.
pub const MAX_FIXINGS: usize = 1000;

impl NewFxFixing {
    /// What is wrong with the fixing, fields named relative to it. `today` bounds the date:
    /// a fixing is published for today at the latest (one day of slack for time zones).
    pub fn problems(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let currencies = format!("must be one of {}", CURRENCIES.join(", "));
        if !is_currency(&self.base) {
            errors.push(FieldError::new("base", currencies.clone()));
        }
        if !is_currency(&self.quote) {
            errors.push(FieldError::new("quote", currencies));
        } else if self.quote == self.base {
            errors.push(FieldError::new(
                "quote",
                "must differ from base: a currency's rate to itself is 1",
            ));
        }
        if self.date.year() < Period::MIN_YEAR {
            errors.push(FieldError::new("date", "must be in 2000 or later"));
        } else if self.date > today + chrono::Duration::days(1) {
            errors.push(FieldError::new(
                "date",
                format!(
                    "must not be after {} (a fixing is published for today, with a day's slack for time zones)",
                    today + chrono::Duration::days(1)
                ),
            ));
        }
        if self.rate.value() <= Decimal::ZERO {
            errors.push(FieldError::new("rate", "must be greater than 0"));
        }
        if let Some(s) = &self.source {
            if s.trim().is_empty() || s.chars().count() > 200 {
                errors.push(FieldError::new(
                    "source",
                    "must be 1–200 characters, or null",
                ));
            }
        }
        errors
    }
}

/// The daily rates of base/quote: the stored rate of the pair where there is one, else the
/// inverse pair's `1 / rate` (kept exact to 28 digits; only the monthly mean is rounded).
pub fn daily_rates(
    direct: &[(NaiveDate, Decimal)],
    inverse: &[(NaiveDate, Decimal)],
) -> BTreeMap<NaiveDate, Decimal> {
    let mut days: BTreeMap<NaiveDate, Decimal> = inverse
        .iter()
        .filter_map(|(d, r)| Some((*d, Decimal::ONE.checked_div(*r)?)))
        .collect();
    days.extend(direct.iter().copied());
    days
}

/// The mean of each month's daily rates, rounded half away from zero to 6 places.
pub fn monthly_means(daily: &BTreeMap<NaiveDate, Decimal>) -> BTreeMap<Period, Decimal> {
    super::pricing::monthly_means(daily.iter().map(|(d, r)| (*d, *r)), 6)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::round;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn the_worked_example_means_7_11() {
        let daily = daily_rates(
            &[
                (d("2027-03-01"), dec("7.10")),
                (d("2027-03-02"), dec("7.12")),
            ],
            &[],
        );
        let means = monthly_means(&daily);
        assert_eq!(means[&Period::parse("2027-03").unwrap()], dec("7.110000"));
    }

    #[test]
    fn the_inverse_pair_fills_days_without_a_direct_rate() {
        // CNY/USD 0.140845 on the 1st (USD/CNY ≈ 7.100005), USD/CNY 7.12 on the 2nd.
        let daily = daily_rates(
            &[(d("2027-03-02"), dec("7.12"))],
            &[
                (d("2027-03-01"), dec("0.140845")),
                (d("2027-03-02"), dec("9")),
            ],
        );
        assert_eq!(daily[&d("2027-03-02")], dec("7.12"));
        let means = monthly_means(&daily);
        assert_eq!(means[&Period::parse("2027-03").unwrap()], dec("7.110002"));
    }

    #[test]
    fn a_fixing_names_each_wrong_member() {
        let bad = NewFxFixing {
            base: "USD".into(),
            quote: "USD".into(),
            date: d("1999-12-31"),
            rate: FxRate::new(Decimal::ZERO).unwrap(),
            source: Some(String::new()),
        };
        let fields: Vec<String> = bad
            .problems(d("2026-12-06"))
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["quote", "date", "rate", "source"]);
    }

    proptest! {
        /// Over the whole bounded range, a month's mean never panics and lies between the
        /// month's lowest and highest rate.
        #[test]
        fn a_mean_lies_within_its_rates(
            micros in proptest::collection::vec(1i64..=1_000_000_000_000, 1..31),
            inverse in proptest::collection::vec(1i64..=1_000_000_000_000, 0..31),
        ) {
            let direct: Vec<_> = micros.iter().enumerate()
                .map(|(i, m)| (d("2027-01-01") + chrono::Duration::days(i as i64), Decimal::new(*m, 6)))
                .collect();
            let inv: Vec<_> = inverse.iter().enumerate()
                .map(|(i, m)| (d("2027-01-15") + chrono::Duration::days(i as i64), Decimal::new(*m, 6)))
                .collect();
            let daily = daily_rates(&direct, &inv);
            let means = monthly_means(&daily);
            for (p, mean) in &means {
                let rates: Vec<_> = daily.iter().filter(|(d, _)| Period::of_date(**d) == *p).map(|(_, r)| *r).collect();
                let lo = rates.iter().min().copied().unwrap_or_default();
                let hi = rates.iter().max().copied().unwrap_or_default();
                prop_assert!(*mean >= round(lo, 6) && *mean <= round(hi, 6));
            }
        }
    }
}
