use serde_json::json;

use crate::common::TestApp;
use crate::fixtures::*;
use crate::on_both_backends;

on_both_backends!(
    plan_revisions_overlay_and_show_their_impact,
    actuals_and_snapshots_feed_the_reconciliation
);

fn plan_revisions_overlay_and_show_their_impact(app: &TestApp) {
    let c = customer(app, "C-1");
    let p = product(app, "P-1");
    let planner = app.token_for("planner");
    let v1 = approved_plan(
        app,
        &[
            (&p, "2027-01", "300"),
            (&p, "2027-02", "300"),
            (&p, "2027-03", "300"),
        ],
    );
    let contract = draft_contract(
        app,
        &c,
        &p,
        &[("2027-01", "200"), ("2027-02", "200"), ("2027-03", "200")],
    );
    let sales = app.token_for("sales");
    app.post(
        &format!("/api/v1/contracts/{contract}/activate"),
        &sales,
        &json!({}),
    )
    .expect(200);
    let spot = id(&spot_order(app, &sales, &c, &p, "2027-02", "100"));
    app.post(
        &format!("/api/v1/orders/{spot}/confirm"),
        &sales,
        &json!({}),
    )
    .expect(200);

    // Revision 2 cuts February only.
    app.post(
        "/api/v1/production-plans",
        &sales,
        &json!({"note": "x", "lines": []}),
    )
    .expect(403);
    let bad = app
        .post(
            "/api/v1/production-plans",
            &planner,
            &json!({"note": "x", "lines": [
                {"product_id": p, "period": "2027-02", "planned_kg": "-1"},
                {"product_id": uuid::Uuid::new_v4(), "period": "2027-02", "planned_kg": "1"}
            ]}),
        )
        .expect(422);
    assert_eq!(bad.error_fields(), ["lines[0].planned_kg"]);
    let v2 = app
        .post("/api/v1/production-plans", &planner, &json!({"note": "furnace outage", "lines": [{"product_id": p, "period": "2027-02", "planned_kg": "50"}]}))
        .expect(201);
    assert_eq!(v2.body["version_no"], 2);
    assert_eq!(v2.body["status"], "draft");
    let v2 = id(&v2.body);
    let impact = app
        .get(&format!("/api/v1/production-plans/{v2}/impact"), &planner)
        .expect(200);
    let prod = &impact.body["products"][0];
    assert_eq!(prod["product_id"], p.as_str());
    assert_eq!(prod["new_shortfall_periods"], json!(["2027-02", "2027-03"]));
    assert_eq!(prod["orders_at_risk"], json!([spot]));
    // Nothing changed yet.
    assert_eq!(
        row(&reconciliation(app, &p), "2027-02")["shortfall_kg"],
        "0.000"
    );

    let approved = app
        .post(
            &format!("/api/v1/production-plans/{v2}/approve"),
            &planner,
            &json!({}),
        )
        .expect(200);
    assert_eq!(approved.body["plan"]["status"], "approved");
    assert_eq!(
        approved.body["impact"]["products"][0]["new_shortfall_periods"],
        json!(["2027-02", "2027-03"])
    );
    app.post(
        &format!("/api/v1/production-plans/{v2}/approve"),
        &planner,
        &json!({}),
    )
    .expect(409);
    assert_eq!(
        app.get(&format!("/api/v1/production-plans/{v1}"), &planner)
            .body["status"],
        "superseded"
    );

    let rec = reconciliation(app, &p);
    let planned: Vec<&str> = ["2027-01", "2027-02", "2027-03"]
        .iter()
        .map(|m| row(&rec, m)["planned_kg"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(planned, ["300.000", "50.000", "300.000"]);
    assert_eq!(row(&rec, "2027-02")["shortfall_kg"], "150.000");
    assert_eq!(row(&rec, "2027-02")["orders_at_risk"], json!([spot]));
    let event = app
        .get("/api/v1/events?type=production_plan.approved", &planner)
        .expect(200);
    let last = event.body["items"]
        .as_array()
        .and_then(|a| a.last().cloned())
        .unwrap_or_default();
    assert_eq!(
        last["data"]["impact"]["products"][0]["orders_at_risk"],
        json!([spot])
    );

    // An older draft cannot be approved over a newer approved version.
    let v3 = id(&app
        .post("/api/v1/production-plans", &planner, &json!({"note": "v3", "lines": [{"product_id": p, "period": "2027-04", "planned_kg": "1"}]}))
        .expect(201)
        .body);
    approved_plan(app, &[(&p, "2027-05", "1")]);
    app.post(
        &format!("/api/v1/production-plans/{v3}/approve"),
        &planner,
        &json!({}),
    )
    .expect(409);
    let drafts = app
        .get("/api/v1/production-plans?status=draft", &planner)
        .expect(200);
    assert_eq!(drafts.body["items"].as_array().map(Vec::len), Some(1));
}

fn actuals_and_snapshots_feed_the_reconciliation(app: &TestApp) {
    let p = product(app, "P-1");
    let q = product(app, "P-2");
    approved_plan(
        app,
        &[
            (&p, "2027-01", "300"),
            (&p, "2027-02", "300"),
            (&p, "2027-03", "300"),
            (&q, "2027-01", "5"),
        ],
    );
    let planner = app.token_for("planner");
    let put = app
        .put(
            &format!("/api/v1/production-actuals/{p}/2027-01"),
            &planner,
            &json!({"actual_kg": "250.5"}),
        )
        .expect(201);
    assert_eq!(put.body["actual_kg"], "250.500");
    app.put(
        &format!("/api/v1/production-actuals/{p}/2027-01"),
        &planner,
        &json!({"actual_kg": "250"}),
    )
    .expect(200);
    app.put(
        &format!("/api/v1/production-actuals/{p}/2027-13"),
        &planner,
        &json!({"actual_kg": "1"}),
    )
    .expect(422);
    app.put(
        &format!("/api/v1/production-actuals/{p}/2027-01"),
        &app.token_for("sales"),
        &json!({"actual_kg": "1"}),
    )
    .expect(403);
    let snap = app
        .post(
            "/api/v1/stock-snapshots",
            &planner,
            &json!({"product_id": p, "period": "2027-03", "quantity_kg": "1000"}),
        )
        .expect(201);
    assert_eq!(snap.body["quantity_kg"], "1000.000");
    let rec = reconciliation(app, &p);
    assert_eq!(row(&rec, "2027-01")["supply_kg"], "250.000");
    assert_eq!(row(&rec, "2027-01")["actual_kg"], "250.000");
    assert_eq!(row(&rec, "2027-02")["projected_stock_kg"], "550.000");
    assert_eq!(row(&rec, "2027-03")["projected_stock_kg"], "1300.000");
    let actuals = app
        .get(
            &format!("/api/v1/production-actuals?product_id={p}"),
            &planner,
        )
        .expect(200);
    assert_eq!(actuals.body["items"].as_array().map(Vec::len), Some(1));
    let snaps = app
        .get("/api/v1/stock-snapshots?from=2027-01&to=2027-12", &planner)
        .expect(200);
    assert_eq!(snaps.body["items"][0]["period"], "2027-03");

    let summary = app
        .get(
            "/api/v1/reconciliation/summary?from=2027-01&to=2027-03",
            &planner,
        )
        .expect(200);
    let products = summary.body["products"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(products.len(), 2);
    assert_eq!(products[0]["product_code"], "P-1");
    assert_eq!(products[0]["months"].as_array().map(Vec::len), Some(3));
    assert_eq!(products[1]["months"][2]["projected_stock_kg"], "5.000");
    let csv = app
        .call(
            "GET",
            "/api/v1/reconciliation/summary?from=2027-01&to=2027-03",
            Some(&planner),
            None,
            &[("Accept", "text/csv")],
        )
        .expect(200);
    assert_eq!(csv.text.lines().count(), 7);
    app.get(
        "/api/v1/reconciliation/summary?from=2027-05&to=2027-01",
        &planner,
    )
    .expect(422);
    app.get(
        &format!("/api/v1/reconciliation?product_id={}", uuid::Uuid::new_v4()),
        &planner,
    )
    .expect(404);
    app.get(&format!("/api/v1/atp?product_id={p}"), &planner)
        .expect(422);
}
