//! The reconciliation of one product over 36 months with 100,000 orders.
//!
//!   cargo bench --bench reconcile

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use ndpr_contracts::domain::reconciliation::{
    available_to_promise, check_commitment, reconcile, OrderKind, OrderLine, ProductPosition,
};
use ndpr_contracts::domain::{OrderId, Period};

fn position(months: i32, orders: usize) -> ProductPosition {
    let start = Period::new(2027, 1).unwrap_or_else(|| unreachable!());
    let mut pos = ProductPosition::default();
    for m in 0..months {
        pos.planned.insert(start.plus(m), 5_000_000_000);
        pos.contracted.insert(start.plus(m), 3_000_000_000);
    }
    pos.snapshots.insert(start, 1_000_000_000);
    // A deterministic spread of orders: some pending, most confirmed, spot and add-on.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..orders {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        pos.orders.push(OrderLine {
            id: OrderId::from_uuid(uuid::Uuid::from_u128(i as u128)),
            kind: if x.is_multiple_of(3) {
                OrderKind::AddOn
            } else {
                OrderKind::Spot
            },
            period: start.plus(i32::try_from(x % months as u64).unwrap_or(0)),
            grams: 1_000 + i64::try_from(x % 50_000).unwrap_or(0),
            confirmed: !x.is_multiple_of(10),
            confirmation_rank: i64::try_from(i).unwrap_or(0),
        });
    }
    pos
}

fn bench(c: &mut Criterion) {
    let pos = position(36, 100_000);
    let start = Period::new(2027, 1).unwrap_or_else(|| unreachable!());
    c.bench_function("reconcile 36 months x 100k orders", |b| {
        b.iter(|| black_box(reconcile(black_box(&pos), None, None)))
    });
    c.bench_function("available_to_promise 36 months x 100k orders", |b| {
        b.iter(|| black_box(available_to_promise(black_box(&pos), start.plus(12))))
    });
    let extra = BTreeMap::from([(start.plus(12), 1_000_000)]);
    c.bench_function("check_commitment one month, 36 months x 100k orders", |b| {
        b.iter(|| black_box(check_commitment(black_box(&pos), black_box(&extra))))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
