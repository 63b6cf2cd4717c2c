//! Webhooks over HTTP on both backends: signatures checked with the Standard Webhooks reference
//! library, order, retries, giving up, redelivery, SSRF refusals and one delivery per event with
//! two instances.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use ndpr_contracts::config::Settings;
use serde_json::{json, Value};

use crate::common::{Backend, TestApp};
use crate::webhook_receiver::{Received, Receiver};

/// Receivers on 127.0.0.1 over http, a worker that looks every 20 ms, and retries 50 ms apart.
fn open(s: &mut Settings) {
    s.webhooks_allow_http = true;
    s.webhooks_allow_private = true;
    s.webhooks_poll_ms = 20;
    s.webhooks_retry_ms = vec![50, 50, 50];
}

macro_rules! with_webhooks {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    if let Some(app) = $crate::common::TestApp::start_with($crate::common::Backend::Sqlite, super::open) {
                        super::$name(&app);
                    }
                }
                #[test]
                fn postgres() {
                    if let Some(app) = $crate::common::TestApp::start_with($crate::common::Backend::Postgres, super::open) {
                        super::$name(&app);
                    }
                }
            }
        )*
    };
}

with_webhooks!(
    deliveries_are_signed_in_order_and_recorded,
    a_failing_receiver_gets_retries_then_the_subscription_is_disabled,
    only_admins_manage_webhooks_and_secrets_show_once,
    two_instances_deliver_each_event_once,
);

crate::on_both_backends!(targets_are_checked_when_saved);

fn customer(app: &TestApp, code: &str) -> String {
    let res = app
        .post(
            "/api/v1/customers",
            &app.admin(),
            &json!({"code": code, "name": format!("Buyer {code}"), "country": "JP"}),
        )
        .expect(201);
    res.body["id"].as_str().unwrap_or_default().to_string()
}

fn subscribe(app: &TestApp, url: &str, types: Value) -> (String, String) {
    let res = app
        .post(
            "/api/v1/webhooks",
            &app.admin(),
            &json!({"url": url, "event_types": types, "description": "test receiver"}),
        )
        .expect(201);
    let id = res.body["webhook"]["id"].as_str().unwrap_or_default();
    assert_eq!(
        res.header("location"),
        Some(format!("/api/v1/webhooks/{id}").as_str())
    );
    (
        id.to_string(),
        res.body["secret"].as_str().unwrap_or_default().to_string(),
    )
}

fn header_map(r: &Received) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    for (n, v) in &r.headers {
        if let (Ok(n), Ok(v)) = (
            http::header::HeaderName::from_bytes(n.as_bytes()),
            http::header::HeaderValue::from_str(v),
        ) {
            headers.insert(n, v);
        }
    }
    headers
}

/// Checks a request with the reference implementation of Standard Webhooks.
fn verify(secret: &str, r: &Received) {
    let headers = header_map(r);
    let hook = standardwebhooks::Webhook::new(secret).unwrap_or_else(|e| panic!("secret: {e:?}"));
    hook.verify(&r.body, &headers)
        .unwrap_or_else(|e| panic!("the reference library refused the signature: {e:?}"));
}

fn deliveries(app: &TestApp, id: &str) -> Vec<Value> {
    app.get(&format!("/api/v1/webhooks/{id}/deliveries"), &app.admin())
        .expect(200)
        .body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Waits up to 20 s for `done` to hold of the subscription's deliveries.
fn wait_deliveries(app: &TestApp, id: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        let d = deliveries(app, id);
        if done(&d) || Instant::now() > until {
            return d;
        }
        std::thread::sleep(Duration::from_millis(30));
    }
}

fn deliveries_are_signed_in_order_and_recorded(app: &TestApp) {
    let receiver = Receiver::start();
    let (id, secret) = subscribe(app, &receiver.url(), json!(["customer.*"]));
    assert!(secret.starts_with("whsec_"));
    // Events the subscription does not take are skipped.
    app.post(
        "/api/v1/products",
        &app.admin(),
        &json!({"code": "NDPR-X", "name": "NdPr oxide", "form": "oxide"}),
    );
    let codes = ["WH-1", "WH-2", "WH-3"];
    let ids: Vec<String> = codes.iter().map(|c| customer(app, c)).collect();

    let got = receiver.wait_for(3);
    assert_eq!(got.len(), 3, "three deliveries");
    for r in &got {
        verify(&secret, r);
        assert_eq!(r.header("content-type"), Some("application/json"));
    }
    let events: Vec<Value> = got.iter().map(Received::json).collect();
    let seqs: Vec<i64> = events.iter().filter_map(|e| e["seq"].as_i64()).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "in seq order: {seqs:?}"
    );
    for (e, (code, cid)) in events.iter().zip(codes.iter().zip(&ids)) {
        assert_eq!(e["type"], "customer.created");
        assert_eq!(e["entity_id"], cid.as_str());
        assert_eq!(e["data"]["code"], *code);
    }

    let d = wait_deliveries(app, &id, |d| {
        d.len() == 3 && d.iter().all(|x| x["status"] == "succeeded")
    });
    assert_eq!(d.len(), 3);
    for (delivery, r) in d.iter().zip(&got) {
        assert_eq!(delivery["status"], "succeeded");
        assert_eq!(delivery["attempts"], 1);
        assert_eq!(
            delivery["message_id"].as_str(),
            r.header("webhook-id"),
            "webhook-id is the delivery's message id"
        );
        assert_eq!(delivery["attempt_log"][0]["response_status"], 200);
        assert!(delivery["attempt_log"][0]["duration_ms"].as_i64().is_some());
        assert!(delivery["next_attempt_at"].is_null());
    }
    // A tampered body fails verification with the same library.
    let mut forged = got[0].clone();
    forged.body = br#"{"type":"customer.created"}"#.to_vec();
    let hook = standardwebhooks::Webhook::new(&secret).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(hook.verify(&forged.body, &header_map(&forged)).is_err());
}

fn a_failing_receiver_gets_retries_then_the_subscription_is_disabled(app: &TestApp) {
    let receiver = Receiver::start();
    receiver.answer(&[500, 503], 200);
    let (id, secret) = subscribe(app, &receiver.url(), json!([]));
    customer(app, "RETRY-1");

    let got = receiver.wait_for(3);
    assert_eq!(got.len(), 3, "two failures, then delivered");
    let ids: HashSet<_> = got.iter().filter_map(|r| r.header("webhook-id")).collect();
    assert_eq!(ids.len(), 1, "the same webhook-id on every attempt");
    for r in &got {
        verify(&secret, r);
    }
    let d = wait_deliveries(app, &id, |d| {
        d.first().is_some_and(|x| x["status"] == "succeeded")
    });
    let statuses: Vec<&Value> = d[0]["attempt_log"]
        .as_array()
        .map(|a| a.iter().map(|x| &x["response_status"]).collect())
        .unwrap_or_default();
    assert_eq!(statuses, [&json!(500), &json!(503), &json!(200)]);
    assert_eq!(d[0]["attempts"], 3);

    // A receiver that never recovers: four attempts (the first and three retries), then the
    // delivery is given up and the subscription disabled, with an event saying so.
    receiver.answer(&[], 500);
    customer(app, "RETRY-2");
    let d = wait_deliveries(app, &id, |d| d.len() == 2 && d[1]["status"] == "failed");
    assert_eq!(d[1]["status"], "failed");
    assert_eq!(d[1]["attempts"], 4);
    let hook = app
        .get(&format!("/api/v1/webhooks/{id}"), &app.admin())
        .expect(200);
    assert_eq!(hook.body["status"], "disabled");
    assert!(hook.body["disabled_reason"]
        .as_str()
        .is_some_and(|r| r.contains("4 failed attempts")));
    let feed = app
        .get(
            &format!("/api/v1/events?type=webhook.disabled&entity_id={id}"),
            &app.admin(),
        )
        .expect(200);
    assert_eq!(feed.body["items"].as_array().map_or(0, Vec::len), 1);

    // Disabled: nothing more is sent.
    let before = receiver.received().len();
    customer(app, "RETRY-3");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(receiver.received().len(), before);

    // The receiver is fixed: an admin redelivers the failed one, then enables the subscription,
    // which goes on with the events that came meanwhile.
    receiver.answer(&[], 200);
    let failed = d[1]["id"].as_str().unwrap_or_default();
    let again = app
        .post(
            &format!("/api/v1/webhooks/{id}/deliveries/{failed}/redeliver"),
            &app.admin(),
            &json!({}),
        )
        .expect(200);
    assert_eq!(again.body["status"], "succeeded");
    assert_eq!(again.body["attempts"], 5);
    let last = receiver.received().last().cloned();
    assert_eq!(
        last.as_ref().and_then(|r| r.header("webhook-id")),
        again.body["message_id"].as_str()
    );
    if let Some(r) = &last {
        verify(&secret, r);
    }
    app.post(
        &format!("/api/v1/webhooks/{id}/enable"),
        &app.admin(),
        &json!({}),
    )
    .expect(200);
    // Meanwhile: RETRY-3, and the subscription's own disabling and enabling.
    let customers = |d: &[Value]| {
        d.iter()
            .filter(|x| x["event_type"] == "customer.created" && x["status"] == "succeeded")
            .count()
    };
    let d = wait_deliveries(app, &id, |d| {
        customers(d) == 3 && d.iter().all(|x| x["status"] == "succeeded")
    });
    assert_eq!(customers(&d), 3, "{d:?}");
    assert!(d.iter().all(|x| x["status"] == "succeeded"));

    // Given up again; this time the subscription is only enabled: what was given up is sent
    // first, then what came meanwhile, in order.
    receiver.answer(&[], 500);
    customer(app, "RETRY-4");
    wait_deliveries(app, &id, |d| d.iter().any(|x| x["status"] == "failed"));
    customer(app, "RETRY-5");
    receiver.answer(&[], 200);
    let seen = receiver.received().len();
    app.post(
        &format!("/api/v1/webhooks/{id}/enable"),
        &app.admin(),
        &json!({}),
    )
    .expect(200);
    let d = wait_deliveries(app, &id, |d| {
        customers(d) == 5 && d.iter().all(|x| x["status"] == "succeeded")
    });
    assert!(d.iter().all(|x| x["status"] == "succeeded"), "{d:?}");
    let codes: Vec<String> = receiver.received()[seen..]
        .iter()
        .map(|r| r.json())
        .filter(|e| e["type"] == "customer.created")
        .filter_map(|e| e["data"]["code"].as_str().map(str::to_string))
        .collect();
    assert_eq!(codes, ["RETRY-4", "RETRY-5"]);
}

fn only_admins_manage_webhooks_and_secrets_show_once(app: &TestApp) {
    let receiver = Receiver::start();
    let (id, secret) = subscribe(app, &receiver.url(), json!(["order.*"]));
    let sales = app.token_for("sales");
    app.get("/api/v1/webhooks", &sales).expect(403);
    app.post("/api/v1/webhooks", &sales, &json!({"url": receiver.url()}))
        .expect(403);

    let read = app
        .get(&format!("/api/v1/webhooks/{id}"), &app.admin())
        .expect(200);
    assert!(
        !read.body.to_string().contains(&secret),
        "never shown again"
    );
    let listed = app.get("/api/v1/webhooks", &app.admin()).expect(200);
    assert!(!listed.body.to_string().contains(&secret));
    // Not in the feed or the audit trail either.
    let feed = app.get("/api/v1/events", &app.admin()).expect(200);
    assert!(!feed.body.to_string().contains(&secret));
    let audit = app.get("/api/v1/audit", &app.admin()).expect(200);
    assert!(!audit.body.to_string().contains(&secret));
    // Non-admins do not see webhook events.
    let feed = app
        .get("/api/v1/events?entity_type=webhook", &sales)
        .expect(200);
    assert_eq!(feed.body["items"].as_array().map_or(1, Vec::len), 0);

    let rotated = app
        .call(
            "POST",
            &format!("/api/v1/webhooks/{id}/rotate-secret"),
            Some(&app.admin()),
            None,
            &[("If-Match", "\"1\"")],
        )
        .expect(200);
    let new_secret = rotated.body["secret"].as_str().unwrap_or_default();
    assert!(new_secret.starts_with("whsec_") && new_secret != secret);

    let patched = app
        .patch(
            &format!("/api/v1/webhooks/{id}"),
            &app.admin(),
            &json!({"event_types": ["customer.created"], "description": "only new buyers"}),
        )
        .expect(200);
    assert_eq!(patched.body["event_types"], json!(["customer.created"]));
    app.patch(
        &format!("/api/v1/webhooks/{id}"),
        &app.admin(),
        &json!({"event_types": ["Customer"]}),
    )
    .expect(422);
    customer(app, "ROT-1");
    let got = receiver.wait_for(1);
    assert_eq!(got.len(), 1);
    verify(new_secret, &got[0]);

    app.call(
        "DELETE",
        &format!("/api/v1/webhooks/{id}"),
        Some(&app.admin()),
        None,
        &[("If-Match", "\"1\"")],
    )
    .expect(412);
    app.call(
        "DELETE",
        &format!("/api/v1/webhooks/{id}"),
        Some(&app.admin()),
        None,
        &[],
    )
    .expect(204);
    app.get(&format!("/api/v1/webhooks/{id}"), &app.admin())
        .expect(404);
}

fn two_instances_deliver_each_event_once(app: &TestApp) {
    let Some(second) = app
        .database_url
        .starts_with("postgres")
        .then(|| app.second_instance_with(open))
    else {
        return;
    };
    let receiver = Receiver::start();
    let (_, secret) = subscribe(app, &receiver.url(), json!(["customer.created"]));
    let n = 20;
    for i in 0..n {
        let target = if i % 2 == 0 { app } else { &second };
        target
            .post(
                "/api/v1/customers",
                &target.admin(),
                &json!({"code": format!("TWO-{i}"), "name": "Twin", "country": "DE"}),
            )
            .expect(201);
    }
    let got = receiver.wait_for(n);
    // Give a duplicate, were there one, time to arrive.
    std::thread::sleep(Duration::from_millis(500));
    let got_all = receiver.received();
    assert_eq!(got.len().max(got_all.len()), n, "each event once");
    let ids: HashSet<_> = got_all
        .iter()
        .filter_map(|r| r.header("webhook-id"))
        .collect();
    assert_eq!(ids.len(), n);
    let seqs: Vec<i64> = got_all
        .iter()
        .filter_map(|r| r.json()["seq"].as_i64())
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "in order: {seqs:?}");
    for r in &got_all {
        verify(&secret, r);
    }
}

fn targets_are_checked_when_saved(app: &TestApp) {
    let admin = app.admin();
    let refused = |url: &str| {
        let res = app
            .post("/api/v1/webhooks", &admin, &json!({"url": url}))
            .expect(422);
        assert!(
            res.body.to_string().contains("\"url\""),
            "names the field: {}",
            res.body
        );
    };
    // The defaults: https only, no private or link-local targets.
    refused("http://erp.example.com/hooks");
    refused("https://169.254.169.254/latest/meta-data");
    refused("https://127.0.0.1/hooks");
    refused("https://[::1]/hooks");
    refused("https://10.0.0.8/hooks");
    refused("ftp://erp.example.com/");
    refused("https://user:secret@erp.example.com/");
    app.post(
        "/api/v1/webhooks",
        &admin,
        &json!({"url": "https://erp.example.com/hooks", "event_types": ["nope"]}),
    )
    .expect(422);
    app.post(
        "/api/v1/webhooks",
        &admin,
        &json!({"url": "https://erp.example.com/hooks", "secret": "mine"}),
    )
    .expect(422);
    app.post(
        "/api/v1/webhooks",
        &admin,
        &json!({"url": "https://erp.example.com/hooks"}),
    )
    .expect(201);
}

/// A name that resolves to a private address passes when saved (it is not an address) and is
/// refused when delivered: the check is made on the address resolved at delivery time.
#[test]
fn a_name_resolving_to_a_private_address_is_refused_at_delivery() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = TestApp::start_with(backend, |s| {
            open(s);
            s.webhooks_allow_private = false;
        }) else {
            continue;
        };
        let receiver = Receiver::start();
        let (id, _) = subscribe(
            &app,
            &format!("http://localhost:{}/hooks", receiver.port),
            json!([]),
        );
        customer(&app, "SSRF-1");
        let d = wait_deliveries(&app, &id, |d| {
            d.first()
                .is_some_and(|x| x["attempts"].as_i64().unwrap_or(0) >= 1)
        });
        let attempt = &d[0]["attempt_log"][0];
        assert!(attempt["response_status"].is_null());
        assert!(
            attempt["error"]
                .as_str()
                .is_some_and(|e| e.contains("refused") && e.contains("loopback")),
            "{attempt}"
        );
        assert!(receiver.received().is_empty(), "nothing reached the target");
    }
}
