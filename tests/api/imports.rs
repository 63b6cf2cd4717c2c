//! Bulk import over HTTP: CSV and JSON, created/updated/unchanged counts, all or nothing by
//! default with every bad row reported, valid-rows mode, and roles.

use serde_json::json;

use crate::common::TestApp;
use crate::on_both_backends;

on_both_backends!(
    customers_import_from_csv_and_count_what_changed,
    a_bad_row_stores_nothing_and_every_bad_row_is_reported,
    valid_rows_mode_keeps_the_good_rows,
    products_import_from_json_by_code_and_roles_apply,
);

/// Posts CSV to the import's CSV operation (`…/customers?mode=…` → `…/customers/csv?mode=…`).
fn csv(app: &TestApp, path: &str, token: &str, body: &str) -> crate::common::Resp {
    let path = match path.split_once('?') {
        Some((p, q)) => format!("{p}/csv?{q}"),
        None => format!("{path}/csv"),
    };
    app.raw("POST", &path, Some(token), "text/csv", body)
}

fn customer_count(app: &TestApp) -> usize {
    app.get("/api/v1/customers?limit=500", &app.admin())
        .expect(200)
        .body["items"]
        .as_array()
        .map_or(0, Vec::len)
}

fn customers_import_from_csv_and_count_what_changed(app: &TestApp) {
    let erp = app.token_for("integration");
    let doc = "code,name,country,external_ref\n\
               JP-MAG,Nippon Magnetics,JP,SAP-1\n\
               DE-VAC,\"Vacuum Schmelze, GmbH\",DE,SAP-2\n\
               US-NEO,Neo Motors,US,SAP-3\n";
    let r = csv(app, "/api/v1/imports/customers", &erp, doc).expect(200);
    assert_eq!(r.body["rows"], 3);
    assert_eq!(r.body["created"], 3);
    assert_eq!(r.body["rejected"], 0);
    let found = app
        .get("/api/v1/customers?external_ref=SAP-2", &erp)
        .expect(200);
    assert_eq!(found.body["items"][0]["name"], "Vacuum Schmelze, GmbH");

    // The same file again changes nothing; one renamed row is one update.
    let r = csv(app, "/api/v1/imports/customers", &erp, doc).expect(200);
    assert_eq!(
        (r.body["created"].as_i64(), r.body["unchanged"].as_i64()),
        (Some(0), Some(3))
    );
    let renamed = doc.replace("Neo Motors", "Neo Motors Inc");
    let r = csv(app, "/api/v1/imports/customers", &erp, &renamed).expect(200);
    assert_eq!(r.body["updated"], 1);
    assert_eq!(r.body["unchanged"], 2);
    // Audited and evented per row, as an upsert is.
    let events = app
        .get(
            "/api/v1/events?entity_type=customer&limit=100",
            &app.admin(),
        )
        .expect(200);
    assert_eq!(events.body["items"].as_array().map_or(0, Vec::len), 4);
}

fn a_bad_row_stores_nothing_and_every_bad_row_is_reported(app: &TestApp) {
    let before = customer_count(app);
    let doc = "code,name,country,external_ref\n\
               OK-1,Good Buyer,JP,REF-1\n\
               BAD-2,Bad Country,Japan,REF-2\n\
               BAD-3,,DE,REF-3\n";
    let r = csv(app, "/api/v1/imports/customers", &app.admin(), doc).expect(422);
    let text = r.body.to_string();
    assert!(text.contains("rows[2].country"), "{text}");
    assert!(text.contains("rows[3].name"), "{text}");
    assert!(!text.contains("rows[1]"), "{text}");
    assert_eq!(customer_count(app), before, "nothing stored");

    // A body that is no list, an unknown member, and a type the importer does not take.
    app.raw(
        "POST",
        "/api/v1/imports/customers",
        Some(&app.admin()),
        "application/json",
        "{}",
    )
    .expect(422);
    let r = app
        .post(
            "/api/v1/imports/customers",
            &app.admin(),
            &json!([{"code": "X-1", "name": "X", "country": "JP", "colour": "red"}]),
        )
        .expect(422);
    assert!(r.body.to_string().contains("rows[1]"), "{}", r.body);
    app.raw(
        "POST",
        "/api/v1/imports/customers",
        Some(&app.admin()),
        "text/plain",
        "code\nX",
    )
    .expect(415);
    app.post("/api/v1/imports/planets", &app.admin(), &json!([]))
        .expect(404);
    assert_eq!(customer_count(app), before);
}

fn valid_rows_mode_keeps_the_good_rows(app: &TestApp) {
    let doc = "code,name,country\n\
               VR-1,Good Buyer,JP\n\
               VR-2,Bad Country,Japan\n\
               VR-3,Another Good One,KR\n";
    let r = csv(
        app,
        "/api/v1/imports/customers?mode=valid-rows",
        &app.admin(),
        doc,
    )
    .expect(200);
    assert_eq!(r.body["created"], 2);
    assert_eq!(r.body["rejected"], 1);
    assert_eq!(r.body["errors"][0]["row"], 2);
    assert_eq!(r.body["errors"][0]["field"], "country");
    assert_eq!(customer_count(app), 2);
}

fn products_import_from_json_by_code_and_roles_apply(app: &TestApp) {
    let planner = app.token_for("planner");
    let rows = json!([
        {"code": "NDPR-OX", "name": "NdPr oxide", "form": "oxide"},
        {"code": "NDPR-MT", "name": "NdPr metal", "form": "metal"},
    ]);
    let r = app
        .post("/api/v1/imports/products", &planner, &rows)
        .expect(200);
    assert_eq!(r.body["created"], 2);
    // Without a reference, rows match by code.
    let renamed = json!([{"code": "NDPR-OX", "name": "NdPr oxide 99.5%", "form": "oxide"}]);
    let r = app
        .post("/api/v1/imports/products", &planner, &renamed)
        .expect(200);
    assert_eq!(r.body["updated"], 1);
    let listed = app
        .get("/api/v1/products?code=NDPR-OX", &planner)
        .expect(200);
    assert_eq!(listed.body["items"].as_array().map_or(0, Vec::len), 1);
    assert_eq!(listed.body["items"][0]["name"], "NdPr oxide 99.5%");
    // Sales may not write products, viewers nothing.
    app.post("/api/v1/imports/products", &app.token_for("sales"), &rows)
        .expect(403);
    app.post(
        "/api/v1/imports/customers",
        &app.token_for("viewer"),
        &json!([{"code": "V", "name": "V", "country": "JP"}]),
    )
    .expect(403);
}
