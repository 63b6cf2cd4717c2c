use std::str::FromStr;

use proptest::prelude::*;

use super::*;
use crate::ids::PriceIndexId;

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
    let out = price(&t, p("2027-01"), &IndexSeries::default(), p("2026-11"));
    assert_eq!(out.status, PriceStatus::Fixed);
    assert_eq!(out.unit_price, Some(d("62.51")));
}

#[test]
fn final_when_the_quotation_month_is_over() {
    let averages = BTreeMap::from([(p("2026-10"), d("62.345"))]);
    let out = price(
        &index_terms(INDEX),
        p("2026-11"),
        &IndexSeries::plain(averages.clone()),
        p("2026-11"),
    );
    assert_eq!(out.status, PriceStatus::Final);
    assert_eq!(out.basis_period, Some(p("2026-10")));
    // 62.345 − 1.50 = 60.845 → 60.85 (half away from zero).
    assert_eq!(out.unit_price, Some(d("60.85")));
}

#[test]
fn provisional_on_the_latest_month_with_quotes() {
    let averages = BTreeMap::from([(p("2026-09"), d("70")), (p("2026-10"), d("66"))]);
    // Delivery in March 2027: quotation month February, not over and without quotes.
    let out = price(
        &index_terms(INDEX),
        p("2027-03"),
        &IndexSeries::plain(averages.clone()),
        p("2026-11"),
    );
    assert_eq!(out.status, PriceStatus::Provisional);
    assert_eq!(out.basis_period, Some(p("2026-10")));
    assert_eq!(out.unit_price, Some(d("64.50")));
    // The quotation month has quotes but is not over yet: still provisional.
    let out = price(
        &index_terms(INDEX),
        p("2026-11"),
        &IndexSeries::plain(averages.clone()),
        p("2026-10"),
    );
    assert_eq!(out.status, PriceStatus::Provisional);
}

#[test]
fn floor_and_ceiling_clamp() {
    let low = BTreeMap::from([(p("2026-10"), d("40"))]);
    let high = BTreeMap::from([(p("2026-10"), d("120"))]);
    assert_eq!(
        price(
            &index_terms(INDEX),
            p("2026-11"),
            &IndexSeries::plain(low),
            p("2026-12")
        )
        .unit_price,
        Some(d("55"))
    );
    assert_eq!(
        price(
            &index_terms(INDEX),
            p("2026-11"),
            &IndexSeries::plain(high),
            p("2026-12")
        )
        .unit_price,
        Some(d("80"))
    );
}

#[test]
fn unpriced_without_quotes() {
    let out = price(
        &index_terms(INDEX),
        p("2026-11"),
        &IndexSeries::default(),
        p("2026-12"),
    );
    assert_eq!(out.status, PriceStatus::Unpriced);
    assert_eq!(out.unit_price, None);
}

#[test]
fn negative_premium_and_multiplier() {
    assert_eq!(
        formula_price(d("100"), d("0.95"), d("-2.125"), None, None),
        Some(d("92.88"))
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
        prop_assert!(out.is_some_and(|p| p >= floor && p <= ceiling));
    }

    #[test]
    fn higher_average_never_lowers_the_price(a in money(), b in money(), mult in 0i64..30_000, prem in -500_000i64..500_000) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let m = Decimal::new(mult, 4);
        let pr = Decimal::new(prem, 4);
        prop_assert!(formula_price(lo, m, pr, None, None) <= formula_price(hi, m, pr, None, None));
    }
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

fn any_price_terms() -> impl Strategy<Value = PricingTerms> {
    (
        any_decimal(),
        any_decimal(),
        any::<i32>(),
        any_decimal(),
        any_decimal(),
        any::<bool>(),
        any_decimal(),
    )
        .prop_map(|(mult, prem, qp, floor, ceiling, fixed, unit)| {
            // Built past the parser, so the terms may hold any value at all.
            if fixed {
                PricingTerms::fixed(crate::Price::unchecked(unit))
            } else {
                PricingTerms::Index(crate::pricing_terms::IndexPricing {
                    kind: crate::pricing_terms::IndexType::Index,
                    index_id: PriceIndexId::from_uuid(uuid::Uuid::nil()),
                    qp_offset_months: qp,
                    multiplier: crate::Factor::unchecked(mult),
                    premium: crate::Price::unchecked(prem),
                    floor: Some(crate::Price::unchecked(floor)),
                    ceiling: Some(crate::Price::unchecked(ceiling)),
                })
            }
        })
}

proptest! {
    /// No input, however large, makes the pricing engine panic: out of range means unpriced.
    #[test]
    fn pricing_never_panics(
        terms in any_price_terms(),
        averages in proptest::collection::btree_map(0i32..2400, any_decimal(), 0..5),
        delivery in 0i32..2400,
        current in 0i32..2400,
        quotes in proptest::collection::vec((0i64..40_000, any_decimal()), 0..20),
        unit in prop_oneof![Just(IndexUnit::Kg), Just(IndexUnit::T)],
        vat_milli in 0i64..=30_000,
        fx in proptest::option::of(proptest::collection::btree_map(0i32..2400, any_decimal(), 0..5)),
    ) {
        let base = p("2000-01");
        let averages: BTreeMap<Period, Decimal> = averages.into_iter().map(|(m, a)| (base.plus(m), a)).collect();
        let fx = fx.map(|rates| rates.into_iter().map(|(m, r)| (base.plus(m), r)).collect());
        let series = IndexSeries { averages, unit, vat_pct: Decimal::new(vat_milli, 3), fx, ..IndexSeries::default() };
        let out = price(&terms, base.plus(delivery), &series, base.plus(current));
        prop_assert!(out.unit_price.is_some() || out.status == PriceStatus::Unpriced);
        let dated: Vec<(chrono::NaiveDate, Decimal)> = quotes
            .into_iter()
            .map(|(day, q)| (p("2000-01").first_day() + chrono::Duration::days(day), q))
            .collect();
        let _ = monthly_averages(&dated);
        let _ = formula_price(any_value(&dated), Decimal::MAX, Decimal::MIN, None, None);
    }
}

fn any_value(quotes: &[(chrono::NaiveDate, Decimal)]) -> Decimal {
    quotes.first().map_or(Decimal::MAX, |q| q.1)
}

/// The issue's worked example: quotes for 2027-03 of 850,000 and 860,000 CNY/t including 13 %
/// VAT, USD/CNY fixings 7.10 and 7.12, multiplier 0.98 and premium −1.50 → 102.79 USD/kg.
#[test]
fn cny_per_tonne_with_vat_becomes_usd_per_kg() {
    let averages = monthly_averages(&[
        (date("2027-03-10"), d("850000")),
        (date("2027-03-20"), d("860000")),
    ]);
    assert_eq!(averages[&p("2027-03")], d("855000.0000"));
    let fx = crate::fx::monthly_means(&crate::fx::daily_rates(
        &[
            (date("2027-03-01"), d("7.10")),
            (date("2027-03-02"), d("7.12")),
        ],
        &[],
    ));
    let series = IndexSeries {
        averages,
        unit: IndexUnit::T,
        vat_pct: d("13"),
        fx: Some(fx),
        ..IndexSeries::default()
    };
    let terms = index_terms(
        r#"{"type":"index","index_id":"6aab728c-5d25-46c0-b1b1-b708c14db466","qp_offset_months":0,"multiplier":"0.98","premium":"-1.50"}"#,
    );
    let out = price(&terms, p("2027-03"), &series, p("2027-04"));
    let c = out.conversion.clone().unwrap_or_else(|| unreachable!());
    assert_eq!(c.net_of_vat, d("756637.1681"));
    assert_eq!(c.per_kg, d("756.6372"));
    assert_eq!(c.fx_rate, Some(d("7.110000")));
    assert_eq!(c.converted, d("106.4187"));
    assert_eq!(out.unit_price, Some(d("102.79")));
    assert_eq!(out.status, PriceStatus::Final);
}

/// A month with quotes but no fixings does not price: the latest month with both does, and
/// the price stays provisional until the quotation month has both and is over.
#[test]
fn a_month_prices_only_with_its_fx_fixings() {
    let series = IndexSeries {
        averages: BTreeMap::from([(p("2027-02"), d("800000")), (p("2027-03"), d("855000"))]),
        unit: IndexUnit::T,
        vat_pct: d("13"),
        fx: Some(BTreeMap::from([(p("2027-02"), d("7.2"))])),
        ..IndexSeries::default()
    };
    let terms = index_terms(
        r#"{"type":"index","index_id":"6aab728c-5d25-46c0-b1b1-b708c14db466","qp_offset_months":0}"#,
    );
    let out = price(&terms, p("2027-03"), &series, p("2027-05"));
    assert_eq!(out.status, PriceStatus::Provisional);
    assert_eq!(out.basis_period, Some(p("2027-02")));
    // 800,000 / 1.13 / 1000 / 7.2 = 98.3284…
    assert_eq!(out.unit_price, Some(d("98.33")));
    let none = IndexSeries {
        fx: Some(BTreeMap::new()),
        ..series
    };
    assert_eq!(
        price(&terms, p("2027-03"), &none, p("2027-05")).status,
        PriceStatus::Unpriced
    );
}

/// An index per kg without VAT in the terms' currency converts to itself: prices are what
/// they were before indices had a basis.
#[test]
fn a_plain_index_converts_to_its_average() {
    let c =
        convert(d("62.3450"), IndexUnit::Kg, Decimal::ZERO, None).unwrap_or_else(|| unreachable!());
    assert_eq!(
        (c.net_of_vat, c.per_kg, c.converted),
        (d("62.3450"), d("62.3450"), d("62.3450"))
    );
}

proptest! {
    /// Over the bounded inputs (quotes up to 1,000,000,000, VAT 0–30 %, rates up to 1,000,000
    /// with 6 dp) the conversion never panics and always gives a result, and a higher VAT never
    /// gives a higher price.
    #[test]
    fn the_conversion_is_total_on_bounded_inputs(
        quote in 0i64..=10_000_000_000_000,
        vat in 0i64..=30_000,
        more_vat in 0i64..=30_000,
        rate in 1i64..=1_000_000_000_000,
        tonne in any::<bool>(),
    ) {
        let unit = if tonne { IndexUnit::T } else { IndexUnit::Kg };
        let average = Decimal::new(quote, 4);
        let fx = Some(Decimal::new(rate, 6));
        let a = convert(average, unit, Decimal::new(vat, 3), fx);
        prop_assert!(a.is_some());
        let b = convert(average, unit, Decimal::new(vat.max(more_vat), 3), fx);
        prop_assert!(b.map(|b| b.converted) <= a.map(|a| a.converted));
    }
}
