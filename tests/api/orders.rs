use serde_json::json;

use crate::common::TestApp;
use crate::fixtures::*;
use crate::on_both_backends;

on_both_backends!(
    confirmation_is_checked_against_atp,
    add_on_orders_follow_their_contract,
    order_validation_and_lifecycle_rules,
);

fn confirmation_is_checked_against_atp(app: &TestApp) {
    let c = customer(app, "C-1");
    let p = product(app, "P-1");
    approved_plan(app, &[(&p, "2027-01", "100")]);
    let sales = app.token_for("sales");
    let first = id(&spot_order(app, &sales, &c, &p, "2027-01", "60"));
    let second = id(&spot_order(app, &sales, &c, &p, "2027-01", "60"));
    app.post(
        &format!("/api/v1/orders/{first}/submit"),
        &sales,
        &json!({}),
    )
    .expect(200);
    // Submitted orders are pending, not demand.
    let rec = reconciliation(app, &p);
    assert_eq!(row(&rec, "2027-01")["pending_kg"], "120.000");
    assert_eq!(row(&rec, "2027-01")["atp_kg"], "100.000");

    let ok = app
        .post(
            &format!("/api/v1/orders/{first}/confirm"),
            &sales,
            &json!({}),
        )
        .expect(200);
    assert_eq!(ok.body["status"], "confirmed");
    assert!(ok.body["confirmed_at"].is_string());
    let atp = app
        .get(
            &format!("/api/v1/atp?product_id={p}&period=2027-01"),
            &sales,
        )
        .expect(200);
    assert_eq!(atp.body["atp_kg"], "40.000");

    let refused = app
        .post(
            &format!("/api/v1/orders/{second}/confirm"),
            &sales,
            &json!({}),
        )
        .expect(409);
    assert_eq!(
        refused.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(refused.body["requested_kg"], "60.000");
    assert_eq!(refused.body["available_kg"], "40.000");
    assert_eq!(refused.body["first_short_period"], "2027-01");
    // Sales may not override; a planner may, with a reason; the override is audited.
    app.post(
        &format!("/api/v1/orders/{second}/confirm"),
        &sales,
        &json!({"override": true, "reason": "VIP"}),
    )
    .expect(403);
    let planner = app.token_for("planner");
    app.post(
        &format!("/api/v1/orders/{second}/confirm"),
        &planner,
        &json!({"override": true}),
    )
    .expect(422);
    app.post(
        &format!("/api/v1/orders/{second}/confirm"),
        &planner,
        &json!({"override": true, "reason": "VIP customer"}),
    )
    .expect(200);
    let rec = reconciliation(app, &p);
    let jan = row(&rec, "2027-01");
    assert_eq!(jan["spot_kg"], "120.000");
    assert_eq!(jan["shortfall_kg"], "20.000");
    assert_eq!(jan["orders_at_risk"], json!([second]));
    let audit = app
        .get(
            &format!("/api/v1/audit?entity_type=order&entity_id={second}"),
            &app.admin(),
        )
        .expect(200);
    let last = audit.body["items"]
        .as_array()
        .and_then(|a| a.last().cloned())
        .unwrap_or_default();
    assert_eq!(last["action"], "confirmed");
    assert_eq!(last["after"]["atp_override"], true);
    assert_eq!(last["after"]["reason"], "VIP customer");

    // Cancelling frees the quantity.
    app.post(
        &format!("/api/v1/orders/{second}/cancel"),
        &sales,
        &json!({}),
    )
    .expect(422);
    app.post(
        &format!("/api/v1/orders/{second}/cancel"),
        &sales,
        &json!({"reason": "customer withdrew"}),
    )
    .expect(200);
    let rec = reconciliation(app, &p);
    assert_eq!(row(&rec, "2027-01")["shortfall_kg"], "0.000");
    assert_eq!(row(&rec, "2027-01")["atp_kg"], "40.000");
    let csv = app
        .call(
            "GET",
            &format!("/api/v1/reconciliation?product_id={p}"),
            Some(&sales),
            None,
            &[("Accept", "text/csv")],
        )
        .expect(200);
    assert!(csv
        .header("content-type")
        .unwrap_or("")
        .starts_with("text/csv"));
    assert!(csv
        .text
        .starts_with("period,planned_kg,actual_kg,supply_kg"));
    // The CSV twin: its own operation, the same document.
    let twin = app
        .get(
            &format!("/api/v1/reconciliation.csv?product_id={p}"),
            &sales,
        )
        .expect(200);
    assert!(twin
        .header("content-type")
        .unwrap_or("")
        .starts_with("text/csv"));
    assert_eq!(twin.text, csv.text);
    for report in [
        "/api/v1/reconciliation/summary.csv?from=2026-11&to=2027-02",
        "/api/v1/deliveries.csv?from=2026-11&to=2027-02",
        "/api/v1/reports/pricing-exposure.csv?from=2026-11&to=2027-02",
    ] {
        let r = app.get(report, &sales).expect(200);
        assert!(
            r.header("content-disposition")
                .is_some_and(|d| d.contains(".csv")),
            "{report}"
        );
        assert!(
            r.text.lines().count() >= 1,
            "{report}: a header row at least"
        );
    }
    assert!(
        csv.text.contains(
            "2027-01,100.000,,100.000,0.000,0.000,60.000,0.000,60.000,40.000,0.000,40.000,,0"
        ),
        "{}",
        csv.text
    );
}

fn add_on_orders_follow_their_contract(app: &TestApp) {
    let c = customer(app, "C-1");
    let other = customer(app, "C-2");
    let p = product(app, "P-1");
    approved_plan(app, &[(&p, "2027-01", "1000"), (&p, "2027-02", "1000")]);
    let contract = draft_contract(app, &c, &p, &[("2027-01", "100"), ("2027-02", "100")]);
    let sales = app.token_for("sales");
    let add_on = |customer: &str, period: &str| json!({"order_type": "add_on", "contract_id": contract, "customer_id": customer, "product_id": p, "period": period, "quantity_kg": "50"});
    // The contract must be active.
    let res = app
        .post("/api/v1/orders", &sales, &add_on(&c, "2027-01"))
        .expect(422);
    assert_eq!(res.error_fields(), ["contract_id"]);
    app.post(
        &format!("/api/v1/contracts/{contract}/activate"),
        &sales,
        &json!({}),
    )
    .expect(200);
    let order = app
        .post("/api/v1/orders", &sales, &add_on(&c, "2027-01"))
        .expect(201);
    assert_eq!(order.body["pricing_source"], "contract");
    assert_eq!(
        order.body["pricing"],
        json!({"type": "fixed", "unit_price": "64.50"})
    );
    assert_eq!(order.body["currency"], "USD");
    assert_eq!(order.body["incoterm"], "FOB");
    assert!(order.body["number"]
        .as_str()
        .unwrap_or("")
        .starts_with("ORD-"));
    // Other customer, month outside the term, no contract.
    assert_eq!(
        app.post("/api/v1/orders", &sales, &add_on(&other, "2027-01"))
            .expect(422)
            .error_fields(),
        ["contract_id"]
    );
    assert_eq!(
        app.post("/api/v1/orders", &sales, &add_on(&c, "2027-05"))
            .expect(422)
            .error_fields(),
        ["period"]
    );
    let mut no_contract = add_on(&c, "2027-01");
    no_contract.as_object_mut().map(|o| o.remove("contract_id"));
    assert_eq!(
        app.post("/api/v1/orders", &sales, &no_contract)
            .expect(422)
            .error_fields(),
        ["contract_id"]
    );
    // Confirmed add-on demand shows as add-on.
    let oid = id(&order.body);
    app.post(&format!("/api/v1/orders/{oid}/confirm"), &sales, &json!({}))
        .expect(200);
    assert_eq!(
        row(&reconciliation(app, &p), "2027-01")["addon_kg"],
        "50.000"
    );
    let list = app
        .get(
            &format!("/api/v1/orders?contract_id={contract}&status=confirmed"),
            &sales,
        )
        .expect(200);
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1));
}

fn order_validation_and_lifecycle_rules(app: &TestApp) {
    let c = customer(app, "C-1");
    let p = product(app, "P-1");
    let sales = app.token_for("sales");
    let res = app
        .post("/api/v1/orders", &sales, &json!({"order_type": "spot", "customer_id": c, "product_id": p, "period": "2027-01", "quantity_kg": "0"}))
        .expect(422);
    assert_eq!(
        res.error_fields(),
        [
            "quantity_kg",
            "pricing",
            "currency",
            "incoterm",
            "incoterm_place"
        ]
    );
    let res = app
        .post("/api/v1/orders", &sales, &json!({"order_type": "barter", "customer_id": c, "product_id": p, "period": "2027-01", "quantity_kg": "1"}))
        .expect(422);
    assert_eq!(res.error_fields(), ["order_type"]);
    let order = spot_order(app, &sales, &c, &p, "2027-01", "10");
    let oid = id(&order);
    app.patch(
        &format!("/api/v1/orders/{oid}"),
        &sales,
        &json!({"quantity_kg": "12.5"}),
    )
    .expect(200);
    app.post(
        &format!("/api/v1/orders/{oid}/reject"),
        &sales,
        &json!({"reason": "x"}),
    )
    .expect(409);
    app.post(&format!("/api/v1/orders/{oid}/submit"), &sales, &json!({}))
        .expect(200);
    app.patch(
        &format!("/api/v1/orders/{oid}"),
        &sales,
        &json!({"quantity_kg": "1"}),
    )
    .expect(409);
    app.post(&format!("/api/v1/orders/{oid}/reject"), &sales, &json!({}))
        .expect(422);
    let rejected = app
        .post(
            &format!("/api/v1/orders/{oid}/reject"),
            &sales,
            &json!({"reason": "credit limit"}),
        )
        .expect(200);
    assert_eq!(rejected.body["status"], "rejected");
    app.post(&format!("/api/v1/orders/{oid}/confirm"), &sales, &json!({}))
        .expect(409);
    // Roles: a planner may not create orders, integration may.
    let planner = app.token_for("planner");
    app.post("/api/v1/orders", &planner, &json!({"order_type": "spot", "customer_id": c, "product_id": p, "period": "2027-01", "quantity_kg": "1"})).expect(403);
    spot_order(app, &app.token_for("integration"), &c, &p, "2027-01", "1");
    let events = app
        .get("/api/v1/events?type=order.rejected", &sales)
        .expect(200);
    assert_eq!(events.body["items"][0]["entity_id"], oid.as_str());
}
