//! What a shipment is worth, through HTTP: provisional at shipment, final when the price is,
//! frozen when finalised, with quality adjustments per lot and each figure in the book
//! currency.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::fixtures::*;
use crate::on_both_backends;

on_both_backends!(
    a_shipment_settles_provisionally_then_finally,
    quality_terms_are_bounded_and_named,
    no_correction_changes_a_final_settlement,
    the_provisional_price_is_the_one_known_on_the_ship_date,
);

/// The worked example: 100.00 USD/kg at shipment, 102.79 final; lots of 10,000 kg at
/// TREO 99.12 % and 15,000 kg at 98.83 %; TREO minimum 99.0, step 0.1, 0.50 USD/kg per step;
/// 90 % provisional payment → provisional value 2,485,000.00, due 2,236,500.00; final value
/// 2,554,750.00; balance 318,250.00 USD. In the book (CNY): due at the ship date's 7.10,
/// final at the finalisation's 7.12.
fn a_shipment_settles_provisionally_then_finally(app: &TestApp) {
    let t = app.admin();
    let sales = app.token_for("sales");
    let index = id(&app
        .post(
            "/api/v1/price-indices",
            &t,
            &json!({"code": "SETTLE-IDX", "name": "NdPr oxide FOB China", "currency": "USD"}),
        )
        .expect(201)
        .body);
    // September is quoted; October, the quotation month, not yet.
    app.post(
        &format!("/api/v1/price-indices/{index}/quotes"),
        &t,
        &json!([{"date": "2026-09-15", "price": "100"}]),
    )
    .expect(200);
    app.post(
        "/api/v1/fx-rates",
        &t,
        &json!([
            {"base": "USD", "quote": "CNY", "date": "2026-11-20", "rate": "7.10"},
            {"base": "USD", "quote": "CNY", "date": "2026-11-26", "rate": "7.12"}
        ]),
    )
    .expect(200);
    let c = customer(app, "C-SETTLE");
    let p = product(app, "P-SETTLE");
    approved_plan(app, &[(&p, "2026-10", "30000")]);
    let mut body = contract_body(&c, &p, &[("2026-10", "25000")]);
    body["pricing"] = json!({"type": "index", "index_id": index, "qp_offset_months": 0});
    body["quality_terms"] = json!([{"assay_key": "TREO_pct", "minimum": "99.0", "step": "0.1",
        "rate": "0.50", "rejection_limit": "98.0"}]);
    body["provisional_payment_pct"] = json!("90");
    let contract = app.post("/api/v1/contracts", &t, &body).expect(201);
    assert_eq!(contract.body["provisional_payment_pct"], "90.0");
    assert_eq!(contract.body["quality_terms"][0]["assay_key"], "TREO_pct");
    let contract = id(&contract.body);
    app.post(
        &format!("/api/v1/contracts/{contract}/activate"),
        &t,
        &json!({}),
    )
    .expect(200);
    let shipment = id(&app
        .post(
            "/api/v1/shipments",
            &sales,
            &json!({"contract_id": contract, "period": "2026-10", "quantity_kg": "25000",
            "planned_ship_date": "2026-11-20", "lots": [
                {"lot_number": "L1", "quantity_kg": "10000", "assay": {"TREO_pct": "99.12"}},
                {"lot_number": "L2", "quantity_kg": "15000", "assay": {"TREO_pct": "98.83"}}
            ]}),
        )
        .expect(201)
        .body);
    let path = format!("/api/v1/shipments/{shipment}/settlement");
    // Nothing to settle before it ships.
    app.get(&path, &sales).expect(404);
    app.post(
        &format!("/api/v1/shipments/{shipment}/ship"),
        &sales,
        &json!({"shipped_on": "2026-11-20", "vessel": "COSCO Aries", "voyage": "042E",
            "bl_number": "COSU612345", "containers": ["CSNU1234567"]}),
    )
    .expect(200);

    let s = app.get(&path, &app.token_for("viewer")).expect(200);
    assert_eq!(s.header("etag"), Some("\"1\""));
    let b = &s.body;
    assert_eq!(b["status"], "open");
    assert_eq!(b["currency"], "USD");
    assert_eq!(
        (
            &b["provisional"]["unit_price"],
            &b["provisional"]["price_status"]
        ),
        (&json!("100.00"), &json!("provisional"))
    );
    let lines = &b["provisional"]["lines"];
    assert_eq!(
        (&lines[0]["adjustment"], &lines[0]["amount"]),
        (&json!("0.00"), &json!("1000000.00"))
    );
    assert_eq!(
        (
            &lines[1]["adjustment"],
            &lines[1]["unit_price"],
            &lines[1]["amount"]
        ),
        (&json!("-1.00"), &json!("99.00"), &json!("1485000.00"))
    );
    assert_eq!(b["provisional"]["value"], "2485000.00");
    // Valued on the ship date, with what was known that day.
    assert_eq!(b["provisional"]["valued_on"], "2026-11-20");
    assert_eq!(b["book"]["provisional_rate_date"], "2026-11-20");
    assert_eq!(b["provisional_due"], "2236500.00");
    // The price is still provisional: no final value, no balance, and no finalising.
    assert_eq!((&b["final"], &b["balance"]), (&Value::Null, &Value::Null));
    assert_eq!(b["book"]["provisional_rate"], "7.100000");
    assert_eq!(b["book"]["provisional_due"], "15879150.00");
    let early = app.post(
        &format!("/api/v1/shipments/{shipment}/settlement/finalise"),
        &sales,
        &json!({}),
    );
    assert_eq!(early.status, 409, "{}", early.text);
    assert!(early.body["detail"]
        .as_str()
        .is_some_and(|d| d.contains("provisional")));

    // October is quoted: the price is final at 102.79, and so are the value and the balance.
    app.post(
        &format!("/api/v1/price-indices/{index}/quotes"),
        &t,
        &json!([{"date": "2026-10-15", "price": "102.79"}]),
    )
    .expect(200);
    let s = app.get(&path, &sales).expect(200);
    let b = &s.body;
    assert_eq!(b["status"], "open");
    assert_eq!(b["final"]["unit_price"], "102.79");
    assert_eq!(b["final"]["value"], "2554750.00");
    assert_eq!(b["balance"], "318250.00");

    // The reports, while it is open: what is owed, and what today's price does to it.
    let range = format!("from=2026-10&to=2026-10&customer_id={c}");
    let owed = app
        .get(&format!("/api/v1/reports/receivables?{range}"), &sales)
        .expect(200);
    assert_eq!(
        owed.body["rows"],
        json!([{"customer_id": c, "customer_code": "C-SETTLE", "currency": "USD", "settlements": 1,
            "provisional_due": "2236500.00", "final_balances": "0.00",
            "open_balances_estimate": "318250.00"}])
    );
    let reval = app
        .get(&format!("/api/v1/reports/revaluation?{range}"), &sales)
        .expect(200);
    assert_eq!(reval.body["book_currency"], "CNY");
    assert_eq!(
        (
            &reval.body["rows"][0]["difference"],
            &reval.body["rows"][0]["book_difference"]
        ),
        (&json!("69750.00"), &json!("496620.00"))
    );
    assert_eq!(
        (
            &reval.body["totals"][0]["book_rate"],
            &reval.body["totals"][0]["book_difference"]
        ),
        (&json!("7.120000"), &json!("496620.00"))
    );

    // Only sales and admin finalise; a stale If-Match is refused.
    app.post(
        &format!("/api/v1/shipments/{shipment}/settlement/finalise"),
        &app.token_for("planner"),
        &json!({}),
    )
    .expect(403);
    app.call(
        "POST",
        &format!("/api/v1/shipments/{shipment}/settlement/finalise"),
        Some(&sales),
        Some(&json!({})),
        &[("If-Match", "\"7\"")],
    )
    .expect(412);
    let done = app
        .call(
            "POST",
            &format!("/api/v1/shipments/{shipment}/settlement/finalise"),
            Some(&sales),
            Some(&json!({})),
            &[("If-Match", "\"1\"")],
        )
        .expect(200);
    let b = &done.body;
    assert_eq!((&b["status"], &b["version"]), (&json!("final"), &json!(2)));
    assert_eq!(b["balance"], "318250.00");
    assert_eq!(b["current"], Value::Null);
    assert_eq!(
        (&b["book"]["final_rate"], &b["book"]["final_value"]),
        (&json!("7.120000"), &json!("18189820.00"))
    );
    assert_eq!(b["book"]["balance"], "2310670.00");
    assert_eq!(b["book"]["fx_difference"], "44730.00");
    assert!(b["finalised_at"].is_string());

    // Finalised: the balance is to invoice, nothing is left to revalue, and the price realised
    // stands beside the index it was priced on.
    let owed = app
        .get(&format!("/api/v1/reports/receivables?{range}"), &sales)
        .expect(200);
    assert_eq!(
        (
            &owed.body["rows"][0]["final_balances"],
            &owed.body["rows"][0]["open_balances_estimate"]
        ),
        (&json!("318250.00"), &json!("0.00"))
    );
    let reval = app
        .get(&format!("/api/v1/reports/revaluation?{range}"), &sales)
        .expect(200);
    assert_eq!(reval.body["rows"], json!([]));
    let real = app
        .get(
            &format!("/api/v1/reports/price-realisation?from=2026-10&to=2026-10&index_id={index}"),
            &sales,
        )
        .expect(200);
    let row = real.body["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["product_code"] == "P-SETTLE")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (
            &row["kind"],
            &row["kg"],
            &row["value"],
            &row["average_price"]
        ),
        (
            &json!("contract"),
            &json!("25000.000"),
            &json!("2554750.00"),
            &json!("102.19")
        )
    );
    assert_eq!(
        (&row["index_average"], &row["book_average_price"]),
        (&json!("102.7900"), &json!("727.59"))
    );
    let csv = app
        .get(
            &format!(
                "/api/v1/reports/price-realisation.csv?from=2026-10&to=2026-10&index_id={index}"
            ),
            &sales,
        )
        .expect(200);
    assert!(
        csv.text.contains(
            ",P-SETTLE,2026-10,contract,USD,25000.000,2554750.00,102.19,102.7900,CNY,727.59"
        ),
        "{}",
        csv.text
    );
    app.get(
        "/api/v1/reports/receivables?from=2026-10&to=2036-11",
        &sales,
    )
    .expect(422);

    // The desk's settlements page says the same.
    {
        use crate::desk_client::{cookie_for, send};
        let desk = cookie_for(app, "sales");
        let page = send(
            app,
            "GET",
            &format!("/settlements?customer_id={c}&from=2026-10&to=2026-10"),
            Some(&desk),
            None,
            &[],
        );
        assert_eq!(page.status, 200, "{}", page.body);
        for text in [
            "USD 2,236,500.00",
            "USD 318,250.00",
            "USD 2,554,750.00 (price final)",
            "C-SETTLE",
        ] {
            assert!(
                page.body.contains(text),
                "{text} missing from {}",
                page.body
            );
        }
    }

    // A later correction of the quote changes open settlements only: this one is frozen.
    app.post(
        &format!("/api/v1/price-indices/{index}/quotes"),
        &t,
        &json!([{"date": "2026-10-15", "price": "110"}]),
    )
    .expect(200);
    let s = app.get(&path, &sales).expect(200);
    assert_eq!(s.body["final"]["value"], "2554750.00");
    assert_eq!(s.body["balance"], "318250.00");
    // And however the quotation month's quotes and fixings are corrected afterwards, the
    // frozen settlement reads the same, figure for figure (a pseudo-random walk of 25
    // corrections).
    let frozen = s.body.clone();
    let mut seed: u64 = 0x5EED_2026;
    for i in 0..25 {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let price = 50 + (seed >> 33) % 150;
        let rate = 6_500_000 + (seed >> 17) % 1_000_000;
        app.post(
            &format!("/api/v1/price-indices/{index}/quotes"),
            &t,
            &json!([{"date": format!("2026-10-{:02}", 1 + i % 28), "price": price.to_string()}]),
        )
        .expect(200);
        let fixed = app.put(
            &format!("/api/v1/fx-rates/USD/CNY/2026-11-{:02}", 1 + i % 26),
            &t,
            &json!({"rate": format!("{}.{:06}", rate / 1_000_000, rate % 1_000_000)}),
        );
        assert!(matches!(fixed.status, 200 | 201), "{}", fixed.text);
        assert_eq!(
            app.get(&path, &sales).expect(200).body,
            frozen,
            "after correction {i}"
        );
    }
    app.post(
        &format!("/api/v1/shipments/{shipment}/settlement/finalise"),
        &sales,
        &json!({}),
    )
    .expect(409);

    // The list and its CSV; the events.
    let list = app
        .get(
            &format!("/api/v1/settlements?status=final&customer_id={c}"),
            &sales,
        )
        .expect(200);
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1));
    app.get("/api/v1/settlements?from=2026-12&to=2026-10", &sales)
        .expect(422);
    let csv = app
        .get(
            &format!("/api/v1/settlements.csv?contract_id={contract}"),
            &sales,
        )
        .expect(200);
    assert!(csv.text.contains(",final,2026-11-20,100.00,2485000.00,90.0,2236500.00,102.79,2554750.00,318250.00,CNY,15879150.00,18189820.00,2310670.00,44730.00"), "{}", csv.text);
    let events = app
        .get(
            &format!("/api/v1/events?entity_type=settlement&entity_id={shipment}"),
            &t,
        )
        .expect(200);
    let types: Vec<&str> = events.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert_eq!(types, ["settlement.provisional", "settlement.final"]);
    crate::demo::every_event_is_documented(app, &t);
}

fn quality_terms_are_bounded_and_named(app: &TestApp) {
    let t = app.admin();
    let c = customer(app, "C-Q");
    let p = product(app, "P-Q");
    let mut body = contract_body(&c, &p, &[("2027-01", "100")]);
    body["quality_terms"] = json!([
        {"assay_key": "TREO_pct", "minimum": "99.0", "step": "0", "rate": "0.50"},
        {"assay_key": "TREO_pct", "minimum": "99.0", "step": "0.1", "rate": "0.50", "rejection_limit": "99.5"}
    ]);
    body["provisional_payment_pct"] = json!("0");
    let bad = app.post("/api/v1/contracts", &t, &body).expect(422);
    assert_eq!(
        bad.error_fields(),
        [
            "provisional_payment_pct",
            "quality_terms[0].step",
            "quality_terms[1].assay_key",
            "quality_terms[1].rejection_limit"
        ]
    );
    body["quality_terms"] = Value::Array(vec![
        json!({"assay_key": "X", "minimum": "1", "step": "1", "rate": "1"});
        21
    ]);
    body["provisional_payment_pct"] = json!("100");
    let bad = app.post("/api/v1/contracts", &t, &body).expect(422);
    assert_eq!(bad.error_fields(), ["quality_terms"]);
    body["quality_terms"] =
        json!([{"assay_key": "X", "minimum": "1", "step": "1", "rate": "1000000.01"}]);
    let bad = app.post("/api/v1/contracts", &t, &body).expect(422);
    assert_eq!(bad.error_fields(), ["quality_terms[0].rate"]);
    // A spot order carries its own; an add-on order follows its contract's.
    let order = app
        .post(
            "/api/v1/orders",
            &t,
            &json!({"order_type": "spot", "customer_id": c, "product_id": p, "period": "2027-01",
                "quantity_kg": "100", "pricing": {"type": "fixed", "unit_price": "70"},
                "currency": "USD", "incoterm": "CIF", "incoterm_place": "Busan",
                "quality_terms": [{"assay_key": "TREO_pct", "minimum": "99", "step": "0.1", "rate": "0.5"}]}),
        )
        .expect(201);
    assert_eq!(order.body["quality_terms"][0]["minimum"], "99.0");
}

/// Property: once finalised, a settlement reads the same, figure for figure, whatever the
/// quotation month's quotes and the fixings are corrected to afterwards (any price and rate
/// within the bounds, on any day of the month).
fn no_correction_changes_a_final_settlement(app: &TestApp) {
    use proptest::prelude::*;
    let t = app.admin();
    app.put(
        "/api/v1/fx-rates/USD/CNY/2026-11-02",
        &t,
        &json!({"rate": "7.1"}),
    )
    .expect(201);
    let (index, shipment) = shipped_on_a_usd_index(
        app,
        "FROZEN",
        json!([{"date": "2026-10-15", "price": "100"}]),
        "2026-10",
        "2026-11-02",
    );
    let path = format!("/api/v1/shipments/{shipment}/settlement");
    let frozen = app
        .post(&format!("{path}/finalise"), &t, &json!({}))
        .expect(200)
        .body;
    assert_eq!(frozen["final"]["value"], "100000.00");
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases: 16,
        ..Default::default()
    });
    let corrections = proptest::collection::vec(
        (
            1u32..=28,
            1u64..=10_000_000_000_000,
            1u64..=1_000_000_000_000,
        ),
        1..4,
    );
    runner
        .run(&corrections, |changes| {
            for (day, price, rate) in changes {
                let quote = json!([{"date": format!("2026-10-{day:02}"),
                    "price": format!("{}.{:04}", price / 10_000, price % 10_000)}]);
                let q = app.post(&format!("/api/v1/price-indices/{index}/quotes"), &t, &quote);
                prop_assert_eq!(q.status, 200, "{}", q.text);
                let fixing =
                    json!({"rate": format!("{}.{:06}", rate / 1_000_000, rate % 1_000_000)});
                let f = app.put(
                    &format!("/api/v1/fx-rates/USD/CNY/2026-11-{day:02}"),
                    &t,
                    &fixing,
                );
                prop_assert!(matches!(f.status, 200 | 201), "{}", f.text);
            }
            prop_assert_eq!(&app.get(&path, &t).expect(200).body, &frozen);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

/// A shipment entered after it sailed is valued at the price known on its ship date: quotes
/// dated later count for today's estimate, not for the provisional settlement.
fn the_provisional_price_is_the_one_known_on_the_ship_date(app: &TestApp) {
    let t = app.admin();
    let (_, shipment) = shipped_on_a_usd_index(
        app,
        "LATE",
        json!([{"date": "2026-11-05", "price": "90"}, {"date": "2026-11-20", "price": "110"}]),
        "2026-11",
        "2026-11-10",
    );
    let s = app
        .get(&format!("/api/v1/shipments/{shipment}/settlement"), &t)
        .expect(200);
    assert_eq!(
        (
            &s.body["provisional"]["unit_price"],
            &s.body["provisional"]["valued_on"]
        ),
        (&json!("90.00"), &json!("2026-11-10"))
    );
    assert_eq!(
        (
            &s.body["current"]["unit_price"],
            &s.body["current"]["price_status"]
        ),
        (&json!("100.00"), &json!("provisional"))
    );
}

/// 1000 kg of a contract's `month`, priced on a USD index with `quotes` in that same month,
/// shipped on `ship_date`: the index and the shipment (index, customer and product named after
/// `code`).
fn shipped_on_a_usd_index(
    app: &TestApp,
    code: &str,
    quotes: Value,
    month: &str,
    ship_date: &str,
) -> (String, String) {
    let t = app.admin();
    let index = id(&app
        .post(
            "/api/v1/price-indices",
            &t,
            &json!({"code": format!("{code}-IDX"), "name": code, "currency": "USD"}),
        )
        .expect(201)
        .body);
    app.post(
        &format!("/api/v1/price-indices/{index}/quotes"),
        &t,
        &quotes,
    )
    .expect(200);
    let c = customer(app, &format!("C-{code}"));
    let p = product(app, &format!("P-{code}"));
    approved_plan(app, &[(&p, month, "1000")]);
    let mut body = contract_body(&c, &p, &[(month, "1000")]);
    body["pricing"] = json!({"type": "index", "index_id": index, "qp_offset_months": 0});
    let contract = id(&app.post("/api/v1/contracts", &t, &body).expect(201).body);
    app.post(
        &format!("/api/v1/contracts/{contract}/activate"),
        &t,
        &json!({}),
    )
    .expect(200);
    let shipment = id(&app
        .post(
            "/api/v1/shipments",
            &t,
            &json!({"contract_id": contract, "period": month, "quantity_kg": "1000",
                "planned_ship_date": ship_date,
                "lots": [{"lot_number": format!("{code}-1"), "quantity_kg": "1000"}]}),
        )
        .expect(201)
        .body);
    app.post(
        &format!("/api/v1/shipments/{shipment}/ship"),
        &t,
        &json!({"shipped_on": ship_date, "vessel": "V", "bl_number": "B1", "containers": ["C1"]}),
    )
    .expect(200);
    (index, shipment)
}
