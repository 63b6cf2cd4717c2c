//! Which production plan line is in force: the overlay of approved plan versions.

use std::collections::BTreeMap;

use super::period::Period;
use super::reconciliation::Grams;

/// One approved plan version's lines for a product.
#[derive(Debug, Clone)]
pub struct PlanVersion {
    pub version_no: i64,
    pub lines: Vec<(Period, Grams)>,
}

/// The current plan: for each month, the line of the latest approved version that mentions it.
/// A revision lists only what it changes; months it does not mention keep their earlier value.
pub fn overlay(versions: &[PlanVersion]) -> BTreeMap<Period, Grams> {
    let mut ordered: Vec<&PlanVersion> = versions.iter().collect();
    ordered.sort_by_key(|v| v.version_no);
    let mut current = BTreeMap::new();
    for v in ordered {
        for (period, grams) in &v.lines {
            current.insert(*period, *grams);
        }
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn later_versions_override_only_what_they_mention() {
        let v1 = PlanVersion {
            version_no: 1,
            lines: vec![
                (p("2026-01"), 100),
                (p("2026-02"), 100),
                (p("2026-03"), 100),
            ],
        };
        let v2 = PlanVersion {
            version_no: 2,
            lines: vec![(p("2026-02"), 40), (p("2026-04"), 90)],
        };
        // Given out of order: the version number decides, not the order.
        let current = overlay(&[v2, v1]);
        let got: Vec<(String, Grams)> = current.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        assert_eq!(
            got,
            [
                ("2026-01".into(), 100),
                ("2026-02".into(), 40),
                ("2026-03".into(), 100),
                ("2026-04".into(), 90)
            ]
        );
    }
}
