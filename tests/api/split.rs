//! An order that does not fit its month: split into what fits and the rest in the first month
//! that covers it, or moved to a month that fits — each confirmed in one transaction, both
//! orders or neither.

use serde_json::json;

use crate::common::TestApp;
use crate::fixtures::*;
use crate::on_both_backends;

on_both_backends!(
    a_split_confirms_what_fits_and_the_rest_later_or_nothing,
    a_move_confirms_the_order_in_the_first_month_that_fits,
    the_desk_offers_the_split_the_operation_makes,
);

/// A product with 1000, 1000 and 5000 kg planned in January to March 2027: 2000 kg can be
/// promised for February (January's stock carries over), 7000 over the quarter.
fn plan(app: &TestApp, code: &str) -> (String, String) {
    let c = customer(app, &format!("C-{code}"));
    let p = product(app, &format!("P-{code}"));
    approved_plan(
        app,
        &[
            (&p, "2027-01", "1000"),
            (&p, "2027-02", "1000"),
            (&p, "2027-03", "5000"),
        ],
    );
    (c, p)
}

fn orders_of(app: &TestApp, customer: &str) -> usize {
    app.get(
        &format!("/api/v1/orders?customer_id={customer}"),
        &app.admin(),
    )
    .expect(200)
    .body["items"]
        .as_array()
        .map_or(0, Vec::len)
}

fn a_split_confirms_what_fits_and_the_rest_later_or_nothing(app: &TestApp) {
    let (c, p) = plan(app, "SPLIT");
    let sales = app.token_for("sales");
    let order = id(&spot_order(app, &sales, &c, &p, "2027-02", "2500"));
    let refused = app.post(
        &format!("/api/v1/orders/{order}/confirm"),
        &sales,
        &json!({}),
    );
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert_eq!(refused.body["available_kg"], "2000.000");

    // Naming a month the rest does not fit: the ATP refusal, and nothing changed at all.
    let bad = app.post(
        &format!("/api/v1/orders/{order}/split"),
        &sales,
        &json!({"rest_period": "2027-02"}),
    );
    assert_eq!(bad.status, 409, "{}", bad.text);
    assert_eq!(bad.body["type"], "urn:ndpr:problem:insufficient-atp");
    let still = app
        .get(&format!("/api/v1/orders/{order}"), &sales)
        .expect(200);
    assert_eq!(still.body["status"], "draft");
    assert_eq!(still.body["quantity_kg"], "2500.000");
    assert_eq!(still.body["version"], 1);
    assert_eq!(orders_of(app, &c), 1);

    // A viewer may not; a stale If-Match is refused.
    let viewer = app.token_for("viewer");
    app.post(
        &format!("/api/v1/orders/{order}/split"),
        &viewer,
        &json!({}),
    )
    .expect(403);
    app.call(
        "POST",
        &format!("/api/v1/orders/{order}/split"),
        Some(&sales),
        Some(&json!({})),
        &[("If-Match", "\"7\"")],
    )
    .expect(412);

    // By default: what is available stays, the rest goes to the first month that covers it.
    let split = app
        .call(
            "POST",
            &format!("/api/v1/orders/{order}/split"),
            Some(&sales),
            Some(&json!({"reason": "partial confirmation agreed"})),
            &[("If-Match", "\"1\"")],
        )
        .expect(200);
    let (kept, moved) = (&split.body["kept"], &split.body["moved"]);
    assert_eq!(kept["id"], order.as_str());
    assert_eq!(
        (&kept["status"], &kept["quantity_kg"], &kept["period"]),
        (&json!("confirmed"), &json!("2000.000"), &json!("2027-02"))
    );
    assert_eq!(
        (&moved["status"], &moved["quantity_kg"], &moved["period"]),
        (&json!("confirmed"), &json!("500.000"), &json!("2027-03"))
    );
    assert_eq!(moved["customer_id"], c.as_str());
    assert_eq!(moved["pricing"], kept["pricing"]);
    let r = reconciliation(app, &p);
    assert_eq!(row(&r, "2027-02")["spot_kg"], "2000.000");
    assert_eq!(row(&r, "2027-03")["spot_kg"], "500.000");
    assert_eq!(orders_of(app, &c), 2);

    // An order that fits, or one that is already confirmed, is not split.
    let small = id(&spot_order(app, &sales, &c, &p, "2027-03", "10"));
    let fits = app.post(&format!("/api/v1/orders/{small}/split"), &sales, &json!({}));
    assert_eq!(fits.status, 409, "{}", fits.text);
    assert!(fits.body["detail"]
        .as_str()
        .is_some_and(|d| d.contains("fits")));
    app.post(&format!("/api/v1/orders/{order}/split"), &sales, &json!({}))
        .expect(409);
    // Its events are documented: `order.split` once reached the feed without a schema.
    crate::demo::every_event_is_documented(app, &app.admin());
}

fn a_move_confirms_the_order_in_the_first_month_that_fits(app: &TestApp) {
    let (c, p) = plan(app, "MOVE");
    let sales = app.token_for("sales");
    let order = id(&spot_order(app, &sales, &c, &p, "2027-02", "2500"));
    // A month that does not cover it: refused with the numbers, nothing changes.
    let no = app.post(
        &format!("/api/v1/orders/{order}/move"),
        &sales,
        &json!({"period": "2027-01"}),
    );
    assert_eq!(no.status, 409, "{}", no.text);
    let still = app
        .get(&format!("/api/v1/orders/{order}"), &sales)
        .expect(200);
    assert_eq!(
        (&still.body["status"], &still.body["period"]),
        (&json!("draft"), &json!("2027-02"))
    );
    // By default, the first month after its own that covers it.
    let moved = app
        .post(&format!("/api/v1/orders/{order}/move"), &sales, &json!({}))
        .expect(200);
    assert_eq!(moved.body["period"], "2027-03");
    assert_eq!(moved.body["status"], "confirmed");
    assert!(moved.header("etag").is_some());
    let audit = app
        .get(
            &format!("/api/v1/audit?entity_type=order&entity_id={order}"),
            &app.admin(),
        )
        .expect(200);
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"moved") && actions.contains(&"confirmed"),
        "{actions:?}"
    );
    // Its events are documented: `order.moved` once reached the feed without a schema.
    crate::demo::every_event_is_documented(app, &app.admin());
}

/// The split the desk offers is the split it makes. Supply of 4000, 3000 and 10,000 kg in
/// January to March: an order of 9000 kg in January keeps 4000 there; February had 7000
/// available before, but only 3000 once January's 4000 are promised, so the rest goes to March.
/// (The desk once offered February and the operation confirmed March.)
fn the_desk_offers_the_split_the_operation_makes(app: &TestApp) {
    use crate::desk_client::{cookie_for, hidden, send};
    let c = customer(app, "C-OFFER");
    let p = product(app, "P-OFFER");
    approved_plan(
        app,
        &[
            (&p, "2027-01", "4000"),
            (&p, "2027-02", "3000"),
            (&p, "2027-03", "10000"),
        ],
    );
    let sales = cookie_for(app, "sales");
    let entry = send(app, "GET", "/orders/new", Some(&sales), None, &[]);
    let (csrf, key) = (
        hidden(&entry.body, "csrf"),
        hidden(&entry.body, "idempotency_key"),
    );
    let post = |action: &str| {
        send(
            app,
            "POST",
            "/orders",
            Some(&sales),
            Some(&[
                ("csrf", csrf.as_str()),
                ("idempotency_key", key.as_str()),
                ("customer_id", c.as_str()),
                ("product_id", p.as_str()),
                ("period", "2027-01"),
                ("quantity_kg", "9000"),
                ("unit_price", "61.25"),
                ("currency", "USD"),
                ("incoterm", "CIF"),
                ("incoterm_place", "Busan"),
                ("action", action),
            ]),
            &[],
        )
    };
    let refused = post("confirm");
    assert_eq!(refused.status, 409);
    assert!(
        refused.body.contains(
            "Split: 4,000.000 kg in 2027-01 (Jan 2027), 5,000.000 kg in 2027-03 (Mar 2027)"
        ),
        "{}",
        refused.body
    );
    assert_eq!(post("split").status, 303);
    let orders = app
        .get(&format!("/api/v1/orders?customer_id={c}"), &app.admin())
        .expect(200);
    let mut placed: Vec<(String, String, String)> = orders.body["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|o| {
                    (
                        o["period"].as_str().unwrap_or_default().to_string(),
                        o["quantity_kg"].as_str().unwrap_or_default().to_string(),
                        o["status"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    placed.sort();
    assert_eq!(
        placed,
        [
            ("2027-01".into(), "4000.000".into(), "confirmed".into()),
            ("2027-03".into(), "5000.000".into(), "confirmed".into())
        ]
    );
}
