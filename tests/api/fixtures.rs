//! Business data for tests, created through the API like a user would.

use serde_json::{json, Value};

use crate::common::TestApp;

pub fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_default().to_string()
}

pub fn customer(app: &TestApp, code: &str) -> String {
    id(&app
        .post(
            "/api/v1/customers",
            &app.admin(),
            &json!({"code": code, "name": format!("Customer {code}"), "country": "JP"}),
        )
        .expect(201)
        .body)
}

pub fn product(app: &TestApp, code: &str) -> String {
    id(&app
        .post(
            "/api/v1/products",
            &app.admin(),
            &json!({"code": code, "name": format!("Product {code}"), "form": "oxide"}),
        )
        .expect(201)
        .body)
}

/// Creates and approves a plan with the given (product, period, kg) lines; returns the plan id.
pub fn approved_plan(app: &TestApp, lines: &[(&str, &str, &str)]) -> String {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(p, period, kg)| json!({"product_id": p, "period": period, "planned_kg": kg}))
        .collect();
    let plan = app
        .post(
            "/api/v1/production-plans",
            &app.admin(),
            &json!({"note": "test plan", "lines": lines}),
        )
        .expect(201);
    let plan_id = id(&plan.body);
    app.post(
        &format!("/api/v1/production-plans/{plan_id}/approve"),
        &app.admin(),
        &json!({}),
    )
    .expect(200);
    plan_id
}

pub fn contract_body(customer: &str, product: &str, months: &[(&str, &str)]) -> Value {
    let schedule: Vec<Value> = months
        .iter()
        .map(|(p, kg)| json!({"period": p, "quantity_kg": kg}))
        .collect();
    let first = months.first().map_or("2027-01", |m| m.0);
    let last = months.last().map_or("2027-12", |m| m.0);
    json!({
        "customer_id": customer, "product_id": product,
        "start_period": first, "end_period": last,
        "schedule": schedule, "tolerance_pct": "5",
        "incoterm": "FOB", "incoterm_place": "Tianjin", "currency": "USD",
        "payment_terms": "30 days net",
        "pricing": {"type": "fixed", "unit_price": "62.50"},
        "addon_premium": "2.00"
    })
}

/// A draft contract; returns its id.
pub fn draft_contract(
    app: &TestApp,
    customer: &str,
    product: &str,
    months: &[(&str, &str)],
) -> String {
    id(&app
        .post(
            "/api/v1/contracts",
            &app.admin(),
            &contract_body(customer, product, months),
        )
        .expect(201)
        .body)
}

pub fn spot_order(
    app: &TestApp,
    token: &str,
    customer: &str,
    product: &str,
    period: &str,
    kg: &str,
) -> Value {
    app.post(
        "/api/v1/orders",
        token,
        &json!({
            "order_type": "spot", "customer_id": customer, "product_id": product,
            "period": period, "quantity_kg": kg,
            "pricing": {"type": "fixed", "unit_price": "70"}, "currency": "USD",
            "incoterm": "CIF", "incoterm_place": "Busan"
        }),
    )
    .expect(201)
    .body
}

pub fn row<'a>(report: &'a Value, period: &str) -> &'a Value {
    report["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["period"] == period))
        .unwrap_or(&Value::Null)
}

pub fn reconciliation(app: &TestApp, product: &str) -> Value {
    app.get(
        &format!("/api/v1/reconciliation?product_id={product}"),
        &app.admin(),
    )
    .expect(200)
    .body
}
