use serde_json::json;

use crate::common::TestApp;
use crate::fixtures::*;
use crate::on_both_backends;

on_both_backends!(
    contract_validation_names_each_field,
    contract_lifecycle_runs_the_atp_check,
    amendments_are_kept_and_growth_is_checked,
);

fn contract_validation_names_each_field(app: &TestApp) {
    let c = customer(app, "C-1");
    let p = product(app, "P-1");
    let t = app.admin();
    let mut body = contract_body(&c, &p, &[("2027-01", "100"), ("2027-02", "100")]);
    body["end_period"] = json!("2026-12");
    body["schedule"] = json!([
        {"period": "2027-01", "quantity_kg": "0"},
        {"period": "2027-01", "quantity_kg": "5"},
    ]);
    body["incoterm"] = json!("XYZ");
    body["currency"] = json!("GBP");
    let res = app.post("/api/v1/contracts", &t, &body).expect(422);
    let fields = res.error_fields();
    for f in [
        "end_period",
        "incoterm",
        "currency",
        "schedule[0].quantity_kg",
        "schedule[1].period",
    ] {
        assert!(
            fields.contains(&f.to_string()),
            "{f} missing from {fields:?}"
        );
    }
    // A tolerance beyond 100 % is refused where it is parsed.
    let mut over = contract_body(&c, &p, &[("2027-01", "100")]);
    over["tolerance_pct"] = json!("150");
    let res = app.post("/api/v1/contracts", &t, &over).expect(422);
    assert_eq!(res.error_fields(), ["tolerance_pct"]);
    // Unknown references. (An index in another currency than the terms is no longer refused:
    // its averages are converted at the month's FX fixings — tests/api/fx.rs.)
    let mut body = contract_body(&uuid::Uuid::new_v4().to_string(), &p, &[("2027-01", "100")]);
    body["pricing"] =
        json!({"type": "index", "index_id": uuid::Uuid::new_v4(), "premium": "-1.50"});
    let res = app.post("/api/v1/contracts", &t, &body).expect(422);
    assert_eq!(res.error_fields(), ["customer_id", "pricing.index_id"]);
    assert!(res.text.contains("no such price index"));
    // Decimal as a JSON number, malformed period.
    let mut body = contract_body(&c, &p, &[("2027-01", "100")]);
    body["schedule"][0]["quantity_kg"] = json!(100);
    assert_eq!(
        app.post("/api/v1/contracts", &t, &body)
            .expect(422)
            .error_fields(),
        ["schedule[0].quantity_kg"]
    );
    let mut body = contract_body(&c, &p, &[("2027-01", "100")]);
    body["start_period"] = json!("2027-1");
    assert_eq!(
        app.post("/api/v1/contracts", &t, &body)
            .expect(422)
            .error_fields(),
        ["start_period"]
    );
    // Roles: viewer and planner may not create contracts.
    app.post(
        "/api/v1/contracts",
        &app.token_for("viewer"),
        &contract_body(&c, &p, &[("2027-01", "1")]),
    )
    .expect(403);
    app.post(
        "/api/v1/contracts",
        &app.token_for("planner"),
        &contract_body(&c, &p, &[("2027-01", "1")]),
    )
    .expect(403);
}

fn contract_lifecycle_runs_the_atp_check(app: &TestApp) {
    let c = customer(app, "C-1");
    let p = product(app, "P-1");
    let sales = app.token_for("sales");
    let created = app
        .post(
            "/api/v1/contracts",
            &sales,
            &contract_body(&c, &p, &[("2027-01", "600"), ("2027-02", "600")]),
        )
        .expect(201);
    let id = id(&created.body);
    assert_eq!(created.body["status"], "draft");
    assert_eq!(created.body["total_kg"], "1200.000");
    assert!(created.body["number"]
        .as_str()
        .unwrap_or("")
        .starts_with("LTC-"));
    let path = format!("/api/v1/contracts/{id}");
    app.patch(&path, &sales, &json!({"tolerance_pct": "10"}))
        .expect(200);

    // Nothing planned: activation would leave both months short.
    let refused = app
        .post(&format!("{path}/activate"), &sales, &json!({}))
        .expect(409);
    assert_eq!(refused.body["type"], "urn:ndpr:problem:insufficient-atp");
    assert_eq!(refused.body["requested_kg"], "600.000");
    assert_eq!(refused.body["available_kg"], "0.000");
    assert_eq!(refused.body["first_short_period"], "2027-01");
    assert_eq!(app.get(&path, &sales).body["status"], "draft");

    approved_plan(app, &[(&p, "2027-01", "1000"), (&p, "2027-02", "200")]);
    // January's 1000 covers January's 600 and, carried forward, 400 of February's 600.
    let active = app
        .post(&format!("{path}/activate"), &sales, &json!({}))
        .expect(200);
    assert_eq!(active.body["status"], "active");
    let rec = reconciliation(app, &p);
    assert_eq!(row(&rec, "2027-01")["contract_kg"], "600.000");
    assert_eq!(row(&rec, "2027-02")["projected_stock_kg"], "0.000");
    assert_eq!(row(&rec, "2027-01")["atp_kg"], "0.000");

    // Only drafts are edited; transitions follow the lifecycle.
    app.patch(&path, &sales, &json!({"priority": 5}))
        .expect(409);
    app.post(&format!("{path}/activate"), &sales, &json!({}))
        .expect(409);
    app.post(&format!("{path}/resume"), &sales, &json!({}))
        .expect(409);
    app.post(
        &format!("{path}/suspend"),
        &sales,
        &json!({"reason": "customer audit"}),
    )
    .expect(200);
    app.post(&format!("{path}/resume"), &sales, &json!({}))
        .expect(200);
    app.post(&format!("{path}/terminate"), &sales, &json!({}))
        .expect(422);
    let done = app
        .post(
            &format!("{path}/terminate"),
            &sales,
            &json!({"reason": "force majeure"}),
        )
        .expect(200);
    assert_eq!(done.body["status"], "terminated");
    app.post(&format!("{path}/complete"), &sales, &json!({}))
        .expect(409);
    // A terminated contract is no longer demand.
    assert_eq!(
        row(&reconciliation(app, &p), "2027-01")["contract_kg"],
        "0.000"
    );

    let events = app
        .get(
            &format!("/api/v1/audit?entity_type=contract&entity_id={id}"),
            &app.admin(),
        )
        .expect(200);
    let actions: Vec<&str> = events.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        actions,
        [
            "created",
            "updated",
            "activated",
            "suspended",
            "resumed",
            "terminated"
        ]
    );
    let feed = app
        .get("/api/v1/events?type=contract.terminated", &sales)
        .expect(200);
    assert_eq!(feed.body["items"][0]["data"]["reason"], "force majeure");

    // Lookup by customer and product.
    let list = app
        .get(
            &format!("/api/v1/contracts?customer_id={c}&product_id={p}"),
            &sales,
        )
        .expect(200);
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1));
    let list = app
        .get("/api/v1/contracts?from=2028-01&to=2028-12", &sales)
        .expect(200);
    assert_eq!(list.body["items"], json!([]));
}

fn amendments_are_kept_and_growth_is_checked(app: &TestApp) {
    let c = customer(app, "C-1");
    let p = product(app, "P-1");
    approved_plan(app, &[(&p, "2027-01", "1000"), (&p, "2027-02", "1000")]);
    let id = draft_contract(app, &c, &p, &[("2027-01", "500"), ("2027-02", "500")]);
    let sales = app.token_for("sales");
    let path = format!("/api/v1/contracts/{id}");
    app.post(&format!("{path}/activate"), &sales, &json!({}))
        .expect(200);

    let schedule = format!("{path}/schedule");
    let smaller = json!([{"period": "2027-01", "quantity_kg": "400"}, {"period": "2027-02", "quantity_kg": "500"}]);
    app.put(&schedule, &sales, &json!({"schedule": smaller}))
        .expect(422);
    app.put(
        &schedule,
        &sales,
        &json!({"schedule": smaller, "reason": "smaller January"}),
    )
    .expect(200);

    // Growing February by 1200 does not fit: 1100 is available to promise in February.
    let bigger = json!([{"period": "2027-01", "quantity_kg": "400"}, {"period": "2027-02", "quantity_kg": "1700"}]);
    let refused = app
        .put(
            &schedule,
            &sales,
            &json!({"schedule": bigger, "reason": "more"}),
        )
        .expect(409);
    assert_eq!(refused.body["period"], "2027-02");
    assert_eq!(refused.body["requested_kg"], "1200.000");
    assert_eq!(refused.body["available_kg"], "1100.000");
    // Sales may not override; a planner may, with a reason.
    app.put(
        &schedule,
        &sales,
        &json!({"schedule": bigger, "reason": "more", "override": true}),
    )
    .expect(403);
    let planner = app.token_for("planner");
    app.put(
        &schedule,
        &planner,
        &json!({"schedule": bigger, "override": true}),
    )
    .expect(422);
    let amended = app
        .put(
            &schedule,
            &planner,
            &json!({"schedule": bigger, "reason": "strategic customer", "override": true}),
        )
        .expect(200);
    assert_eq!(amended.body["total_kg"], "2100.000");

    let list = app.get(&format!("{path}/amendments"), &sales).expect(200);
    let items = list.body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["reason"], "smaller January");
    assert_eq!(items[0]["old_schedule"][0]["quantity_kg"], "500.000");
    assert_eq!(items[0]["new_schedule"][0]["quantity_kg"], "400.000");
    assert_eq!(items[1]["atp_override"], true);
    let feed = app
        .get("/api/v1/events?type=contract.amended", &sales)
        .expect(200);
    assert_eq!(feed.body["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(feed.body["items"][1]["data"]["atp_override"], true);
}
