//! FX fixings through HTTP, and index prices on any basis: an index quoted in CNY per tonne
//! including VAT prices terms in USD per kg at the month's mean fixing.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::fixtures::*;
use crate::on_both_backends;

on_both_backends!(
    fixings_are_recorded_listed_and_refused_by_member,
    a_cny_per_tonne_index_with_vat_prices_usd_terms,
);

fn fixings_are_recorded_listed_and_refused_by_member(app: &TestApp) {
    let planner = app.token_for("planner");
    let path = "/api/v1/fx-rates/USD/CNY/2026-10-01";
    let put = |rate: &str| {
        app.put(
            path,
            &planner,
            &json!({"rate": rate, "source": "CFETS central parity"}),
        )
    };
    let created = put("7.10");
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.header("upsert-outcome"), Some("created"));
    assert_eq!(created.header("location"), Some(path));
    assert_eq!(created.body["rate"], "7.100000");
    let events = |app: &TestApp| {
        app.get(
            "/api/v1/events?entity_type=fx_rate&limit=1000",
            &app.admin(),
        )
        .expect(200)
        .body["items"]
            .as_array()
            .map_or(0, Vec::len)
    };
    assert_eq!(events(app), 1);
    // The same fixing again changes nothing and writes no event; another rate replaces it.
    let same = put("7.1").expect(200);
    assert_eq!(same.header("upsert-outcome"), Some("unchanged"));
    assert_eq!(events(app), 1);
    assert_eq!(
        put("7.105").expect(200).header("upsert-outcome"),
        Some("updated")
    );
    let feed = app
        .get("/api/v1/events?entity_type=fx_rate", &app.admin())
        .expect(200);
    let last = &feed.body["items"][1];
    assert_eq!(last["type"], "fx_rate.upserted");
    assert_eq!(last["entity_id"], "USD/CNY");
    assert_eq!(
        (&last["data"]["from"], &last["data"]["updated"]),
        (&json!("2026-10-01"), &json!(1))
    );
    let got = app.get(path, &app.token_for("viewer")).expect(200);
    assert_eq!(got.body["rate"], "7.105000");
    app.get("/api/v1/fx-rates/USD/CNY/2026-10-02", &planner)
        .expect(404);

    // Who writes: admin, planner, integration; not sales or viewers.
    for role in ["sales", "viewer"] {
        app.put(path, &app.token_for(role), &json!({"rate": "7"}))
            .expect(403);
    }
    app.put(
        path,
        &app.token_for("integration"),
        &json!({"rate": "7.11"}),
    )
    .expect(200);

    // Each bad member named; a rate as a JSON number refused like every decimal.
    let bad = app.put(
        "/api/v1/fx-rates/USD/USD/2030-01-01",
        &planner,
        &json!({"rate": "0"}),
    );
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(bad.error_fields(), ["quote_currency", "date", "rate"]);
    let bad = app.put(path, &planner, &json!({"rate": 7.1})).expect(422);
    assert_eq!(bad.error_fields(), ["rate"]);
    let bad = app
        .put(path, &planner, &json!({"rate": "1000000.1"}))
        .expect(422);
    assert_eq!(bad.error_fields(), ["rate"]);
    let bad = app
        .put(
            "/api/v1/fx-rates/usd/CNY/2026-10-01",
            &planner,
            &json!({"rate": "7"}),
        )
        .expect(422);
    assert_eq!(bad.error_fields(), ["base_currency"]);
    // An impossible day is the wrong day, not a wrong address.
    let bad = app
        .put(
            "/api/v1/fx-rates/USD/CNY/2026-02-30",
            &planner,
            &json!({"rate": "7"}),
        )
        .expect(422);
    assert_eq!(bad.error_fields(), ["date"]);

    // A batch: all or nothing, duplicates named by position.
    let batch = |rows: Value| app.post("/api/v1/fx-rates", &planner, &rows);
    let dup = batch(json!([
        {"base": "EUR", "quote": "USD", "date": "2026-10-01", "rate": "1.08"},
        {"base": "EUR", "quote": "USD", "date": "2026-10-01", "rate": "1.09"}
    ]))
    .expect(422);
    assert_eq!(dup.error_fields(), ["[1].date"]);
    let done = batch(json!([
        {"base": "EUR", "quote": "USD", "date": "2026-10-01", "rate": "1.08"},
        {"base": "EUR", "quote": "USD", "date": "2026-10-02", "rate": "1.09"},
        {"base": "USD", "quote": "CNY", "date": "2026-10-02", "rate": "7.12"}
    ]))
    .expect(200);
    assert_eq!(
        done.body,
        json!({"inserted": 3, "updated": 0, "unchanged": 0})
    );

    // The list: by date then pair, filtered, paged, and as CSV.
    let list = app
        .get("/api/v1/fx-rates?base=USD&quote=CNY", &planner)
        .expect(200);
    let dates: Vec<&str> = list.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x["date"].as_str())
        .collect();
    assert_eq!(dates, ["2026-10-01", "2026-10-02"]);
    let first = app.get("/api/v1/fx-rates?limit=2", &planner).expect(200);
    let cursor = first.body["next_cursor"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let rest = app
        .get(
            &format!("/api/v1/fx-rates?limit=2&cursor={cursor}"),
            &planner,
        )
        .expect(200);
    let pairs = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| {
                format!(
                    "{} {}/{}",
                    x["date"].as_str().unwrap_or(""),
                    x["base"].as_str().unwrap_or(""),
                    x["quote"].as_str().unwrap_or("")
                )
            })
            .collect()
    };
    assert_eq!(
        [pairs(&first.body), pairs(&rest.body)].concat(),
        [
            "2026-10-01 EUR/USD",
            "2026-10-01 USD/CNY",
            "2026-10-02 EUR/USD",
            "2026-10-02 USD/CNY"
        ]
    );
    assert!(rest.body["next_cursor"].is_null());
    let csv = app
        .get("/api/v1/fx-rates.csv?from=2026-10-02", &planner)
        .expect(200);
    assert_eq!(
        csv.text.lines().next(),
        Some("base,quote,date,rate,source,updated_at")
    );
    assert!(
        csv.text.contains("USD,CNY,2026-10-02,7.120000,,"),
        "{}",
        csv.text
    );
    app.get("/api/v1/fx-rates?from=2026-10-03&to=2026-10-01", &planner)
        .expect(422);
}

/// The worked example, in a month that is over on the test clock (2026-10 instead of
/// 2027-03; the domain's unit test has the same figures in 2027-03): quotes of 850,000 and
/// 860,000 CNY/t including 13 % VAT, USD/CNY fixings 7.10 and 7.12, multiplier 0.98 and
/// premium −1.50 → 102.79 USD/kg, final. Every step is shown.
fn a_cny_per_tonne_index_with_vat_prices_usd_terms(app: &TestApp) {
    let t = app.admin();
    let index = app
        .post(
            "/api/v1/price-indices",
            &t,
            &json!({"code": "NDPR-CN-VAT", "name": "NdPr oxide, China domestic, incl. VAT",
                "currency": "CNY", "unit": "t", "vat_pct": "13", "source": "SMM"}),
        )
        .expect(201);
    assert_eq!(
        (&index.body["unit"], &index.body["vat_pct"]),
        (&json!("t"), &json!("13.0"))
    );
    let index = id(&index.body);
    // A quote per tonne may be far above the per-kg bound of a price.
    app.post(
        &format!("/api/v1/price-indices/{index}/quotes"),
        &t,
        &json!([
            {"date": "2026-10-10", "price": "850000"},
            {"date": "2026-10-20", "price": "860000"},
            {"date": "2026-09-10", "price": "800000"}
        ]),
    )
    .expect(200);
    app.post(
        "/api/v1/fx-rates",
        &t,
        &json!([
            {"base": "USD", "quote": "CNY", "date": "2026-10-01", "rate": "7.10"},
            {"base": "USD", "quote": "CNY", "date": "2026-10-02", "rate": "7.12"},
            // Only the inverse pair in September: 1 / 0.138889 = 7.199994.
            {"base": "CNY", "quote": "USD", "date": "2026-09-15", "rate": "0.138889"}
        ]),
    )
    .expect(200);
    let terms = json!({"type": "index", "index_id": index, "qp_offset_months": 0,
        "multiplier": "0.98", "premium": "-1.50"});
    let preview = app
        .post(
            "/api/v1/pricing/preview",
            &t,
            &json!({"pricing": terms, "period": "2026-10", "currency": "USD"}),
        )
        .expect(200);
    assert_eq!(
        preview.body,
        json!({"unit_price": "102.79", "status": "final", "basis_period": "2026-10",
            "index_average": "855000.0000",
            "conversion": {"index_currency": "CNY", "unit": "t", "vat_pct": "13.000",
                "net_of_vat": "756637.1681", "per_kg": "756.6372", "fx_pair": "USD/CNY",
                "fx_rate": "7.110000", "converted": "106.4187"}})
    );
    let september = app
        .post(
            "/api/v1/pricing/preview",
            &t,
            &json!({"pricing": {"type": "index", "index_id": index, "qp_offset_months": 0},
                "period": "2026-09", "currency": "USD"}),
        )
        .expect(200);
    assert_eq!(september.body["conversion"]["fx_rate"], "7.199994");
    assert_eq!(september.body["conversion"]["converted"], "98.3285");
    assert_eq!(september.body["unit_price"], "98.33");

    // The same terms on a contract and on an order: the contract's pricing report and the
    // order's price say the same, and the value is kg × 102.79.
    let c = customer(app, "C-FX");
    let p = product(app, "P-FX");
    let mut body = contract_body(&c, &p, &[("2026-10", "1000"), ("2026-11", "1000")]);
    body["pricing"] = terms.clone();
    let contract = id(&app.post("/api/v1/contracts", &t, &body).expect(201).body);
    let priced = app
        .get(&format!("/api/v1/contracts/{contract}/pricing"), &t)
        .expect(200);
    let october = &priced.body["rows"][0];
    assert_eq!(
        (
            &october["unit_price"],
            &october["status"],
            &october["value"]
        ),
        (&json!("102.79"), &json!("final"), &json!("102790.00"))
    );
    assert_eq!(october["conversion"]["converted"], "106.4187");
    // November has neither quotes nor fixings: provisional on October, the latest with both.
    assert_eq!(priced.body["rows"][1]["status"], "provisional");
    assert_eq!(priced.body["rows"][1]["basis_period"], "2026-10");
    let csv = app
        .get(&format!("/api/v1/contracts/{contract}/pricing.csv"), &t)
        .expect(200);
    assert!(
        csv.text
            .contains("2026-10,1000.000,USD,102.79,final,2026-10,855000.0000,102790.00,CNY,t,13.000,756637.1681,756.6372,USD/CNY,7.110000,106.4187"),
        "{}",
        csv.text
    );

    let order = app
        .post(
            "/api/v1/orders",
            &t,
            &json!({"order_type": "spot", "customer_id": c, "product_id": p, "period": "2026-10",
                "quantity_kg": "250", "pricing": terms, "currency": "USD",
                "incoterm": "FOB", "incoterm_place": "Tianjin"}),
        )
        .expect(201);
    let priced = app
        .get(&format!("/api/v1/orders/{}/pricing", id(&order.body)), &t)
        .expect(200);
    assert_eq!(
        (&priced.body["unit_price"], &priced.body["value"]),
        (&json!("102.79"), &json!("25697.50"))
    );

    // Terms in EUR: no EUR/CNY fixings, so the month does not price.
    let eur = app
        .post(
            "/api/v1/pricing/preview",
            &t,
            &json!({"pricing": terms, "period": "2026-10", "currency": "EUR"}),
        )
        .expect(200);
    assert_eq!(eur.body["status"], "unpriced");
    // A VAT above 30 % or an unknown unit is refused by name.
    let bad = app
        .post(
            "/api/v1/price-indices",
            &t,
            &json!({"code": "BAD", "name": "Bad", "currency": "CNY", "vat_pct": "31"}),
        )
        .expect(422);
    assert_eq!(bad.error_fields(), ["vat_pct"]);
    let bad = app
        .post(
            "/api/v1/price-indices",
            &t,
            &json!({"code": "BAD", "name": "Bad", "currency": "CNY", "unit": "lb"}),
        )
        .expect(422);
    assert_eq!(bad.error_fields(), ["unit"]);
    crate::demo::every_event_is_documented(app, &t);
}
