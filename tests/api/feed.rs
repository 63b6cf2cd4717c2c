//! The change feed for integrations: filters, and no missed event under concurrent writers.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::fixtures::*;
use crate::on_both_backends;

on_both_backends!(
    feed_filters_by_type_entity_type_and_entity_id,
    a_consumer_paging_with_after_never_misses_an_event_under_concurrent_writers,
);

fn seqs(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["seq"].as_i64()).collect())
        .unwrap_or_default()
}

fn feed_filters_by_type_entity_type_and_entity_id(app: &TestApp) {
    let sales = app.token_for("sales");
    let c = customer(app, "C-FEED");
    let p = product(app, "P-FEED");
    approved_plan(app, &[(&p, "2027-01", "1000")]);
    let order = id(&spot_order(app, &sales, &c, &p, "2027-01", "100"));
    app.post(
        &format!("/api/v1/orders/{order}/confirm"),
        &sales,
        &json!({}),
    )
    .expect(200);

    let by_entity = app
        .get(
            &format!("/api/v1/events?entity_type=order&entity_id={order}"),
            &sales,
        )
        .expect(200);
    let types: Vec<&str> = by_entity.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["type"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(types, ["order.created", "order.confirmed"]);

    let customers = app
        .get("/api/v1/events?entity_type=customer", &sales)
        .expect(200);
    let items = customers.body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["entity_id"], c.as_str());

    let confirmed = app
        .get("/api/v1/events?type=order.confirmed", &sales)
        .expect(200);
    assert_eq!(confirmed.body["items"][0]["entity_id"], order.as_str());
    assert_eq!(
        confirmed.body["last_seq"],
        confirmed.body["items"][0]["seq"]
    );

    let nothing = app
        .get(
            &format!("/api/v1/events?entity_id={}", uuid::Uuid::new_v4()),
            &sales,
        )
        .expect(200);
    assert_eq!(nothing.body["items"], json!([]));

    let long = "x".repeat(101);
    let refused = app
        .get(&format!("/api/v1/events?entity_type={long}"), &sales)
        .expect(422);
    assert_eq!(refused.error_fields(), ["entity_type"]);
}

const WRITERS: usize = 4;
const EACH: usize = 15;

/// Writers on several threads create customers while a consumer pages with `after=`. Sequence
/// numbers follow commit order, so the consumer sees every event exactly once, in order.
fn a_consumer_paging_with_after_never_misses_an_event_under_concurrent_writers(app: &TestApp) {
    let sales = Arc::new(app.token_for("sales"));
    let start = app
        .get("/api/v1/events?after=0&limit=1000", &sales)
        .expect(200);
    let mut after = start.body["last_seq"].as_i64().unwrap_or(0);
    let done = Arc::new(AtomicBool::new(false));
    let base = app.base.clone();
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (base, token) = (base.clone(), sales.clone());
            std::thread::spawn(move || {
                for i in 0..EACH {
                    let res = ureq::post(&format!("{base}/api/v1/customers"))
                        .set("Authorization", &format!("Bearer {token}"))
                        .send_json(
                            json!({"code": format!("W{w}-{i}"), "name": "Writer", "country": "DE"}),
                        );
                    assert!(res.is_ok(), "{res:?}");
                }
            })
        })
        .collect();
    let flag = done.clone();
    let joiner = std::thread::spawn(move || {
        let failed = writers.into_iter().filter_map(|w| w.join().err()).count();
        flag.store(true, Ordering::SeqCst);
        assert_eq!(failed, 0, "a writer failed");
    });

    let mut seen = Vec::new();
    let mut last_round = false;
    loop {
        let finished = done.load(Ordering::SeqCst);
        let page = app
            .get(&format!("/api/v1/events?after={after}&limit=7"), &sales)
            .expect(200);
        let got = seqs(&page.body);
        seen.extend(got.iter().copied());
        after = page.body["last_seq"].as_i64().unwrap_or(after);
        if got.is_empty() {
            if last_round {
                break;
            }
            last_round = finished;
        }
    }
    joiner
        .join()
        .unwrap_or_else(|_| panic!("the writers failed"));

    assert_eq!(seen.len(), WRITERS * EACH, "every event once: {seen:?}");
    assert!(
        seen.windows(2).all(|w| w[1] == w[0] + 1),
        "in order, without gaps: {seen:?}"
    );
    let distinct: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(distinct.len(), seen.len());
}
