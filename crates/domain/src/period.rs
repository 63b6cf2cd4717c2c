//! Months (`YYYY-MM`), the unit of delivery schedules, plans and reconciliation.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    /// Months since year 0: `year * 12 + (month - 1)`.
    index: i32,
}

impl Period {
    /// The JSON Schema pattern of a month this type accepts.
    pub const PATTERN: &'static str = "^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$";
    pub const MIN_YEAR: i32 = 2000;
    pub const MAX_YEAR: i32 = 2100;

    pub fn new(year: i32, month: u32) -> Option<Period> {
        ((Self::MIN_YEAR..=Self::MAX_YEAR).contains(&year) && (1..=12).contains(&month)).then(
            || Period {
                index: year * 12 + i32::try_from(month).unwrap_or(1) - 1,
            },
        )
    }

    /// Parses exactly `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Period> {
        let b = s.as_bytes();
        if b.len() != 7
            || b[4] != b'-'
            || !b
                .iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit())
        {
            return None;
        }
        Period::new(s[..4].parse().ok()?, s[5..].parse().ok()?)
    }

    pub fn year(self) -> i32 {
        self.index.div_euclid(12)
    }

    pub fn month(self) -> u32 {
        u32::try_from(self.index.rem_euclid(12)).unwrap_or(0) + 1
    }

    /// The month `n` months later (earlier when negative); saturating, never wrapping.
    pub fn plus(self, n: i32) -> Period {
        Period {
            index: self.index.saturating_add(n),
        }
    }

    pub fn next(self) -> Period {
        self.plus(1)
    }

    /// How many months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Period) -> i32 {
        later.index.saturating_sub(self.index)
    }

    /// Every month from `self` to `last`, inclusive.
    pub fn through(self, last: Period) -> impl Iterator<Item = Period> {
        (self.index..=last.index).map(|index| Period { index })
    }

    /// The month containing a date.
    pub fn of_date(d: chrono::NaiveDate) -> Period {
        use chrono::Datelike;
        Period {
            index: d.year() * 12 + i32::try_from(d.month()).unwrap_or(1) - 1,
        }
    }

    /// The first day of the month.
    pub fn first_day(self) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(self.year(), self.month(), 1).unwrap_or_default()
    }
}

/// Longest month range of a report.
pub const MAX_REPORT_MONTHS: i32 = 120;

/// What is wrong with a report's month range, if anything: `from` ≤ `to`, at most ten years.
pub fn range_problem(
    from: Option<Period>,
    to: Option<Period>,
) -> Option<crate::validation::FieldError> {
    let (f, t) = (from?, to?);
    if f > t {
        Some(crate::validation::FieldError::new(
            "from",
            "must not be after `to`",
        ))
    } else if f.months_until(t) >= MAX_REPORT_MONTHS {
        Some(crate::validation::FieldError::new(
            "to",
            "a report spans at most 120 months",
        ))
    } else {
        None
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Period, D::Error> {
        let s = String::deserialize(d)?;
        Period::parse(&s).ok_or_else(|| {
            de::Error::custom(format!(
                "must be a month YYYY-MM between 2000-01 and 2100-12, got {s:?}"
            ))
        })
    }
}

impl utoipa::PartialSchema for Period {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("A month, YYYY-MM, between 2000-01 and 2100-12."))
            .pattern(Some(Period::PATTERN))
            .examples([serde_json::json!("2027-01")])
            .into()
    }
}

impl utoipa::ToSchema for Period {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_prints() {
        let p = Period::parse("2026-01");
        assert_eq!(p.map(|p| p.to_string()), Some("2026-01".into()));
        assert_eq!(p.map(|p| p.plus(-1).to_string()), Some("2025-12".into()));
        assert_eq!(p.map(|p| p.plus(13).to_string()), Some("2027-02".into()));
        for bad in [
            "2026-13",
            "2026-00",
            "26-01",
            "2026-1",
            "2026/01",
            "1999-12",
            "２０２６-01",
            "2026-01 ",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn the_pattern_accepts_exactly_what_parse_accepts(s in "[0-9]{4}-[0-9]{2}|[0-9-]{0,8}") {
            let pattern = regex::Regex::new(Period::PATTERN).unwrap_or_else(|e| panic!("{e}"));
            prop_assert_eq!(pattern.is_match(&s), Period::parse(&s).is_some());
        }

        #[test]
        fn display_round_trips(year in 2000i32..=2100, month in 1u32..=12) {
            let p = Period::new(year, month).unwrap_or_else(|| unreachable!());
            prop_assert_eq!(Period::parse(&p.to_string()), Some(p));
            prop_assert_eq!(p.first_day().to_string()[..7].to_string(), p.to_string());
        }
    }
}
