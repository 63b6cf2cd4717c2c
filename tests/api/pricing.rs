use serde_json::json;

use crate::common::TestApp;
use crate::fixtures::*;
use crate::on_both_backends;

on_both_backends!(index_prices_previews_and_exposure);

fn index_prices_previews_and_exposure(app: &TestApp) {
    let t = app.admin();
    let index = id(&app
        .post(
            "/api/v1/price-indices",
            &t,
            &json!({"code": "NDPR-FOB", "name": "NdPr oxide FOB China", "currency": "USD"}),
        )
        .expect(201)
        .body);
    let empty = id(&app
        .post(
            "/api/v1/price-indices",
            &t,
            &json!({"code": "EMPTY", "name": "No quotes yet", "currency": "USD"}),
        )
        .expect(201)
        .body);
    app.post(
        &format!("/api/v1/price-indices/{index}/quotes"),
        &t,
        &json!([
            {"date": "2026-10-01", "price": "60"},
            {"date": "2026-10-15", "price": "61"},
            {"date": "2026-11-05", "price": "70"}
        ]),
    )
    .expect(200);
    let averages = app
        .get(&format!("/api/v1/price-indices/{index}/averages"), &t)
        .expect(200);
    assert_eq!(
        averages.body["averages"],
        json!([{"period": "2026-10", "average": "60.5000"}, {"period": "2026-11", "average": "70.0000"}])
    );

    let terms = json!({"type": "index", "index_id": index, "qp_offset_months": -1, "multiplier": "1", "premium": "-1.50", "floor": "55", "ceiling": "80"});
    // November delivery prices on October, which is over: final.
    let p = app
        .post(
            "/api/v1/pricing/preview",
            &t,
            &json!({"pricing": terms, "period": "2026-11", "currency": "USD"}),
        )
        .expect(200);
    assert_eq!(
        p.body,
        json!({"unit_price": "59.00", "status": "final", "basis_period": "2026-10", "index_average": "60.5000",
            "conversion": {"index_currency": "USD", "unit": "kg", "vat_pct": "0.000", "net_of_vat": "60.5000",
                "per_kg": "60.5000", "fx_pair": null, "fx_rate": null, "converted": "60.5000"}})
    );
    // January delivery prices on December, which has no quotes: provisional on November.
    let p = app
        .post(
            "/api/v1/pricing/preview",
            &t,
            &json!({"pricing": terms, "period": "2027-01", "currency": "USD"}),
        )
        .expect(200);
    assert_eq!(p.body["status"], "provisional");
    assert_eq!(p.body["basis_period"], "2026-11");
    assert_eq!(p.body["unit_price"], "68.50");
    let p = app
        .post("/api/v1/pricing/preview", &t, &json!({"pricing": {"type": "index", "index_id": empty}, "period": "2027-01", "currency": "USD"}))
        .expect(200);
    assert_eq!(p.body["status"], "unpriced");
    assert_eq!(p.body["unit_price"], serde_json::Value::Null);
    let p = app.post("/api/v1/pricing/preview", &t, &json!({"pricing": {"type": "fixed", "unit_price": "62.5"}, "period": "2027-01", "currency": "USD"})).expect(200);
    assert_eq!(
        (p.body["status"].as_str(), p.body["unit_price"].as_str()),
        (Some("fixed"), Some("62.50"))
    );
    // Terms in EUR on a USD index need EUR/USD fixings: without any, nothing prices.
    let eur = app
        .post(
            "/api/v1/pricing/preview",
            &t,
            &json!({"pricing": terms, "period": "2027-01", "currency": "EUR"}),
        )
        .expect(200);
    assert_eq!(eur.body["status"], "unpriced");
    let bad = app
        .post("/api/v1/pricing/preview", &t, &json!({"pricing": {"type": "index", "index_id": index, "floor": "80", "ceiling": "55"}, "period": "2027-01", "currency": "USD"}))
        .expect(422);
    assert_eq!(bad.error_fields(), ["pricing.ceiling"]);

    // A contract on the index: each month priced, with its value.
    let c = customer(app, "C-1");
    let prod = product(app, "P-1");
    let mut body = contract_body(&c, &prod, &[("2026-11", "1000"), ("2027-01", "2000")]);
    body["pricing"] = terms.clone();
    body["addon_premium"] = json!("3");
    let contract = id(&app.post("/api/v1/contracts", &t, &body).expect(201).body);
    let priced = app
        .get(&format!("/api/v1/contracts/{contract}/pricing"), &t)
        .expect(200);
    assert_eq!(priced.body["currency"], "USD");
    assert_eq!(priced.body["rows"][0]["unit_price"], "59.00");
    assert_eq!(priced.body["rows"][0]["value"], "59000.00");
    assert_eq!(priced.body["rows"][1]["status"], "provisional");
    assert_eq!(priced.body["rows"][1]["value"], "137000.00");

    // Committed volume by pricing status.
    approved_plan(
        app,
        &[(&prod, "2026-11", "5000"), (&prod, "2027-01", "5000")],
    );
    app.post(
        &format!("/api/v1/contracts/{contract}/activate"),
        &t,
        &json!({}),
    )
    .expect(200);
    let add_on = app
        .post("/api/v1/orders", &t, &json!({"order_type": "add_on", "contract_id": contract, "customer_id": c, "product_id": prod, "period": "2027-01", "quantity_kg": "100"}))
        .expect(201);
    let add_on_id = id(&add_on.body);
    let order_price = app
        .get(&format!("/api/v1/orders/{add_on_id}/pricing"), &t)
        .expect(200);
    assert_eq!(order_price.body["unit_price"], "71.50");
    app.post(
        &format!("/api/v1/orders/{add_on_id}/confirm"),
        &t,
        &json!({}),
    )
    .expect(200);
    let spot = id(&spot_order(app, &t, &c, &prod, "2027-01", "50"));
    app.post(&format!("/api/v1/orders/{spot}/confirm"), &t, &json!({}))
        .expect(200);
    let exposure = app
        .get(
            "/api/v1/reports/pricing-exposure?from=2026-11&to=2027-01",
            &t,
        )
        .expect(200);
    let rows = exposure.body["rows"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["final_kg"], "1000.000");
    assert_eq!(rows[1]["provisional_kg"], "2100.000");
    assert_eq!(rows[1]["fixed_kg"], "50.000");
    // 2000 × 68.50 + 100 × 71.50 + 50 × 70 = 147,650.00 over 2150 kg.
    assert_eq!(
        rows[1]["by_currency"],
        json!([{"currency": "USD", "priced_kg": "2150.000", "value": "147650.00", "average_price": "68.67",
            "book_currency": "CNY", "book_rate": null, "book_value": null}])
    );
    // With a USD/CNY fixing, each currency's value also in the books' currency, the rate named.
    app.put(
        "/api/v1/fx-rates/USD/CNY/2026-11-20",
        &t,
        &json!({"rate": "7"}),
    )
    .expect(201);
    let exposure = app
        .get(
            "/api/v1/reports/pricing-exposure?from=2026-11&to=2027-01",
            &t,
        )
        .expect(200);
    assert_eq!(
        (
            &exposure.body["rows"][1]["by_currency"][0]["book_rate"],
            &exposure.body["rows"][1]["by_currency"][0]["book_value"]
        ),
        (&json!("7.000000"), &json!("1033550.00"))
    );
    let csv = app
        .call(
            "GET",
            "/api/v1/reports/pricing-exposure?from=2026-11&to=2027-01",
            Some(&t),
            None,
            &[("Accept", "text/csv")],
        )
        .expect(200);
    assert!(
        csv.text
            .contains("P-1,2027-01,50.000,0.000,2100.000,0.000,USD,2150.000,147650.00,68.67,CNY,7.000000,1033550.00"),
        "{}",
        csv.text
    );
}
