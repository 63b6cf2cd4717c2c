//! Upsert by the ERP's reference: create or update, unchanged detection, If-Match, the rules of
//! the normal endpoints, and races that never create two rows.

use serde_json::{json, Value};

use crate::common::{in_parallel, status_of, TestApp};
use crate::fixtures::*;
use crate::on_both_backends;

on_both_backends!(
    customer_upsert_creates_updates_and_leaves_alone,
    product_upsert_validates_as_create_does,
    order_upsert_edits_drafts_and_keeps_what_never_changes,
    contract_upsert_edits_drafts_and_refuses_active_terms,
    racing_upserts_of_one_reference_create_one_row,
);

fn events_about(app: &TestApp, id: &str) -> usize {
    app.get(&format!("/api/v1/events?entity_id={id}"), &app.admin())
        .expect(200)
        .body["items"]
        .as_array()
        .map_or(0, Vec::len)
}

fn put_if_match(
    app: &TestApp,
    path: &str,
    token: &str,
    body: &Value,
    tag: &str,
) -> crate::common::Resp {
    app.call("PUT", path, Some(token), Some(body), &[("If-Match", tag)])
}

fn customer_upsert_creates_updates_and_leaves_alone(app: &TestApp) {
    let erp = app.token_for("integration");
    let path = "/api/v1/customers/by-ref/SAP-100234";
    let body = json!({"code": "JP-MAG", "name": "Nippon Magnetics", "country": "JP"});

    let created = app.put(path, &erp, &body).expect(201);
    let id = id(&created.body);
    assert_eq!(created.header("upsert-outcome"), Some("created"));
    assert_eq!(
        created.header("location"),
        Some(format!("/api/v1/customers/{id}").as_str())
    );
    assert_eq!(created.header("etag"), Some("\"1\""));
    assert_eq!(created.body["external_ref"], "SAP-100234");

    // The same again: nothing written, same version, no new event.
    let again = app.put(path, &erp, &body).expect(200);
    assert_eq!(again.header("upsert-outcome"), Some("unchanged"));
    assert_eq!(again.body["version"], 1);
    assert_eq!(events_about(app, &id), 1);

    // A change: one update, with its event.
    let renamed = json!({"code": "JP-MAG", "name": "Nippon Magnetics Corp", "country": "JP"});
    let updated = app.put(path, &erp, &renamed).expect(200);
    assert_eq!(updated.header("upsert-outcome"), Some("updated"));
    assert_eq!(updated.body["id"], id.as_str());
    assert_eq!(updated.body["version"], 2);
    assert_eq!(updated.body["name"], "Nippon Magnetics Corp");
    assert_eq!(events_about(app, &id), 2);

    // If-Match: against the stored version; with nothing stored it fails.
    put_if_match(app, path, &erp, &body, "\"1\"").expect(412);
    // A body wrong in itself is told so first, whatever the If-Match.
    let mut wrong = body.clone();
    wrong["country"] = serde_json::json!("Japan");
    let refused = put_if_match(app, path, &erp, &wrong, "\"1\"").expect(422);
    assert_eq!(refused.error_fields(), ["country"]);
    put_if_match(app, path, &erp, &body, "\"2\"").expect(200);
    put_if_match(
        app,
        "/api/v1/customers/by-ref/SAP-NEW",
        &erp,
        &body,
        "\"1\"",
    )
    .expect(412);

    // The rules of the normal endpoints.
    let bad = app
        .put(
            "/api/v1/customers/by-ref/SAP-2",
            &erp,
            &json!({"code": "bad code", "name": "X", "country": "Japan"}),
        )
        .expect(422);
    assert_eq!(bad.error_fields(), ["code", "country"]);
    let mismatch = app
        .put(
            "/api/v1/customers/by-ref/SAP-3",
            &erp,
            &json!({"code": "C3", "name": "X", "country": "DE", "external_ref": "SAP-4"}),
        )
        .expect(422);
    assert_eq!(mismatch.error_fields(), ["external_ref"]);
    // Another customer's code under a new reference: 409, nothing created.
    app.put("/api/v1/customers/by-ref/SAP-5", &erp, &body)
        .expect(409);
    app.put(path, &app.token_for("viewer"), &body).expect(403);
    let listed = app.get("/api/v1/customers?limit=100", &erp).expect(200);
    assert_eq!(listed.body["items"].as_array().map(Vec::len), Some(1));
}

fn product_upsert_validates_as_create_does(app: &TestApp) {
    let planner = app.token_for("planner");
    let path = "/api/v1/products/by-ref/MAT-7";
    let body =
        json!({"code": "NDPR-OX", "name": "NdPr oxide", "form": "oxide", "min_purity_pct": "99.5"});
    app.put(path, &planner, &body).expect(201);
    let same_but_other_spelling = json!({"code": "NDPR-OX", "name": "NdPr oxide", "form": "oxide", "min_purity_pct": "99.50"});
    let again = app
        .put(path, &planner, &same_but_other_spelling)
        .expect(200);
    assert_eq!(again.header("upsert-outcome"), Some("unchanged"));
    let bad = app
        .put(
            path,
            &planner,
            &json!({"code": "NDPR-OX", "name": "NdPr oxide", "form": "oxide", "min_purity_pct": "101"}),
        )
        .expect(422);
    assert_eq!(bad.error_fields(), ["min_purity_pct"]);
    app.put(path, &app.token_for("sales"), &body).expect(403);
}

fn order_body(c: &str, p: &str, kg: &str) -> Value {
    json!({
        "order_type": "spot", "customer_id": c, "product_id": p,
        "period": "2027-01", "quantity_kg": kg,
        "pricing": {"type": "fixed", "unit_price": "70"}, "currency": "USD",
        "incoterm": "CIF", "incoterm_place": "Busan"
    })
}

fn order_upsert_edits_drafts_and_keeps_what_never_changes(app: &TestApp) {
    let erp = app.token_for("integration");
    let c = customer(app, "C-1");
    let other = customer(app, "C-2");
    let p = product(app, "P-1");
    approved_plan(app, &[(&p, "2027-01", "1000")]);
    let path = "/api/v1/orders/by-ref/PO-4711";

    let created = app.put(path, &erp, &order_body(&c, &p, "100")).expect(201);
    let id = id(&created.body);
    assert_eq!(created.body["status"], "draft");
    assert_eq!(created.body["external_ref"], "PO-4711");
    let same = app
        .put(path, &erp, &order_body(&c, &p, "100.000"))
        .expect(200);
    assert_eq!(same.header("upsert-outcome"), Some("unchanged"));
    let more = app.put(path, &erp, &order_body(&c, &p, "150")).expect(200);
    assert_eq!(more.header("upsert-outcome"), Some("updated"));
    assert_eq!(more.body["quantity_kg"], "150.000");

    let moved = app
        .put(path, &erp, &order_body(&other, &p, "150"))
        .expect(409);
    assert!(
        moved.body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("customer_id"),
        "{}",
        moved.body
    );

    // Status changes stay explicit; a confirmed order's quantity no longer follows.
    app.post(
        &format!("/api/v1/orders/{id}/confirm"),
        &app.token_for("sales"),
        &json!({}),
    )
    .expect(200);
    app.put(path, &erp, &order_body(&c, &p, "200")).expect(409);
    let unchanged = app.put(path, &erp, &order_body(&c, &p, "150")).expect(200);
    assert_eq!(unchanged.body["status"], "confirmed");
    let rec = reconciliation(app, &p);
    assert_eq!(row(&rec, "2027-01")["spot_kg"], "150.000");
}

fn contract_upsert_edits_drafts_and_refuses_active_terms(app: &TestApp) {
    let sales = app.token_for("sales");
    let c = customer(app, "C-1");
    let p = product(app, "P-1");
    approved_plan(app, &[(&p, "2027-01", "1000"), (&p, "2027-02", "1000")]);
    let path = "/api/v1/contracts/by-ref/CTR-9";
    let body = contract_body(&c, &p, &[("2027-01", "100"), ("2027-02", "100")]);

    let created = app.put(path, &sales, &body).expect(201);
    let id = id(&created.body);
    let same = app.put(path, &sales, &body).expect(200);
    assert_eq!(same.header("upsert-outcome"), Some("unchanged"));
    let mut wider = body.clone();
    wider["tolerance_pct"] = json!("10");
    let updated = app.put(path, &sales, &wider).expect(200);
    assert_eq!(updated.header("upsert-outcome"), Some("updated"));
    assert_eq!(updated.body["tolerance_pct"], "10.0");

    app.post(
        &format!("/api/v1/contracts/{id}/activate"),
        &sales,
        &json!({}),
    )
    .expect(200);
    let again = app.put(path, &sales, &wider).expect(200);
    assert_eq!(again.header("upsert-outcome"), Some("unchanged"));
    assert_eq!(again.body["status"], "active");
    app.put(path, &sales, &body).expect(409);
    app.put(path, &app.token_for("integration"), &body)
        .expect(403);
}

const RACERS: usize = 8;

/// Racing upserts of one new reference, spread over two instances: one creates, the others
/// update or find it unchanged, and one row exists.
fn racing_upserts_of_one_reference_create_one_row(app: &TestApp) {
    let second = app.second_instance_if_shared();
    let bases: Vec<String> = [Some(app), second.as_ref()]
        .into_iter()
        .flatten()
        .map(|a| a.base.clone())
        .collect();
    let token = app.token_for("integration");
    let auth = format!("Bearer {token}");
    let statuses = in_parallel(RACERS, move |i| {
        status_of(
            ureq::put(&format!(
                "{}/api/v1/customers/by-ref/SAP-RACE",
                bases[i % bases.len()]
            ))
            .set("Authorization", &auth)
            .send_json(json!({"code": "RACE", "name": "Racer", "country": "DE"})),
        )
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        RACERS - 1,
        "{statuses:?}"
    );
    let found = app
        .get("/api/v1/customers?external_ref=SAP-RACE", &token)
        .expect(200);
    assert_eq!(found.body["items"].as_array().map(Vec::len), Some(1));
}
