use serde_json::json;

use crate::common::TestApp;
use crate::on_both_backends;

on_both_backends!(
    customer_lifecycle_with_audit_and_events,
    customer_validation_names_each_field,
    if_match_guards_changes,
    idempotency_key_replays_the_first_answer,
    lists_page_with_cursors_and_filter,
);

fn customer_lifecycle_with_audit_and_events(app: &TestApp) {
    let sales = app.token_for("sales");
    let created = app
        .post("/api/v1/customers", &sales, &json!({"code": "JP-MAG", "name": "Nippon Magnetics", "country": "JP", "external_ref": "SAP-1"}))
        .expect(201);
    let id = created.body["id"].as_str().unwrap_or_default().to_string();
    assert_eq!(
        created.header("location"),
        Some(format!("/api/v1/customers/{id}").as_str())
    );
    assert_eq!(created.header("etag"), Some("\"1\""));
    assert_eq!(created.body["status"], "active");
    assert!(created.header("x-request-id").is_some());

    let read = app
        .get(&format!("/api/v1/customers/{id}"), &sales)
        .expect(200);
    assert_eq!(read.body, created.body);

    let updated = app
        .patch(
            &format!("/api/v1/customers/{id}"),
            &sales,
            &json!({"name": "Nippon Magnetics Corp", "external_ref": null}),
        )
        .expect(200);
    assert_eq!(updated.body["name"], "Nippon Magnetics Corp");
    assert_eq!(updated.body["external_ref"], serde_json::Value::Null);
    assert_eq!(updated.body["country"], "JP");
    assert_eq!(updated.body["version"], 2);

    let archived = app
        .post(
            &format!("/api/v1/customers/{id}/archive"),
            &sales,
            &json!({"reason": "merged"}),
        )
        .expect(200);
    assert_eq!(archived.body["status"], "archived");
    app.post(
        &format!("/api/v1/customers/{id}/archive"),
        &sales,
        &json!({}),
    )
    .expect(409);

    // Duplicates are refused.
    app.post(
        "/api/v1/customers",
        &sales,
        &json!({"code": "JP-MAG", "name": "Other", "country": "JP"}),
    )
    .expect(409);
    app.get(
        &format!("/api/v1/customers/{}", uuid::Uuid::new_v4()),
        &sales,
    )
    .expect(404);
    app.get("/api/v1/customers/not-a-uuid", &sales).expect(404);

    // Audit trail: who, what, before and after, request id.
    let admin = app.admin();
    let audit = app
        .get(
            &format!("/api/v1/audit?entity_type=customer&entity_id={id}"),
            &admin,
        )
        .expect(200);
    let items = audit.body["items"].as_array().cloned().unwrap_or_default();
    let actions: Vec<&str> = items.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["created", "updated", "archived"]);
    assert_eq!(items[1]["before"]["name"], "Nippon Magnetics");
    assert_eq!(items[1]["after"]["name"], "Nippon Magnetics Corp");
    assert!(items[0]["actor"]
        .as_str()
        .unwrap_or("")
        .starts_with("sales"));
    assert_eq!(
        items[0]["request_id"].as_str(),
        created.header("x-request-id")
    );
    assert_eq!(items[2]["after"]["reason"], "merged");

    // Events, in order, with the entity after the change.
    let events = app
        .get("/api/v1/events?type=customer.updated", &sales)
        .expect(200);
    let ev = &events.body["items"][0];
    assert_eq!(ev["entity_id"], id.as_str());
    assert_eq!(ev["data"]["name"], "Nippon Magnetics Corp");
    let all = app
        .get("/api/v1/events?after=0&limit=1000", &sales)
        .expect(200);
    let seqs: Vec<i64> = all.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["seq"].as_i64()).collect())
        .unwrap_or_default();
    assert!(
        seqs.windows(2).all(|w| w[1] == w[0] + 1),
        "seqs are gapless: {seqs:?}"
    );
    let last = all.body["last_seq"].as_i64().unwrap_or(0);
    let none = app
        .get(&format!("/api/v1/events?after={last}"), &sales)
        .expect(200);
    assert_eq!(none.body["items"], json!([]));
    assert_eq!(none.body["last_seq"], last);
}

fn customer_validation_names_each_field(app: &TestApp) {
    let t = app.admin();
    let res = app
        .post(
            "/api/v1/customers",
            &t,
            &json!({"code": "bad code", "name": " ", "country": "Japan"}),
        )
        .expect(422);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert_eq!(res.body["type"], "urn:ndpr:problem:validation");
    assert_eq!(res.error_fields(), ["code", "name", "country"]);
    let res = app
        .post("/api/v1/customers", &t, &json!({"code": "C", "name": "N"}))
        .expect(422);
    assert_eq!(res.error_fields(), ["country"]);
    let res = app
        .post(
            "/api/v1/customers",
            &t,
            &json!({"code": "C", "name": "N", "country": "JP", "colour": "red"}),
        )
        .expect(422);
    assert_eq!(res.error_fields(), ["colour"]);
    let res = app
        .post(
            "/api/v1/customers",
            &t,
            &json!({"code": 7, "name": "N", "country": "JP"}),
        )
        .expect(422);
    assert_eq!(res.error_fields(), ["code"]);
    let id = app
        .post(
            "/api/v1/customers",
            &t,
            &json!({"code": "C", "name": "N", "country": "JP"}),
        )
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let res = app
        .patch(
            &format!("/api/v1/customers/{id}"),
            &t,
            &json!({"country": "xx"}),
        )
        .expect(422);
    assert_eq!(res.error_fields(), ["country"]);
    // Nothing half-written: the failed patch left version 1.
    assert_eq!(
        app.get(&format!("/api/v1/customers/{id}"), &t).body["version"],
        1
    );
}

fn if_match_guards_changes(app: &TestApp) {
    let t = app.admin();
    let id = app
        .post(
            "/api/v1/customers",
            &t,
            &json!({"code": "C", "name": "N", "country": "JP"}),
        )
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let path = format!("/api/v1/customers/{id}");
    let body = json!({"name": "First"});
    let res = app
        .call(
            "PATCH",
            &path,
            Some(&t),
            Some(&body),
            &[("If-Match", "\"1\"")],
        )
        .expect(200);
    assert_eq!(res.header("etag"), Some("\"2\""));
    // A second writer still holding version 1 is refused.
    let stale = app
        .call(
            "PATCH",
            &path,
            Some(&t),
            Some(&json!({"name": "Second"})),
            &[("If-Match", "\"1\"")],
        )
        .expect(412);
    assert_eq!(stale.body["type"], "urn:ndpr:problem:precondition-failed");
    assert_eq!(app.get(&path, &t).body["name"], "First");
    // A request that is wrong in itself is told so first (422), whatever its If-Match says.
    let wrong = app
        .call(
            "PATCH",
            &path,
            Some(&t),
            Some(&json!({"country": "Japan"})),
            &[("If-Match", "\"1\"")],
        )
        .expect(422);
    assert_eq!(wrong.error_fields(), ["country"]);
    app.call(
        "POST",
        &format!("{path}/archive"),
        Some(&t),
        None,
        &[("If-Match", "\"1\"")],
    )
    .expect(412);
    app.call(
        "POST",
        &format!("{path}/archive"),
        Some(&t),
        None,
        &[("If-Match", "\"2\"")],
    )
    .expect(200);
}

fn idempotency_key_replays_the_first_answer(app: &TestApp) {
    let t = app.admin();
    let body = json!({"code": "IDEM", "name": "Once", "country": "KR"});
    let key = [("Idempotency-Key", "order-sync-42")];
    let first = app
        .call("POST", "/api/v1/customers", Some(&t), Some(&body), &key)
        .expect(201);
    let again = app
        .call("POST", "/api/v1/customers", Some(&t), Some(&body), &key)
        .expect(201);
    assert_eq!(again.body, first.body);
    assert_eq!(again.header("etag"), first.header("etag"));
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    let list = app.get("/api/v1/customers?code=IDEM", &t).expect(200);
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1));
    // Same key, different body.
    let other = json!({"code": "IDEM2", "name": "Twice", "country": "KR"});
    let res = app
        .call("POST", "/api/v1/customers", Some(&t), Some(&other), &key)
        .expect(422);
    assert!(res.body["detail"]
        .as_str()
        .unwrap_or("")
        .contains("Idempotency-Key"));
    // Failures are replayed too, and a new key is a new request.
    let bad = json!({"code": "IDEM", "name": "Dup", "country": "KR"});
    app.call(
        "POST",
        "/api/v1/customers",
        Some(&t),
        Some(&bad),
        &[("Idempotency-Key", "k2")],
    )
    .expect(409);
    app.call(
        "POST",
        "/api/v1/customers",
        Some(&t),
        Some(&bad),
        &[("Idempotency-Key", "k2")],
    )
    .expect(409);
    // Audit shows one creation.
    let audit = app
        .get("/api/v1/audit?entity_type=customer", &t)
        .expect(200);
    assert_eq!(audit.body["items"].as_array().map(Vec::len), Some(1));
}

fn lists_page_with_cursors_and_filter(app: &TestApp) {
    let t = app.admin();
    for i in 0..7 {
        let country = if i % 2 == 0 { "DE" } else { "US" };
        app.post(
            "/api/v1/customers",
            &t,
            &json!({"code": format!("C-{i}"), "name": format!("Customer {i}"), "country": country}),
        )
        .expect(201);
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/customers?limit=3&cursor={c}"),
            None => "/api/v1/customers?limit=3".to_string(),
        };
        let page = app.get(&path, &t).expect(200);
        for c in page.body["items"].as_array().cloned().unwrap_or_default() {
            seen.push(c["code"].as_str().unwrap_or_default().to_string());
        }
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, (0..7).map(|i| format!("C-{i}")).collect::<Vec<_>>());
    let de = app.get("/api/v1/customers?country=DE", &t).expect(200);
    assert_eq!(de.body["items"].as_array().map(Vec::len), Some(4));
    let future = (chrono::Utc::now() + chrono::Duration::hours(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let none = app
        .get(&format!("/api/v1/customers?updated_since={future}"), &t)
        .expect(200);
    assert_eq!(none.body["items"], json!([]));
    let past = "2020-01-01T00:00:00Z";
    let all = app
        .get(
            &format!("/api/v1/customers?updated_since={past}&limit=500"),
            &t,
        )
        .expect(200);
    assert_eq!(all.body["items"].as_array().map(Vec::len), Some(7));
    app.get("/api/v1/customers?limit=0", &t).expect(422);
    app.get("/api/v1/customers?cursor=garbage", &t).expect(422);
    app.get("/api/v1/customers?status=sleeping", &t).expect(422);
}
