use std::str::FromStr;

use proptest::prelude::*;

use super::*;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_default()
}

fn p(s: &str) -> Period {
    Period::parse(s).unwrap_or_else(|| unreachable!())
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::from_str(s).unwrap_or_default()
}

fn index_terms(json: &str) -> PricingTerms {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"))
}

const INDEX: &str = r#"{"type":"index","index_id":"6aab728c-5d25-46c0-b1b1-b708c14db466","qp_offset_months":-1,"multiplier":"1","premium":"-1.50","floor":"55","ceiling":"80"}"#;

#[test]
fn averages_are_means_at_4_dp() {
    let avg = monthly_averages(&[
        (date("2026-10-01"), d("60")),
        (date("2026-10-08"), d("61")),
        (date("2026-10-15"), d("61")),
        (date("2026-11-05"), d("70.12345")),
    ]);
    assert_eq!(
        avg.get(&p("2026-10")).map(|v| v.to_string()),
        Some("60.6667".into())
    );
    assert_eq!(
        avg.get(&p("2026-11")).map(|v| v.to_string()),
        Some("70.1235".into())
    );
}

#[test]
fn fixed_terms_are_fixed() {
    let t = index_terms(r#"{"type":"fixed","unit_price":"62.505"}"#);
    let out = price(&t, p("2027-01"), &BTreeMap::new(), p("2026-11"));
    assert_eq!(out.status, PriceStatus::Fixed);
    assert_eq!(out.unit_price, Some(d("62.51")));
}

#[test]
fn final_when_the_quotation_month_is_over() {
    let averages = BTreeMap::from([(p("2026-10"), d("62.345"))]);
    let out = price(&index_terms(INDEX), p("2026-11"), &averages, p("2026-11"));
    assert_eq!(out.status, PriceStatus::Final);
    assert_eq!(out.basis_period, Some(p("2026-10")));
    // 62.345 − 1.50 = 60.845 → 60.85 (half away from zero).
    assert_eq!(out.unit_price, Some(d("60.85")));
}

#[test]
fn provisional_on_the_latest_month_with_quotes() {
    let averages = BTreeMap::from([(p("2026-09"), d("70")), (p("2026-10"), d("66"))]);
    // Delivery in March 2027: quotation month February, not over and without quotes.
    let out = price(&index_terms(INDEX), p("2027-03"), &averages, p("2026-11"));
    assert_eq!(out.status, PriceStatus::Provisional);
    assert_eq!(out.basis_period, Some(p("2026-10")));
    assert_eq!(out.unit_price, Some(d("64.50")));
    // The quotation month has quotes but is not over yet: still provisional.
    let out = price(&index_terms(INDEX), p("2026-11"), &averages, p("2026-10"));
    assert_eq!(out.status, PriceStatus::Provisional);
}

#[test]
fn floor_and_ceiling_clamp() {
    let low = BTreeMap::from([(p("2026-10"), d("40"))]);
    let high = BTreeMap::from([(p("2026-10"), d("120"))]);
    assert_eq!(
        price(&index_terms(INDEX), p("2026-11"), &low, p("2026-12")).unit_price,
        Some(d("55"))
    );
    assert_eq!(
        price(&index_terms(INDEX), p("2026-11"), &high, p("2026-12")).unit_price,
        Some(d("80"))
    );
}

#[test]
fn unpriced_without_quotes() {
    let out = price(
        &index_terms(INDEX),
        p("2026-11"),
        &BTreeMap::new(),
        p("2026-12"),
    );
    assert_eq!(out.status, PriceStatus::Unpriced);
    assert_eq!(out.unit_price, None);
}

#[test]
fn negative_premium_and_multiplier() {
    assert_eq!(
        formula_price(d("100"), d("0.95"), d("-2.125"), None, None),
        d("92.88")
    );
    assert_eq!(round(d("-0.125"), 2), d("-0.13"));
}

fn money() -> impl Strategy<Value = Decimal> {
    (0i64..10_000_000).prop_map(|n| Decimal::new(n, 4))
}

proptest! {
    #[test]
    fn always_within_floor_and_ceiling(avg in money(), mult in 1i64..30_000, prem in -500_000i64..500_000, floor in money(), span in money()) {
        let ceiling = floor + span;
        let out = formula_price(avg, Decimal::new(mult, 4), Decimal::new(prem, 4), Some(floor), Some(ceiling));
        prop_assert!(out >= floor && out <= ceiling);
    }

    #[test]
    fn higher_average_never_lowers_the_price(a in money(), b in money(), mult in 0i64..30_000, prem in -500_000i64..500_000) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let m = Decimal::new(mult, 4);
        let pr = Decimal::new(prem, 4);
        prop_assert!(formula_price(lo, m, pr, None, None) <= formula_price(hi, m, pr, None, None));
    }
}
