//! Never wedged, never lost: each example of the robustness issue, over HTTP, on both backends.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;

use serde_json::json;

use crate::common::{in_parallel, status_of, TestApp, ADMIN_PASSWORD};
use crate::fixtures::*;
use crate::on_both_backends;

on_both_backends!(
    a_panic_in_a_write_rolls_back_and_the_next_write_succeeds,
    overflowing_numbers_are_refused_with_the_field,
    an_add_on_price_beyond_the_bound_is_refused,
    the_feed_and_audit_hide_users_from_non_admins,
    an_override_grants_no_write_the_role_lacks,
    the_last_admin_stays_and_password_changes_end_tokens,
    guesses_from_another_address_never_lock_the_user_out,
    parallel_guesses_count_before_the_password_check,
    overlong_credentials_are_refused_before_the_database,
    invented_methods_do_not_grow_the_metrics,
    racing_idempotent_posts_run_once,
    token_answers_are_never_replayed,
);

fn a_panic_in_a_write_rolls_back_and_the_next_write_succeeds(app: &TestApp) {
    let t = app.admin();
    ndpr_contracts::fault::arm_panic_in_write(&app.database_url);
    let res = app.post(
        "/api/v1/customers",
        &t,
        &json!({"code": "PANIC-1", "name": "Panicking buyer", "country": "JP"}),
    );
    assert_eq!(res.status, 500, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert!(
        !res.text.contains("panic"),
        "internals leaked: {}",
        res.text
    );
    app.call("GET", "/health/ready", None, None, &[])
        .expect(200);
    // The next write succeeds: nothing was left open in the pool.
    customer(app, "AFTER-1");
    app.call("GET", "/health/ready", None, None, &[])
        .expect(200);
    let list = app.get("/api/v1/customers", &t).expect(200);
    let codes: Vec<&str> = list.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["code"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        codes,
        ["AFTER-1"],
        "nothing of the panicking transaction is stored"
    );
    let events = app
        .get("/api/v1/events?type=customer.created", &t)
        .expect(200);
    assert_eq!(events.body["items"].as_array().map(Vec::len), Some(1));
    // Logging in (a write of the throttle row) works too.
    app.login("admin", ADMIN_PASSWORD).expect(200);
}

fn overflowing_numbers_are_refused_with_the_field(app: &TestApp) {
    let t = app.admin();
    let (c, p) = (customer(app, "C-1"), product(app, "P-1"));
    let mut body = contract_body(&c, &p, &[("2027-01", "100")]);
    body["pricing"] = json!({"type": "fixed", "unit_price": "79228162514264337593543950335"});
    body["addon_premium"] = json!("1");
    let res = app.post("/api/v1/contracts", &t, &body).expect(422);
    assert_eq!(res.error_fields(), ["pricing.unit_price"]);
    let preview = app
        .post(
            "/api/v1/pricing/preview",
            &app.token_for("viewer"),
            &json!({"pricing": {"type": "index", "index_id": uuid::Uuid::new_v4(), "multiplier": "79228162514264337593543950335"}, "period": "2027-01", "currency": "USD"}),
        )
        .expect(422);
    assert_eq!(preview.error_fields(), ["pricing.multiplier"]);
    let mut order = json!({
        "order_type": "spot", "customer_id": c, "product_id": p, "period": "2027-01",
        "quantity_kg": "9223372036854775.807", "pricing": {"type": "fixed", "unit_price": "70"},
        "currency": "USD", "incoterm": "CIF", "incoterm_place": "Busan"
    });
    let res = app.post("/api/v1/orders", &t, &order).expect(422);
    assert_eq!(res.error_fields(), ["quantity_kg"]);
    order["quantity_kg"] = json!("100000000.001");
    app.post("/api/v1/orders", &t, &order).expect(422);
    order["quantity_kg"] = json!("100000000");
    app.post("/api/v1/orders", &t, &order).expect(201);
}

fn an_add_on_price_beyond_the_bound_is_refused(app: &TestApp) {
    let t = app.admin();
    let (c, p) = (customer(app, "C-1"), product(app, "P-1"));
    approved_plan(app, &[(&p, "2027-01", "1000")]);
    let mut body = contract_body(&c, &p, &[("2027-01", "100")]);
    body["pricing"] = json!({"type": "fixed", "unit_price": "1000000"});
    body["addon_premium"] = json!("1");
    let contract = id(&app.post("/api/v1/contracts", &t, &body).expect(201).body);
    app.post(
        &format!("/api/v1/contracts/{contract}/activate"),
        &t,
        &json!({}),
    )
    .expect(200);
    let res = app
        .post(
            "/api/v1/orders",
            &t,
            &json!({"order_type": "add_on", "contract_id": contract, "customer_id": c, "product_id": p, "period": "2027-01", "quantity_kg": "10"}),
        )
        .expect(422);
    assert_eq!(res.error_fields(), ["pricing"]);
    // The service is not wedged: writes and logins go on.
    customer(app, "C-2");
    app.login("admin", ADMIN_PASSWORD).expect(200);
}

fn the_feed_and_audit_hide_users_from_non_admins(app: &TestApp) {
    let viewer = app.token_for("viewer");
    let integration = app.token_for("integration");
    let sales = app.token_for("sales");
    customer(app, "C-1");
    for token in [&viewer, &integration, &sales] {
        let feed = app.get("/api/v1/events?limit=1000", token).expect(200);
        let items = feed.body["items"].as_array().cloned().unwrap_or_default();
        assert!(
            items.iter().all(|e| e["entity_type"] != "user"),
            "{items:?}"
        );
        assert!(items.iter().any(|e| e["type"] == "customer.created"));
    }
    let feed = app
        .get("/api/v1/events?type=user.created", &app.admin())
        .expect(200);
    assert!(feed.body["items"].as_array().is_some_and(|a| a.len() >= 3));
    let audit = app
        .get("/api/v1/audit?entity_type=user", &sales)
        .expect(200);
    assert_eq!(audit.body["items"], json!([]));
}

fn an_override_grants_no_write_the_role_lacks(app: &TestApp) {
    let (c, p) = (customer(app, "C-1"), product(app, "P-1"));
    approved_plan(app, &[(&p, "2027-01", "1000")]);
    let sales = app.token_for("sales");
    let planner = app.token_for("planner");
    let order = id(&spot_order(app, &sales, &c, &p, "2027-01", "100"));
    let override_body = json!({"override": true, "reason": "because"});
    // Nothing is short: a planner's override confirms nothing.
    app.post(
        &format!("/api/v1/orders/{order}/confirm"),
        &planner,
        &override_body,
    )
    .expect(403);
    app.post(
        &format!("/api/v1/orders/{order}/confirm"),
        &planner,
        &json!({}),
    )
    .expect(403);
    let contract = draft_contract(app, &c, &p, &[("2027-01", "100")]);
    app.post(
        &format!("/api/v1/contracts/{contract}/activate"),
        &planner,
        &override_body,
    )
    .expect(403);
    app.post(
        &format!("/api/v1/contracts/{contract}/activate"),
        &sales,
        &json!({}),
    )
    .expect(200);
    // Shrinking a schedule is no ATP matter: a planner may not, override or not.
    app.put(
        &format!("/api/v1/contracts/{contract}/schedule"),
        &planner,
        &json!({"schedule": [{"period": "2027-01", "quantity_kg": "50"}], "reason": "less", "override": true}),
    )
    .expect(403);
    app.post(
        &format!("/api/v1/orders/{order}/cancel"),
        &planner,
        &json!({"reason": "x"}),
    )
    .expect(403);
}

fn the_last_admin_stays_and_password_changes_end_tokens(app: &TestApp) {
    let admin = app.admin();
    let me = app.get("/api/v1/me", &admin).expect(200);
    let me_id = id(&me.body);
    app.post(
        &format!("/api/v1/users/{me_id}/deactivate"),
        &admin,
        &json!({}),
    )
    .expect(409);
    app.patch(
        &format!("/api/v1/users/{me_id}"),
        &admin,
        &json!({"active": false}),
    )
    .expect(409);
    // A second admin cannot demote the first while it is the last other admin.
    app.post(
        "/api/v1/users",
        &admin,
        &json!({"username": "second", "password": "a-long-test-password", "role": "admin"}),
    )
    .expect(201);
    let second = app.login("second", "a-long-test-password").expect(200).body["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    app.patch(
        &format!("/api/v1/users/{me_id}"),
        &second,
        &json!({"role": "viewer"}),
    )
    .expect(200);
    let second_id = id(&app.get("/api/v1/me", &second).expect(200).body);
    app.post(
        &format!("/api/v1/users/{second_id}/deactivate"),
        &second,
        &json!({}),
    )
    .expect(409);
    // A password change ends the tokens issued before it, at once on this instance.
    let sales_user = app
        .post(
            "/api/v1/users",
            &second,
            &json!({"username": "akiko", "password": "a-long-test-password", "role": "sales"}),
        )
        .expect(201);
    let old = app.login("akiko", "a-long-test-password").expect(200).body["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    app.get("/api/v1/me", &old).expect(200);
    app.patch(
        &format!("/api/v1/users/{}", id(&sales_user.body)),
        &second,
        &json!({"password": "another-long-password"}),
    )
    .expect(200);
    let refused = app.get("/api/v1/me", &old).expect(401);
    assert!(refused.text.contains("log in again"), "{}", refused.text);
    app.login("akiko", "another-long-password").expect(200);
}

/// Sends a raw HTTP request from a chosen local address.
fn post_from(local: &str, app: &TestApp, path: &str, body: &str) -> u16 {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap_or_else(|e| panic!("{e}"));
    let local: SocketAddr = format!("{local}:0")
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    socket.bind(&local.into()).unwrap_or_else(|e| panic!("{e}"));
    let port: u16 = app
        .base
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let server: SocketAddr = format!("127.0.0.1:{port}")
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    socket
        .connect(&server.into())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut stream: TcpStream = socket.into();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn guesses_from_another_address_never_lock_the_user_out(app: &TestApp) {
    let wrong = json!({"username": "admin", "password": "not-the-password"}).to_string();
    let statuses: Vec<u16> = (0..12)
        .map(|_| post_from("127.0.0.2", app, "/api/v1/auth/token", &wrong))
        .collect();
    assert_eq!(&statuses[..5], [401, 401, 401, 401, 401], "{statuses:?}");
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    // The real admin, from their own address, logs in.
    app.login("admin", ADMIN_PASSWORD).expect(200);
    let right = json!({"username": "admin", "password": ADMIN_PASSWORD}).to_string();
    assert_eq!(
        post_from("127.0.0.3", app, "/api/v1/auth/token", &right),
        200
    );
}

fn parallel_guesses_count_before_the_password_check(app: &TestApp) {
    app.token_for("sales");
    let base = app.base.clone();
    let statuses = in_parallel(48, move |_| {
        status_of(
            ureq::post(&format!("{base}/api/v1/auth/token"))
                .send_json(json!({"username": "admin", "password": "wrong-guess-here"})),
        )
    });
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(checked + refused, 48, "{statuses:?}");
    assert!(
        checked <= 5,
        "{checked} guesses reached the password check: {statuses:?}"
    );
}

fn overlong_credentials_are_refused_before_the_database(app: &TestApp) {
    let res = app
        .login(&"a".repeat(60_000), "whatever password")
        .expect(422);
    assert_eq!(res.error_fields(), ["username"]);
    let res = app.login("admin", &"x".repeat(1025)).expect(422);
    assert_eq!(res.error_fields(), ["password"]);
    app.login("admin", ADMIN_PASSWORD).expect(200);
}

fn invented_methods_do_not_grow_the_metrics(app: &TestApp) {
    let method = |m: &str| {
        let res = ureq::request(m, &app.url("/api/v1/customers")).call();
        match res {
            Ok(r) => r.status(),
            Err(ureq::Error::Status(code, _)) => code,
            Err(e) => panic!("{e}"),
        }
    };
    method("FROB0");
    let before = app
        .call("GET", "/metrics", None, None, &[])
        .expect(200)
        .text;
    for i in 1..40 {
        method(&format!("FROB{i}"));
    }
    let after = app
        .call("GET", "/metrics", None, None, &[])
        .expect(200)
        .text;
    assert!(after.contains("method=\"other\""));
    assert!(!after.contains("FROB"));
    let series = |t: &str| t.matches("http_requests_total{").count();
    // Only the series of the /metrics call itself may be new.
    assert!(
        series(&after) <= series(&before) + 1,
        "{before}\n---\n{after}"
    );
}

fn racing_idempotent_posts_run_once(app: &TestApp) {
    let t = Arc::new(app.admin());
    let base = Arc::new(app.base.clone());
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (base, t) = (base.clone(), t.clone());
            std::thread::spawn(move || {
                let res = ureq::post(&format!("{base}/api/v1/customers"))
                    .set("Authorization", &format!("Bearer {t}"))
                    .set("Idempotency-Key", "race-key-1")
                    .send_json(json!({"code": "RACE", "name": "Racing buyer", "country": "JP"}));
                match res {
                    Ok(r) => (r.status(), r.header("idempotent-replayed").is_some()),
                    Err(ureq::Error::Status(code, _)) => (code, false),
                    Err(e) => panic!("{e}"),
                }
            })
        })
        .collect();
    let results: Vec<(u16, bool)> = handles
        .into_iter()
        .map(|h| h.join().unwrap_or((0, false)))
        .collect();
    let fresh = results
        .iter()
        .filter(|(s, replay)| *s == 201 && !replay)
        .count();
    assert_eq!(fresh, 1, "{results:?}");
    assert!(
        results.iter().all(|(s, _)| *s == 201 || *s == 409),
        "{results:?}"
    );
    let list = app.get("/api/v1/customers?code=RACE", &t).expect(200);
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1));
}

fn token_answers_are_never_replayed(app: &TestApp) {
    let t = app.admin();
    let body = json!({"username": "admin", "password": ADMIN_PASSWORD});
    let headers = [("Idempotency-Key", "login-key-1"), ("Authorization", "")];
    let auth = format!("Bearer {t}");
    let headers = [headers[0], ("Authorization", auth.as_str())];
    let first = app
        .call("POST", "/api/v1/auth/token", None, Some(&body), &headers)
        .expect(200);
    let second = app
        .call("POST", "/api/v1/auth/token", None, Some(&body), &headers)
        .expect(200);
    assert!(first.header("idempotent-replayed").is_none());
    assert!(second.header("idempotent-replayed").is_none());
}
