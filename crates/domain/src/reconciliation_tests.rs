use super::*;
use proptest::prelude::*;

fn p(s: &str) -> Period {
    Period::parse(s).unwrap_or_else(|| unreachable!())
}

fn months(pairs: &[(&str, Grams)]) -> BTreeMap<Period, Grams> {
    pairs.iter().map(|(m, g)| (p(m), *g)).collect()
}

/// An order id that sorts as its label does, so ties break as they read.
fn oid(label: &str) -> OrderId {
    let mut bytes = [0u8; 16];
    bytes[..label.len()].copy_from_slice(label.as_bytes());
    OrderId::from_uuid(uuid::Uuid::from_bytes(bytes))
}

fn order(id: &str, kind: OrderKind, period: &str, grams: Grams, rank: i64) -> OrderLine {
    OrderLine {
        id: oid(id),
        kind,
        period: p(period),
        grams,
        confirmed: true,
        confirmation_rank: rank,
    }
}

fn with_orders(mut pos: ProductPosition, orders: Vec<OrderLine>) -> ProductPosition {
    for o in orders {
        pos.add_order(o);
    }
    pos
}

fn column(rows: &[MonthRow], f: impl Fn(&MonthRow) -> Grams) -> Vec<Grams> {
    rows.iter().map(f).collect()
}

#[test]
fn stock_carries_forward_and_atp_looks_ahead() {
    let pos = ProductPosition {
        planned: months(&[("2026-01", 100), ("2026-02", 0), ("2026-03", 100)]),
        contracted: months(&[("2026-01", 0), ("2026-02", 60), ("2026-03", 80)]),
        ..Default::default()
    };
    let rows = reconcile(&pos, None, None);
    assert_eq!(column(&rows, |r| r.projected_stock), [100, 40, 60]);
    // January has 100 on hand, but February needs 60 of it.
    assert_eq!(column(&rows, |r| r.atp), [40, 40, 60]);
    assert_eq!(column(&rows, |r| r.shortfall), [0, 0, 0]);
}

#[test]
fn shortfall_when_demand_exceeds_supply() {
    let pos = ProductPosition {
        planned: months(&[("2026-01", 50), ("2026-02", 50)]),
        contracted: months(&[("2026-01", 80), ("2026-02", 10)]),
        ..Default::default()
    };
    let rows = reconcile(&pos, None, None);
    assert_eq!(column(&rows, |r| r.projected_stock), [-30, 10]);
    assert_eq!(column(&rows, |r| r.shortfall), [30, 0]);
    assert_eq!(column(&rows, |r| r.atp), [0, 10]);
}

#[test]
fn actuals_replace_the_plan_and_snapshots_reset_stock() {
    let pos = ProductPosition {
        planned: months(&[("2026-01", 100), ("2026-02", 100), ("2026-03", 100)]),
        actual: months(&[("2026-01", 70)]),
        snapshots: months(&[("2026-02", 500)]),
        contracted: months(&[("2026-01", 50), ("2026-02", 50), ("2026-03", 50)]),
        ..Default::default()
    };
    let rows = reconcile(&pos, None, None);
    assert_eq!(column(&rows, |r| r.supply), [70, 100, 100]);
    assert_eq!(rows[0].planned, Some(100));
    assert_eq!(rows[0].actual, Some(70));
    assert_eq!(column(&rows, |r| r.projected_stock), [20, 550, 600]);
}

#[test]
fn pending_orders_are_shown_but_not_demand() {
    let mut pending = order("d1", OrderKind::Spot, "2026-01", 30, 0);
    pending.confirmed = false;
    let pos = with_orders(
        ProductPosition {
            planned: months(&[("2026-01", 100)]),
            ..Default::default()
        },
        vec![pending, order("c1", OrderKind::AddOn, "2026-01", 20, 1)],
    );
    let rows = reconcile(&pos, None, None);
    assert_eq!(
        (rows[0].pending, rows[0].addon, rows[0].demand),
        (30, 20, 20)
    );
    assert_eq!(rows[0].atp, 80);
}

#[test]
fn spot_orders_confirmed_last_are_at_risk_first() {
    let pos = with_orders(
        ProductPosition {
            planned: months(&[("2026-01", 100)]),
            contracted: months(&[("2026-01", 50)]),
            ..Default::default()
        },
        vec![
            order("s1", OrderKind::Spot, "2026-01", 30, 1),
            order("s2", OrderKind::Spot, "2026-01", 30, 2),
            order("a1", OrderKind::AddOn, "2026-01", 30, 3),
        ],
    );
    let rows = reconcile(&pos, None, None);
    assert_eq!(rows[0].shortfall, 40);
    assert_eq!(rows[0].orders_at_risk, [oid("s2"), oid("s1")]);
}

#[test]
fn a_range_beyond_the_data_carries_stock_and_pads_before() {
    let pos = ProductPosition {
        planned: months(&[("2026-02", 100)]),
        contracted: months(&[("2026-02", 40)]),
        ..Default::default()
    };
    let rows = reconcile(&pos, Some(p("2026-01")), Some(p("2026-04")));
    assert_eq!(
        rows.iter()
            .map(|r| r.period.to_string())
            .collect::<Vec<_>>(),
        ["2026-01", "2026-02", "2026-03", "2026-04"]
    );
    assert_eq!(column(&rows, |r| r.projected_stock), [0, 60, 60, 60]);
    assert_eq!(column(&rows, |r| r.atp), [0, 60, 60, 60]);
    assert!(reconcile(&ProductPosition::default(), None, None).is_empty());
}

#[test]
fn commitments_that_deepen_a_shortfall_are_refused_with_numbers() {
    let pos = ProductPosition {
        planned: months(&[("2026-01", 100), ("2026-02", 0)]),
        contracted: months(&[("2026-02", 60)]),
        ..Default::default()
    };
    assert_eq!(check_commitment(&pos, &months(&[("2026-01", 40)])), Ok(()));
    let refusal = check_commitment(&pos, &months(&[("2026-01", 41)]));
    assert_eq!(
        refusal,
        Err(Refusal {
            period: p("2026-01"),
            requested: 41,
            available: 40,
            first_short_period: p("2026-02"),
        })
    );
    // Several months: the second does not fit once the first is taken.
    let refusal = check_commitment(&pos, &months(&[("2026-01", 30), ("2026-02", 20)]));
    assert_eq!(
        refusal.map_err(|r| (r.period, r.requested, r.available)),
        Err((p("2026-02"), 20, 10))
    );
}

#[test]
fn a_month_already_short_refuses_any_more() {
    let pos = ProductPosition {
        planned: months(&[("2026-01", 10)]),
        contracted: months(&[("2026-01", 20)]),
        ..Default::default()
    };
    assert!(check_commitment(&pos, &months(&[("2026-01", 1)])).is_err());
    assert_eq!(available_to_promise(&pos, p("2026-01")), 0);
}

fn arb_position() -> impl Strategy<Value = ProductPosition> {
    let month = 0i32..12;
    let grams = 0i64..1_000;
    (
        prop::collection::btree_map(month.clone(), grams.clone(), 0..12),
        prop::collection::btree_map(month.clone(), grams.clone(), 0..4),
        prop::collection::btree_map(month.clone(), 0i64..2_000, 0..2),
        prop::collection::btree_map(month.clone(), grams.clone(), 0..12),
        prop::collection::vec(
            (month, 1i64..400, any::<bool>(), any::<bool>(), 0i64..100),
            0..16,
        ),
    )
        .prop_map(|(planned, actual, snaps, contracted, orders)| {
            let base = p("2026-01");
            let at = |m: &i32| base.plus(*m);
            let pos = ProductPosition {
                planned: planned.iter().map(|(m, g)| (at(m), *g)).collect(),
                actual: actual.iter().map(|(m, g)| (at(m), *g)).collect(),
                snapshots: snaps.iter().map(|(m, g)| (at(m), *g)).collect(),
                contracted: contracted.iter().map(|(m, g)| (at(m), *g)).collect(),
                ..Default::default()
            };
            let lines = orders
                .into_iter()
                .enumerate()
                .map(|(i, (m, g, spot, confirmed, rank))| OrderLine {
                    id: oid(&format!("o{i}")),
                    kind: if spot {
                        OrderKind::Spot
                    } else {
                        OrderKind::AddOn
                    },
                    period: at(&m),
                    grams: g,
                    confirmed,
                    confirmation_rank: rank,
                })
                .collect();
            with_orders(pos, lines)
        })
}

fn window() -> (Option<Period>, Option<Period>) {
    (Some(p("2026-01")), Some(p("2026-12")))
}

proptest! {
    #[test]
    fn atp_is_never_negative(pos in arb_position()) {
        let (f, t) = window();
        for row in reconcile(&pos, f, t) {
            prop_assert!(row.atp >= 0);
            prop_assert!(row.shortfall >= 0);
            prop_assert_eq!(row.demand, row.contract + row.addon + row.spot);
        }
    }

    #[test]
    fn confirming_exactly_atp_creates_no_shortfall(pos in arb_position(), m in 0i32..12) {
        let (f, t) = window();
        let month = p("2026-01").plus(m);
        let before = reconcile(&pos, f, t);
        let atp = available_to_promise(&pos, month);
        prop_assert_eq!(check_commitment(&pos, &BTreeMap::from([(month, atp)])), Ok(()));
        let mut after_pos = pos.clone();
        after_pos.add_order(OrderLine { id: oid("new"), kind: OrderKind::Spot, period: month, grams: atp, confirmed: true, confirmation_rank: 1_000 });
        let after = reconcile(&after_pos, f, t);
        for (b, a) in before.iter().zip(&after) {
            prop_assert!(a.shortfall <= b.shortfall, "month {} went from {} to {}", a.period, b.shortfall, a.shortfall);
        }
        // Without stock snapshots ahead to reset the projection, one gram more is refused.
        if pos.snapshots.is_empty() {
            prop_assert!(check_commitment(&pos, &BTreeMap::from([(month, atp + 1)])).is_err());
        }
    }

    #[test]
    fn atp_never_rises_after_a_confirmation(pos in arb_position(), m in 0i32..12, g in 1i64..500) {
        let (f, t) = window();
        let month = p("2026-01").plus(m);
        let before = reconcile(&pos, f, t);
        let mut after_pos = pos.clone();
        after_pos.add_order(OrderLine { id: oid("new"), kind: OrderKind::AddOn, period: month, grams: g, confirmed: true, confirmation_rank: 1_000 });
        let after = reconcile(&after_pos, f, t);
        for (b, a) in before.iter().zip(&after) {
            prop_assert!(a.atp <= b.atp, "ATP of {} rose from {} to {}", a.period, b.atp, a.atp);
        }
    }

    #[test]
    fn cancelling_the_orders_at_risk_clears_the_shortfall(pos in arb_position()) {
        let (f, t) = window();
        for row in reconcile(&pos, f, t).into_iter().filter(|r| r.shortfall > 0) {
            let freed: Grams = pos.orders.iter().filter(|o| row.orders_at_risk.contains(&o.id)).map(|o| o.grams).sum();
            if freed < row.shortfall {
                // Not enough orders to give up: every eligible one is marked.
                continue;
            }
            let mut after = pos.clone();
            after.remove_orders(&row.orders_at_risk);
            let cleared = reconcile(&after, Some(row.period), Some(row.period));
            prop_assert_eq!(cleared.first().map(|r| r.shortfall), Some(0), "month {}", row.period);
        }
    }
}

/// Any position at all: grams over the whole 64-bit range, months over the whole calendar.
fn wild_position() -> impl Strategy<Value = ProductPosition> {
    let month = 0i32..1212;
    let grams = prop_oneof![
        any::<i64>(),
        Just(i64::MAX),
        Just(i64::MIN),
        -1_000i64..1_000
    ];
    (
        prop::collection::btree_map(month.clone(), grams.clone(), 0..6),
        prop::collection::btree_map(month.clone(), grams.clone(), 0..3),
        prop::collection::btree_map(month.clone(), grams.clone(), 0..2),
        prop::collection::btree_map(month.clone(), grams.clone(), 0..6),
        prop::collection::vec(
            (month, grams, any::<bool>(), any::<bool>(), any::<i64>()),
            0..8,
        ),
    )
        .prop_map(|(planned, actual, snaps, contracted, orders)| {
            let base = p("2000-01");
            let at = |m: &i32| base.plus(*m);
            let pos = ProductPosition {
                planned: planned.iter().map(|(m, g)| (at(m), *g)).collect(),
                actual: actual.iter().map(|(m, g)| (at(m), *g)).collect(),
                snapshots: snaps.iter().map(|(m, g)| (at(m), *g)).collect(),
                contracted: contracted.iter().map(|(m, g)| (at(m), *g)).collect(),
                ..Default::default()
            };
            let lines = orders
                .into_iter()
                .enumerate()
                .map(|(i, (m, g, spot, confirmed, rank))| OrderLine {
                    id: oid(&format!("o{i}")),
                    kind: if spot {
                        OrderKind::Spot
                    } else {
                        OrderKind::AddOn
                    },
                    period: at(&m),
                    grams: g,
                    confirmed,
                    confirmation_rank: rank,
                })
                .collect();
            with_orders(pos, lines)
        })
}

proptest! {
    /// No position, however extreme, makes the rules panic or overflow: sums saturate.
    #[test]
    fn rules_never_panic(pos in wild_position(), m in 0i32..1212, g in any::<i64>()) {
        let month = p("2000-01").plus(m);
        let rows = reconcile(&pos, None, None);
        for r in &rows {
            prop_assert!(r.shortfall >= 0 && r.atp >= 0);
        }
        let _ = reconcile(&pos, Some(month), Some(month.plus(24)));
        let _ = available_to_promise(&pos, month);
        let _ = check_commitment(&pos, &BTreeMap::from([(month, g)]));
    }
}

proptest! {
    /// The orders of the risk window are all a reconciliation needs: loading only those gives
    /// the same rows as loading the whole order book.
    #[test]
    fn orders_of_the_risk_window_are_enough(pos in arb_position()) {
        let (f, t) = window();
        let full = reconcile(&pos, f, t);
        let mut partial = pos.clone();
        match pos.risk_window(f, t) {
            None => partial.orders.clear(),
            Some((lo, hi)) => partial.orders.retain(|o| o.period >= lo && o.period <= hi),
        }
        prop_assert_eq!(reconcile(&partial, f, t), full);
        let whole = reconcile(&pos, None, None);
        let mut partial = pos.clone();
        match pos.risk_window(None, None) {
            None => partial.orders.clear(),
            Some((lo, hi)) => partial.orders.retain(|o| o.period >= lo && o.period <= hi),
        }
        prop_assert_eq!(reconcile(&partial, None, None), whole);
    }
}
