//! The ERP door as an integrator meets it, each point on both backends: spreadsheet CSV cells
//! read as their members say, ETags that explain themselves and answer 304, idempotency by
//! meaning (creates and lifecycle calls), webhook subscriptions the integration owns, one
//! event per import, the feed's paging, ATP refusals that name a month that fits, their own
//! problem type for lifecycle conflicts, and by-ref conflicts that name the holder.

use serde_json::{json, Value};

use crate::common::{Resp, TestApp};
use crate::fixtures::*;
use crate::on_both_backends;

on_both_backends!(
    csv_cells_are_read_as_their_members_say,
    csv_errors_name_members_and_duplicates,
    etags_take_the_bare_version_and_answer_304,
    a_patch_that_changes_nothing_writes_nothing,
    idempotency_compares_meaning_for_creates_and_lifecycle_calls,
    webhooks_belong_to_the_integration_that_made_them,
    an_import_writes_one_event_per_index_and_none_when_unchanged,
    the_feed_says_when_there_is_no_more_and_refuses_after_beyond_it,
    an_atp_refusal_names_the_first_month_that_fits,
    a_by_ref_conflict_names_the_record_holding_the_code,
);

fn csv(app: &TestApp, kind: &str, token: &str, body: &str) -> Resp {
    app.raw(
        "POST",
        &format!("/api/v1/imports/{kind}/csv"),
        Some(token),
        "text/csv",
        body,
    )
}

/// Confirms `order` with an `Idempotency-Key`, the body sent as written.
fn confirm_with_key(app: &TestApp, token: &str, order: &str, key: &str, body: &str) -> Resp {
    app.raw_with(
        "POST",
        &format!("/api/v1/orders/{order}/confirm"),
        token,
        body,
        &[("Idempotency-Key", key)],
    )
}

fn events(app: &TestApp, query: &str) -> Vec<Value> {
    app.get(&format!("/api/v1/events?limit=1000&{query}"), &app.admin())
        .expect(200)
        .body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn csv_cells_are_read_as_their_members_say(app: &TestApp) {
    let erp = app.token_for("integration");
    // What spreadsheets write: whole numbers for decimals, numeric codes, booleans in any form.
    let doc = "code,name,form,min_purity_pct,hs_code,export_controlled,external_ref\n\
               100300,Oxide A,oxide,99,284690,TRUE,SAP-P-1\n\
               100301,Oxide B,oxide,99.5,28469015,yes,SAP-P-2\n\
               100302,Metal C,metal,,,0,SAP-P-3\n";
    let r = csv(app, "products", &erp, doc).expect(200);
    assert_eq!(
        (r.body["created"].as_i64(), r.body["rejected"].as_i64()),
        (Some(3), Some(0)),
        "{}",
        r.text
    );
    let a = &app
        .get("/api/v1/products?external_ref=SAP-P-1", &erp)
        .expect(200)
        .body["items"][0];
    assert_eq!(a["code"], "100300");
    assert_eq!(a["hs_code"], "284690");
    assert_eq!(a["export_controlled"], true);
    assert_eq!(
        a["min_purity_pct"].as_str().map(|s| s.starts_with("99")),
        Some(true)
    );
    let c = &app
        .get("/api/v1/products?external_ref=SAP-P-3", &erp)
        .expect(200)
        .body["items"][0];
    assert_eq!(c["export_controlled"], false);
    // Headers in any case, grouped thousands, and the empty rows spreadsheets leave at the end.
    let excel =
        "Code,Name,Country,External_Ref\r\nXL-1,\"Excel, Inc\",JP,XL-REF-1\r\n,,,\r\n,,,\r\n";
    let r = csv(app, "customers", &erp, excel).expect(200);
    assert_eq!(
        (r.body["rows"].as_i64(), r.body["created"].as_i64()),
        (Some(1), Some(1)),
        "{}",
        r.text
    );

    // Orders: a whole-number quantity and price, a nested member, a whole-number offset.
    let customer = customer(app, "CSV-BUYER");
    let product = id(a);
    let orders = format!(
        "external_ref,order_type,customer_id,product_id,period,quantity_kg,pricing.type,pricing.unit_price,currency,incoterm,incoterm_place\n\
         ERP-O-1,spot,{customer},{product},2027-03,5000,fixed,61,USD,CIF,Yokohama\n"
    );
    let orders = orders.replace(",5000,", ",\"5,000\",");
    let r = csv(app, "orders", &erp, &orders).expect(200);
    assert_eq!(r.body["created"], 1, "{}", r.text);
    let order = &app
        .get("/api/v1/orders?external_ref=ERP-O-1", &erp)
        .expect(200)
        .body["items"][0];
    assert_eq!(order["quantity_kg"], "5000.000");
    assert_eq!(
        order["pricing"]["unit_price"]
            .as_str()
            .map(|p| p.starts_with("61")),
        Some(true)
    );

    // The columns, as a client reads them to write a template.
    let cols = app
        .get("/api/v1/imports/products/columns", &erp)
        .expect(200)
        .body;
    let kind_of = |name: &str| {
        cols["columns"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["name"] == name))
            .map(|c| c["type"].clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(kind_of("export_controlled"), "boolean");
    assert_eq!(kind_of("min_purity_pct"), "decimal");
    assert_eq!(kind_of("code"), "text");
    assert_eq!(cols["identity"], json!(["external_ref", "code"]));
}

fn csv_errors_name_members_and_duplicates(app: &TestApp) {
    let erp = app.token_for("integration");
    let doc = "code,name,form,export_controlled\nP-1,One,oxide,maybe\n";
    let r = csv(app, "products", &erp, doc).expect(422);
    assert_eq!(
        r.error_fields(),
        ["rows[1].export_controlled"],
        "{}",
        r.text
    );
    assert!(r.text.contains("yes/no"), "{}", r.text);

    let customer = customer(app, "CSV-ERR");
    let product = product(app, "CSV-ERR-P");
    let orders = format!(
        "external_ref,order_type,customer_id,product_id,period,quantity_kg,pricing.type,pricing.unit_price\n\
         ERP-E-1,spot,{customer},{product},2027-03,10,fixed,abc\n"
    );
    let r = csv(app, "orders", &erp, &orders).expect(422);
    assert_eq!(
        r.error_fields(),
        ["rows[1].pricing.unit_price"],
        "{}",
        r.text
    );

    let unknown = format!(
        "price_index_id,date,price\n{},2026-10-01,61\n",
        uuid::Uuid::new_v4()
    );
    let r = csv(app, "price-quotes", &erp, &unknown).expect(422);
    assert_eq!(r.error_fields(), ["rows[1].price_index_id"], "{}", r.text);

    // Two rows for one record: the second is refused, naming the first.
    let twice = "code,name,country,external_ref\nA-1,First,JP,SAP-9\nA-2,Second,JP,SAP-9\n";
    let r = csv(app, "customers", &erp, twice).expect(422);
    assert_eq!(r.error_fields(), ["rows[2].external_ref"], "{}", r.text);
    assert!(r.text.contains("row 1"), "{}", r.text);
    let twice = "code,name,country\nA-3,First,JP\nA-3,Second,JP\n";
    let r = csv(app, "customers", &erp, twice).expect(422);
    assert_eq!(r.error_fields(), ["rows[2].code"], "{}", r.text);
    // A code is a record's name too, with or without a reference beside it.
    let twice = "code,name,country,external_ref\nA-4,First,JP,SAP-10\nA-4,Second,JP,\n";
    let r = csv(app, "customers", &erp, twice).expect(422);
    assert_eq!(r.error_fields(), ["rows[2].code"], "{}", r.text);
    // A column the kind does not have is refused once, naming the columns it has.
    let unknown = "code,name,country,customer_code\nA-5,x,JP,Z\nA-6,y,JP,Z\n";
    let r = csv(app, "customers", &erp, unknown).expect(422);
    assert_eq!(r.error_fields(), ["header[3]"], "{}", r.text);
    assert!(r.text.contains("external_ref"), "{}", r.text);
    // The JSON variant is held to the same.
    let r = app.post(
        "/api/v1/imports/customers",
        &erp,
        &json!([{"code": "B-1", "name": "x", "country": "JP"}, {"code": "B-1", "name": "y", "country": "JP"}]),
    );
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.error_fields(), ["rows[2].code"]);
}

fn etags_take_the_bare_version_and_answer_304(app: &TestApp) {
    let admin = app.admin();
    let id = customer(app, "ETAG-1");
    let path = format!("/api/v1/customers/{id}");
    // The bare version is the version.
    let r = app.call(
        "PATCH",
        &path,
        Some(&admin),
        Some(&json!({"name": "Renamed"})),
        &[("If-Match", "1")],
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("etag"), Some("\"2\""));
    // A stale one is told the form and the current ETag.
    let r = app.call(
        "PATCH",
        &path,
        Some(&admin),
        Some(&json!({"name": "Again"})),
        &[("If-Match", "1")],
    );
    assert_eq!(r.status, 412);
    assert!(r.text.contains("If-Match: \\\"2\\\""), "{}", r.text);
    assert_eq!(r.header("etag"), Some("\"2\""));
    assert_eq!(r.body["current_version"], 2);
    // A read that has not changed: 304, its ETag, no body.
    for tag in ["\"2\"", "2", "W/\"2\""] {
        let r = app.call("GET", &path, Some(&admin), None, &[("If-None-Match", tag)]);
        assert_eq!(r.status, 304, "{tag}");
        assert_eq!(r.header("etag"), Some("\"2\""));
        assert!(r.text.is_empty());
    }
    let r = app.call(
        "GET",
        &path,
        Some(&admin),
        None,
        &[("If-None-Match", "\"1\"")],
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.body["name"], "Renamed");
}

fn a_patch_that_changes_nothing_writes_nothing(app: &TestApp) {
    let admin = app.admin();
    let id = customer(app, "NOOP-1");
    let before = events(app, &format!("entity_id={id}")).len();
    let audit = |app: &TestApp| {
        app.get(&format!("/api/v1/audit?entity_id={id}"), &admin)
            .expect(200)
            .body["items"]
            .as_array()
            .map_or(0, Vec::len)
    };
    let audited = audit(app);
    let r = app.patch(
        &format!("/api/v1/customers/{id}"),
        &admin,
        &json!({"name": "Customer NOOP-1", "country": "JP"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["version"], 1);
    assert_eq!(r.header("etag"), Some("\"1\""));
    assert_eq!(events(app, &format!("entity_id={id}")).len(), before);
    assert_eq!(audit(app), audited);
}

fn idempotency_compares_meaning_for_creates_and_lifecycle_calls(app: &TestApp) {
    let sales = app.token_for("sales");
    let key = uuid::Uuid::new_v4().to_string();
    let first = app.raw_with(
        "POST",
        "/api/v1/customers",
        &sales,
        r#"{"code":"IDEM-1","name":"Idem","country":"JP"}"#,
        &[("Idempotency-Key", &key)],
    );
    assert_eq!(first.status, 201, "{}", first.text);
    // The same members in another order, other white space: the same request.
    let again = app.raw_with(
        "POST",
        "/api/v1/customers",
        &sales,
        "{ \"country\": \"JP\",\n  \"name\": \"Idem\", \"code\": \"IDEM-1\" }",
        &[("Idempotency-Key", &key)],
    );
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.body["id"], first.body["id"]);
    let other = app.raw_with(
        "POST",
        "/api/v1/customers",
        &sales,
        r#"{"code":"IDEM-2","name":"Idem","country":"JP"}"#,
        &[("Idempotency-Key", &key)],
    );
    assert_eq!(other.status, 422, "{}", other.text);

    // A lifecycle call retried with its key confirms once.
    let customer = id(&first.body);
    let product = product(app, "IDEM-P");
    approved_plan(app, &[(&product, "2027-03", "1000")]);
    let order = id(&spot_order(
        app, &sales, &customer, &product, "2027-03", "100",
    ));
    let key = uuid::Uuid::new_v4().to_string();
    let confirm = |app: &TestApp| confirm_with_key(app, &sales, &order, &key, "{}");
    let a = confirm(app);
    let b = confirm(app);
    assert_eq!((a.status, b.status), (200, 200), "{} {}", a.text, b.text);
    assert_eq!(b.header("idempotent-replayed"), Some("true"));
    assert_eq!(b.body["version"], a.body["version"]);
    let confirmed = events(app, &format!("entity_id={order}&type=order.confirmed"));
    assert_eq!(confirmed.len(), 1);
}

fn webhooks_belong_to_the_integration_that_made_them(app: &TestApp) {
    let erp = app.token_for("integration");
    let other = app.token_for("integration");
    let body = json!({"url": "https://erp.example.com/hooks/ndpr", "event_types": ["order.*"]});
    let made = app.post("/api/v1/webhooks", &erp, &body);
    assert_eq!(made.status, 201, "{}", made.text);
    let hook = made.body["webhook"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let list = |token: &str| {
        app.get("/api/v1/webhooks", token).expect(200).body["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|w| w["id"].as_str().map(str::to_string))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    assert_eq!(list(&erp), std::slice::from_ref(&hook));
    assert!(list(&other).is_empty());
    assert!(list(&app.admin()).contains(&hook));
    let path = format!("/api/v1/webhooks/{hook}");
    assert!(app.get(&path, &erp).expect(200).body["owner_id"].is_string());
    assert_eq!(app.get(&path, &other).status, 404);
    assert_eq!(
        app.patch(&path, &other, &json!({"description": "mine now"}))
            .status,
        404
    );
    assert_eq!(app.get(&format!("{path}/deliveries"), &other).status, 404);
    assert_eq!(app.get(&format!("{path}/deliveries"), &erp).status, 200);
    let r = app.patch(&path, &erp, &json!({"description": "ERP order mirror"}));
    assert_eq!(r.status, 200, "{}", r.text);
    let rotated = app.call(
        "POST",
        &format!("{path}/rotate-secret"),
        Some(&erp),
        None,
        &[],
    );
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    // Events it could never receive are refused.
    let r = app.post(
        "/api/v1/webhooks",
        &erp,
        &json!({"url": "https://erp.example.com/u", "event_types": ["order.*", "user.*"]}),
    );
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.error_fields(), ["event_types[1]"]);
    // Other roles still may not subscribe.
    assert_eq!(
        app.post("/api/v1/webhooks", &app.token_for("sales"), &body)
            .status,
        403
    );
    assert_eq!(
        app.call("DELETE", &path, Some(&other), None, &[]).status,
        404
    );
    assert_eq!(app.call("DELETE", &path, Some(&erp), None, &[]).status, 204);
}

fn an_import_writes_one_event_per_index_and_none_when_unchanged(app: &TestApp) {
    let erp = app.token_for("integration");
    let index = id(&app
        .post(
            "/api/v1/price-indices",
            &app.admin(),
            &json!({"code": "IMP-IDX", "name": "Import index", "currency": "USD"}),
        )
        .expect(201)
        .body);
    let doc = format!(
        "price_index_id,date,price\n{index},2026-10-01,61\n{index},2026-10-02,61.5\n{index},2026-10-05,62\n"
    );
    let quote_events = |app: &TestApp| {
        events(
            app,
            &format!("entity_id={index}&type=price_index.quotes_upserted"),
        )
    };
    csv(app, "price-quotes", &erp, &doc).expect(200);
    let after_first = quote_events(app);
    assert_eq!(after_first.len(), 1, "one event for the import");
    assert_eq!(after_first[0]["data"]["inserted"], 3);
    assert_eq!(
        after_first[0]["data"]["dates"],
        json!(["2026-10-01", "2026-10-02", "2026-10-05"])
    );
    let r = csv(app, "price-quotes", &erp, &doc).expect(200);
    assert_eq!(r.body["unchanged"], 3);
    assert_eq!(
        quote_events(app).len(),
        1,
        "an unchanged import writes none"
    );
    let changed = doc.replace("61.5", "61.75");
    csv(app, "price-quotes", &erp, &changed).expect(200);
    let all = quote_events(app);
    assert_eq!(all.len(), 2);
    assert_eq!(all[1]["data"]["dates"], json!(["2026-10-02"]));

    let fx = "base,quote,date,rate\nUSD,CNY,2026-10-01,7.1\nUSD,CNY,2026-10-02,7.12\nEUR,USD,2026-10-01,1.08\n";
    csv(app, "fx-rates", &erp, fx).expect(200);
    assert_eq!(
        events(app, "type=fx_rate.upserted").len(),
        2,
        "one per pair"
    );
    csv(app, "fx-rates", &erp, fx).expect(200);
    assert_eq!(events(app, "type=fx_rate.upserted").len(), 2);
}

fn the_feed_says_when_there_is_no_more_and_refuses_after_beyond_it(app: &TestApp) {
    let viewer = app.token_for("viewer");
    customer(app, "FEED-1");
    customer(app, "FEED-2");
    // An admin-only event (a user) last: a viewer's page skips it but still moves past it.
    app.token_for("planner");
    let admin_page = app
        .get("/api/v1/events?after=0&limit=1000", &app.admin())
        .expect(200)
        .body;
    let latest = admin_page["latest_seq"].as_i64().unwrap_or_default();
    assert_eq!(admin_page["has_more"], false);
    assert_eq!(admin_page["last_seq"], latest);
    let page = app
        .get("/api/v1/events?after=0&limit=1", &viewer)
        .expect(200)
        .body;
    assert_eq!(page["has_more"], true);
    assert_eq!(page["items"].as_array().map(Vec::len), Some(1));
    let rest = app
        .get(
            &format!("/api/v1/events?after={}&limit=1000", page["last_seq"]),
            &viewer,
        )
        .expect(200)
        .body;
    assert_eq!(rest["has_more"], false);
    assert_eq!(
        rest["last_seq"], latest,
        "the viewer continues past what it may not read"
    );
    assert!(rest["items"]
        .as_array()
        .is_some_and(|items| items.iter().all(|e| e["entity_type"] != "user")));
    let nothing = app
        .get(&format!("/api/v1/events?after={latest}"), &viewer)
        .expect(200)
        .body;
    assert_eq!(
        (nothing["has_more"].as_bool(), nothing["last_seq"].as_i64()),
        (Some(false), Some(latest))
    );
    let r = app.get(&format!("/api/v1/events?after={}", latest + 1000), &viewer);
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.error_fields(), ["after"]);
}

fn an_atp_refusal_names_the_first_month_that_fits(app: &TestApp) {
    let sales = app.token_for("sales");
    let buyer = customer(app, "ATP-FIT");
    let product = product(app, "ATP-FIT-P");
    approved_plan(
        app,
        &[
            (&product, "2027-03", "1000"),
            (&product, "2027-04", "0"),
            (&product, "2027-05", "3000"),
        ],
    );
    let order = id(&spot_order(
        app, &sales, &buyer, &product, "2027-03", "2500",
    ));
    let key = uuid::Uuid::new_v4().to_string();
    let confirm = |app: &TestApp| confirm_with_key(app, &sales, &order, &key, "");
    let r = confirm(app);
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(r.body["type"], "urn:ndpr:problem:insufficient-atp");
    assert!(
        r.text.contains("the first month that fits is 2027-05"),
        "{}",
        r.text
    );
    assert_eq!(r.body["first_fit_period"], "2027-05", "{}", r.text);
    let fit = r.body["first_fit_available_kg"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let atp = app
        .get(
            &format!(
                "/api/v1/atp/horizon?product_id={product}&quantity_kg=2500&from=2027-03&to=2027-08"
            ),
            &sales,
        )
        .expect(200)
        .body;
    assert_eq!(
        atp["first_fit_period"], "2027-05",
        "as /atp/horizon reckons it"
    );
    let horizon_kg = atp["months"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["period"] == "2027-05"))
        .map(|m| m["atp_kg"].clone());
    assert_eq!(horizon_kg, Some(Value::from(fit)));
    // A refusal is not kept for its Idempotency-Key: once the plan grows, the retry confirms.
    approved_plan(app, &[(&product, "2027-03", "5000")]);
    let retried = confirm(app);
    assert_eq!(retried.status, 200, "{}", retried.text);
    assert_eq!(retried.header("idempotent-replayed"), None);

    // A lifecycle conflict has its own type and members.
    let small = id(&spot_order(app, &sales, &buyer, &product, "2027-03", "100"));
    app.post(
        &format!("/api/v1/orders/{small}/confirm"),
        &sales,
        &json!({}),
    )
    .expect(200);
    let r = app.post(
        &format!("/api/v1/orders/{small}/confirm"),
        &sales,
        &json!({}),
    );
    assert_eq!(r.status, 409);
    assert_eq!(
        r.body["type"], "urn:ndpr:problem:invalid-state",
        "{}",
        r.text
    );
    assert_eq!(
        (r.body["current_status"].as_str(), r.body["action"].as_str()),
        (Some("confirmed"), Some("confirm"))
    );
}

fn a_by_ref_conflict_names_the_record_holding_the_code(app: &TestApp) {
    let erp = app.token_for("integration");
    let holder = app
        .put(
            "/api/v1/customers/by-ref/SAP-HOLD-1",
            &erp,
            &json!({"code": "HOLD-1", "name": "Holder", "country": "JP"}),
        )
        .expect(201)
        .body;
    let r = app.put(
        "/api/v1/customers/by-ref/SAP-HOLD-2",
        &erp,
        &json!({"code": "HOLD-1", "name": "Newcomer", "country": "JP"}),
    );
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(r.body["type"], "urn:ndpr:problem:duplicate");
    assert_eq!(r.body["holder_id"], holder["id"]);
    assert_eq!(r.body["holder_external_ref"], "SAP-HOLD-1");
    assert!(r.text.contains("SAP-HOLD-1"), "{}", r.text);
}
