use serde_json::json;

use crate::common::TestApp;
use crate::on_both_backends;

on_both_backends!(product_crud_keeps_decimals_exact, product_validation);

fn product_crud_keeps_decimals_exact(app: &TestApp) {
    let planner = app.token_for("planner");
    let created = app
        .post(
            "/api/v1/products",
            &planner,
            &json!({"code": "SM-OXIDE", "name": "Samarium oxide", "form": "oxide", "min_purity_pct": "99.95", "hs_code": "2846.90", "export_controlled": true, "external_ref": "MAT-1"}),
        )
        .expect(201);
    assert_eq!(created.body["min_purity_pct"], "99.95");
    assert_eq!(created.body["export_controlled"], true);
    let id = created.body["id"].as_str().unwrap_or_default().to_string();
    let patched = app
        .patch(
            &format!("/api/v1/products/{id}"),
            &planner,
            &json!({"min_purity_pct": "99.5", "hs_code": null}),
        )
        .expect(200);
    assert_eq!(patched.body["min_purity_pct"], "99.5");
    assert_eq!(patched.body["hs_code"], serde_json::Value::Null);
    let list = app
        .get(
            "/api/v1/products?export_controlled=true&form=oxide",
            &planner,
        )
        .expect(200);
    assert_eq!(list.body["items"][0]["code"], "SM-OXIDE");
    app.post(
        &format!("/api/v1/products/{id}/archive"),
        &planner,
        &json!({}),
    )
    .expect(200);
    let archived = app
        .get("/api/v1/products?status=archived", &planner)
        .expect(200);
    assert_eq!(archived.body["items"].as_array().map(Vec::len), Some(1));
    let events = app
        .get("/api/v1/events?type=product.archived", &planner)
        .expect(200);
    assert_eq!(events.body["items"][0]["entity_id"], id.as_str());
}

fn product_validation(app: &TestApp) {
    let t = app.admin();
    let res = app
        .post(
            "/api/v1/products",
            &t,
            &json!({"code": "P", "name": "P", "form": "powder"}),
        )
        .expect(422);
    assert_eq!(res.error_fields(), ["form"]);
    // A JSON number for a decimal is refused, not rounded.
    let res = app
        .post(
            "/api/v1/products",
            &t,
            &json!({"code": "P", "name": "P", "form": "oxide", "min_purity_pct": 99.5}),
        )
        .expect(422);
    assert_eq!(res.error_fields(), ["min_purity_pct"]);
    let res = app
        .post(
            "/api/v1/products",
            &t,
            &json!({"code": "P", "name": "P", "form": "oxide", "min_purity_pct": "100.5"}),
        )
        .expect(422);
    assert_eq!(res.error_fields(), ["min_purity_pct"]);
    let res = app
        .post(
            "/api/v1/products",
            &t,
            &json!({"code": "p", "name": "P", "form": "oxide", "hs_code": "28"}),
        )
        .expect(422);
    assert_eq!(res.error_fields(), ["code", "hs_code"]);
    let res = app
        .post(
            "/api/v1/products",
            &t,
            &json!({"code": "P", "name": "P", "form": "oxide", "min_purity_pct": "99.12345"}),
        )
        .expect(422);
    assert_eq!(res.error_fields(), ["min_purity_pct"]);
}
