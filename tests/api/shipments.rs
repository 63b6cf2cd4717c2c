use serde_json::json;

use crate::common::{in_parallel, status_of, Backend, TestApp};
use crate::fixtures::*;
use crate::on_both_backends;

on_both_backends!(
    shipments_fulfil_contract_months_within_tolerance,
    order_status_follows_its_shipments,
    export_controlled_products_need_a_licence,
    each_transport_mode_ships_with_its_own_documents,
);

fn lots(kg: &str) -> serde_json::Value {
    json!([{"lot_number": "LOT-1", "quantity_kg": kg, "assay": {"TREO_pct": "99.5"}}])
}

fn ship_body() -> serde_json::Value {
    json!({"shipped_on": "2026-11-20", "vessel": "COSCO Aries", "voyage": "042E", "bl_number": "COSU612345", "containers": ["CSNU1234567"]})
}

fn active_contract(app: &TestApp, c: &str, p: &str, months: &[(&str, &str)]) -> String {
    let plan: Vec<(&str, &str, &str)> = months.iter().map(|(m, _)| (p, *m, "100000")).collect();
    approved_plan(app, &plan);
    let id = draft_contract(app, c, p, months);
    app.post(
        &format!("/api/v1/contracts/{id}/activate"),
        &app.admin(),
        &json!({}),
    )
    .expect(200);
    id
}

fn shipments_fulfil_contract_months_within_tolerance(app: &TestApp) {
    let c = customer(app, "C-1");
    let p = product(app, "P-1");
    // Tolerance 5 %: up to 1050 kg may ship against a 1000 kg month.
    let contract = active_contract(
        app,
        &c,
        &p,
        &[
            ("2026-10", "1000"),
            ("2026-11", "1000"),
            ("2027-01", "1000"),
        ],
    );
    let sales = app.token_for("sales");
    let plan = |period: &str, kg: &str| json!({"contract_id": contract, "period": period, "quantity_kg": kg, "lots": lots(kg), "planned_ship_date": "2026-11-15"});
    let first = app
        .post("/api/v1/shipments", &sales, &plan("2026-11", "800"))
        .expect(201);
    assert_eq!(first.body["status"], "planned");
    let too_much = app
        .post("/api/v1/shipments", &sales, &plan("2026-11", "300"))
        .expect(422);
    assert_eq!(too_much.error_fields(), ["quantity_kg"]);
    assert!(too_much.text.contains("1050.000"), "{}", too_much.text);
    let mut mismatch = plan("2026-11", "200");
    mismatch["lots"] = lots("150");
    assert_eq!(
        app.post("/api/v1/shipments", &sales, &mismatch)
            .expect(422)
            .error_fields(),
        ["lots"]
    );
    assert_eq!(
        app.post("/api/v1/shipments", &sales, &plan("2026-12", "1"))
            .expect(422)
            .error_fields(),
        ["period"]
    );
    app.post(
        "/api/v1/shipments",
        &app.token_for("viewer"),
        &plan("2026-11", "1"),
    )
    .expect(403);

    let sid = id(&first.body);
    app.patch(
        &format!("/api/v1/shipments/{sid}"),
        &sales,
        &json!({"quantity_kg": "900", "lots": lots("900")}),
    )
    .expect(200);
    app.post(
        &format!("/api/v1/shipments/{sid}/deliver"),
        &sales,
        &json!({"delivered_on": "2026-11-30"}),
    )
    .expect(409);
    let shipped = app
        .post(
            &format!("/api/v1/shipments/{sid}/ship"),
            &sales,
            &ship_body(),
        )
        .expect(200);
    assert_eq!(shipped.body["status"], "shipped");
    assert_eq!(shipped.body["bl_number"], "COSU612345");
    app.post(
        &format!("/api/v1/shipments/{sid}/cancel"),
        &sales,
        &json!({"reason": "x"}),
    )
    .expect(409);
    app.patch(
        &format!("/api/v1/shipments/{sid}"),
        &sales,
        &json!({"planned_ship_date": "2026-11-16"}),
    )
    .expect(409);
    app.post(
        &format!("/api/v1/shipments/{sid}/deliver"),
        &sales,
        &json!({"delivered_on": "2026-11-01"}),
    )
    .expect(422);
    app.post(
        &format!("/api/v1/shipments/{sid}/deliver"),
        &sales,
        &json!({"delivered_on": "2026-11-28"}),
    )
    .expect(200);
    // A cancelled shipment frees its quantity.
    let spare = id(&app
        .post("/api/v1/shipments", &sales, &plan("2026-11", "150"))
        .expect(201)
        .body);
    app.post(
        &format!("/api/v1/shipments/{spare}/cancel"),
        &sales,
        &json!({}),
    )
    .expect(422);
    app.post(
        &format!("/api/v1/shipments/{spare}/cancel"),
        &sales,
        &json!({"reason": "vessel full"}),
    )
    .expect(200);
    app.post("/api/v1/shipments", &sales, &plan("2026-11", "150"))
        .expect(201);

    let f = app
        .get(&format!("/api/v1/contracts/{contract}/fulfilment"), &sales)
        .expect(200);
    let rows = f.body["rows"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows[0]["period"], "2026-10");
    assert_eq!(rows[0]["status"], "late");
    assert_eq!(rows[1]["shipped_kg"], "900.000");
    assert_eq!(rows[1]["delivered_kg"], "900.000");
    assert_eq!(rows[1]["remaining_kg"], "100.000");
    assert_eq!(rows[1]["status"], "on_track");
    assert_eq!(rows[2]["status"], "on_track");
    // The contract list carries the same figures, summed over the months.
    let listed = app
        .get(&format!("/api/v1/contracts?customer_id={c}"), &sales)
        .expect(200);
    let totals = &listed.body["items"][0]["fulfilment"];
    assert_eq!(totals["due_kg"], "3000.000");
    assert_eq!(totals["shipped_kg"], "900.000");
    assert_eq!(totals["delivered_kg"], "900.000");
    // A single read stays as it was.
    let one = app
        .get(&format!("/api/v1/contracts/{contract}"), &sales)
        .expect(200);
    assert!(one.body.get("fulfilment").is_none());

    let d = app
        .get(
            &format!("/api/v1/deliveries?from=2026-10&to=2027-01&customer_id={c}"),
            &sales,
        )
        .expect(200);
    let statuses: Vec<&str> = d.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["status"].as_str()).collect())
        .unwrap_or_default();
    // November: 900 of 1000 kg delivered, below the 5 % band, and the month is still open.
    assert_eq!(statuses, ["late", "partially_shipped", "due"]);
    let csv = app
        .call(
            "GET",
            "/api/v1/deliveries?from=2026-10&to=2027-01",
            Some(&sales),
            None,
            &[("Accept", "text/csv")],
        )
        .expect(200);
    assert_eq!(csv.text.lines().count(), 4);
    let events = app
        .get("/api/v1/events?type=shipment.delivered", &sales)
        .expect(200);
    assert_eq!(events.body["items"][0]["entity_id"], sid.as_str());
}

fn order_status_follows_its_shipments(app: &TestApp) {
    let c = customer(app, "C-1");
    let p = product(app, "P-1");
    approved_plan(app, &[(&p, "2026-12", "5000")]);
    let t = app.admin();
    let order = id(&spot_order(app, &t, &c, &p, "2026-12", "1000"));
    let plan = |kg: &str| json!({"order_id": order, "quantity_kg": kg, "lots": lots(kg), "planned_ship_date": "2026-12-01"});
    // Only confirmed orders ship.
    assert_eq!(
        app.post("/api/v1/shipments", &t, &plan("400"))
            .expect(422)
            .error_fields(),
        ["order_id"]
    );
    app.post(&format!("/api/v1/orders/{order}/confirm"), &t, &json!({}))
        .expect(200);
    let a = id(&app
        .post("/api/v1/shipments", &t, &plan("400"))
        .expect(201)
        .body);
    let b = id(&app
        .post("/api/v1/shipments", &t, &plan("600"))
        .expect(201)
        .body);
    // A spot order has no tolerance.
    app.post("/api/v1/shipments", &t, &plan("1")).expect(422);
    let status = || {
        app.get(&format!("/api/v1/orders/{order}"), &t).body["status"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    app.post(&format!("/api/v1/shipments/{a}/ship"), &t, &ship_body())
        .expect(200);
    assert_eq!(status(), "partially_shipped");
    app.post(&format!("/api/v1/shipments/{b}/ship"), &t, &ship_body())
        .expect(200);
    assert_eq!(status(), "shipped");
    app.post(
        &format!("/api/v1/shipments/{a}/deliver"),
        &t,
        &json!({"delivered_on": "2026-12-20"}),
    )
    .expect(200);
    assert_eq!(status(), "shipped");
    app.post(
        &format!("/api/v1/shipments/{b}/deliver"),
        &t,
        &json!({"delivered_on": "2026-12-21"}),
    )
    .expect(200);
    assert_eq!(status(), "delivered");
    // A shipped order cannot be cancelled, and still counts as demand.
    app.post(
        &format!("/api/v1/orders/{order}/cancel"),
        &t,
        &json!({"reason": "x"}),
    )
    .expect(409);
    assert_eq!(
        row(&reconciliation(app, &p), "2026-12")["spot_kg"],
        "1000.000"
    );
    let events = app
        .get("/api/v1/events?type=order.delivered", &t)
        .expect(200);
    assert_eq!(events.body["items"][0]["entity_id"], order.as_str());
}

fn controlled_setup(app: &TestApp) -> (String, String, String, String) {
    let t = app.admin();
    let c = customer(app, "C-1");
    let other = customer(app, "C-2");
    let p = id(&app
        .post("/api/v1/products", &t, &json!({"code": "SM-OXIDE", "name": "Samarium oxide", "form": "oxide", "export_controlled": true}))
        .expect(201)
        .body);
    let contract = active_contract(app, &c, &p, &[("2026-11", "2000")]);
    (c, other, p, contract)
}

fn export_controlled_products_need_a_licence(app: &TestApp) {
    let t = app.admin();
    let (c, other, p, contract) = controlled_setup(app);
    let licence = |number: &str, customer: &str, kg: &str, from: &str, to: &str| {
        app.post("/api/v1/export-licences", &t, &json!({"number": number, "product_id": p, "customer_id": customer, "quantity_kg": kg, "valid_from": from, "valid_to": to}))
            .expect(201)
    };
    app.post("/api/v1/export-licences", &app.token_for("sales"), &json!({"number": "X", "product_id": p, "customer_id": c, "quantity_kg": "1", "valid_from": "2026-01-01", "valid_to": "2026-12-31"})).expect(403);
    let bad = app
        .post("/api/v1/export-licences", &t, &json!({"number": "X", "product_id": p, "customer_id": c, "quantity_kg": "0", "valid_from": "2026-12-31", "valid_to": "2026-01-01"}))
        .expect(422);
    assert_eq!(bad.error_fields(), ["quantity_kg", "valid_to"]);
    let good = licence("LIC-1", &c, "1000", "2026-01-01", "2026-12-31");
    assert_eq!(good.body["remaining_kg"], "1000.000");
    let good = id(&good.body);
    let wrong_customer = id(&licence("LIC-2", &other, "5000", "2026-01-01", "2026-12-31").body);
    let expired = id(&licence("LIC-3", &c, "5000", "2025-01-01", "2025-12-31").body);

    let sales = app.token_for("sales");
    let plan = |kg: &str| {
        id(&app
            .post("/api/v1/shipments", &sales, &json!({"contract_id": contract, "period": "2026-11", "quantity_kg": kg, "lots": lots(kg), "planned_ship_date": "2026-11-15"}))
            .expect(201)
            .body)
    };
    let s = plan("600");
    let ship = |sid: &str, licence: Option<&str>| {
        let mut body = ship_body();
        if let Some(l) = licence {
            body["export_licence_id"] = json!(l);
        }
        app.post(&format!("/api/v1/shipments/{sid}/ship"), &sales, &body)
    };
    assert_eq!(
        ship(&s, None).expect(422).error_fields(),
        ["export_licence_id"]
    );
    assert_eq!(
        ship(&s, Some(&wrong_customer)).expect(422).error_fields(),
        ["export_licence_id"]
    );
    assert_eq!(
        ship(&s, Some(&expired)).expect(409).body["type"],
        "urn:ndpr:problem:export-licence"
    );
    ship(&s, Some(&good)).expect(200);
    let l = app
        .get(&format!("/api/v1/export-licences/{good}"), &sales)
        .expect(200);
    assert_eq!(
        (
            l.body["shipped_kg"].as_str(),
            l.body["remaining_kg"].as_str()
        ),
        (Some("600.000"), Some("400.000"))
    );
    let s2 = plan("500");
    let refused = ship(&s2, Some(&good)).expect(409);
    assert_eq!(refused.body["remaining_kg"], "400.000");
    app.post(
        &format!("/api/v1/export-licences/{good}/revoke"),
        &t,
        &json!({"reason": "audit"}),
    )
    .expect(200);
    let s3 = plan("100");
    assert!(ship(&s3, Some(&good)).expect(409).text.contains("revoked"));
    let list = app
        .get("/api/v1/export-licences?status=revoked", &sales)
        .expect(200);
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        app.get(&format!("/api/v1/export-licences/{expired}"), &sales)
            .body["status"],
        "expired"
    );
}

fn race_licence(app: &TestApp) {
    let t = app.admin();
    let (c, _, p, contract) = controlled_setup(app);
    let licence = id(&app
        .post("/api/v1/export-licences", &t, &json!({"number": "LIC-R", "product_id": p, "customer_id": c, "quantity_kg": "1000", "valid_from": "2026-01-01", "valid_to": "2026-12-31"}))
        .expect(201)
        .body);
    let ids: Vec<String> = (0..6)
        .map(|_| {
            id(&app
                .post("/api/v1/shipments", &t, &json!({"contract_id": contract, "period": "2026-11", "quantity_kg": "300", "lots": lots("300"), "planned_ship_date": "2026-11-15", "export_licence_id": licence}))
                .expect(201)
                .body)
        })
        .collect();
    let base = app.base.clone();
    let auth = format!("Bearer {t}");
    let statuses = in_parallel(ids.len(), move |i| {
        status_of(
            ureq::post(&format!("{base}/api/v1/shipments/{}/ship", ids[i]))
                .set("Authorization", &auth)
                .send_json(ship_body()),
        )
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        3,
        "{statuses:?}"
    );
    let l = app
        .get(&format!("/api/v1/export-licences/{licence}"), &t)
        .expect(200);
    assert_eq!(l.body["shipped_kg"], "900.000");
}

#[test]
fn racing_shipments_never_overdraw_a_licence_sqlite() {
    race_licence(&TestApp::start(Backend::Sqlite).unwrap_or_else(|| unreachable!()));
}

#[test]
fn racing_shipments_never_overdraw_a_licence_postgres() {
    if let Some(app) = TestApp::start(Backend::Postgres) {
        race_licence(&app);
    }
}

fn each_transport_mode_ships_with_its_own_documents(app: &TestApp) {
    let c = customer(app, "C-1");
    let p = product(app, "P-1");
    approved_plan(app, &[(&p, "2026-12", "50000")]);
    let t = app.admin();
    let order = id(&spot_order(app, &t, &c, &p, "2026-12", "4000"));
    app.post(&format!("/api/v1/orders/{order}/confirm"), &t, &json!({}))
        .expect(200);
    let plan = |mode: Option<&str>| {
        let mut body = json!({"order_id": order, "quantity_kg": "1000", "lots": lots("1000"), "planned_ship_date": "2026-12-01"});
        if let Some(m) = mode {
            body["transport_mode"] = json!(m);
        }
        let res = app.post("/api/v1/shipments", &t, &body).expect(201);
        (id(&res.body), res.body["transport_mode"].clone())
    };
    let ship = |sid: &str, body: serde_json::Value| {
        app.post(&format!("/api/v1/shipments/{sid}/ship"), &t, &body)
    };

    // Planned without a mode: by sea, with a vessel and a bill of lading.
    let (sea, mode) = plan(None);
    assert_eq!(mode, "sea");
    let no_bl = ship(
        &sea,
        json!({"shipped_on": "2026-11-20", "vessel": "COSCO Aries"}),
    )
    .expect(422);
    assert_eq!(no_bl.error_fields(), ["bl_number"]);
    ship(&sea, ship_body()).expect(200);

    // By air: an air waybill, and no bill of lading or containers.
    let (air, mode) = plan(Some("air"));
    assert_eq!(mode, "air");
    let wrong = ship(&air, ship_body()).expect(422);
    let mut fields = wrong.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        ["air_waybill", "bl_number", "containers", "vessel", "voyage"]
    );
    let flown = ship(
        &air,
        json!({"shipped_on": "2026-11-21", "air_waybill": "999-12345675", "flight": "CA1041"}),
    )
    .expect(200);
    assert_eq!(flown.body["transport_mode"], "air");
    assert_eq!(flown.body["air_waybill"], "999-12345675");
    assert!(flown.body["bl_number"].is_null() && flown.body["vessel"].is_null());

    // By rail, and by road decided at departure: a consignment note each.
    let (rail, _) = plan(Some("rail"));
    ship(
        &rail,
        json!({"shipped_on": "2026-11-22", "air_waybill": "999-1"}),
    )
    .expect(422);
    let railed = ship(
        &rail,
        json!({"shipped_on": "2026-11-22", "consignment_note": "CIM-2026-0042", "containers": ["TGHU7654321"]}),
    )
    .expect(200);
    assert_eq!(railed.body["consignment_note"], "CIM-2026-0042");
    let (road, _) = plan(None);
    let trucked = ship(
        &road,
        json!({"shipped_on": "2026-11-23", "transport_mode": "road", "consignment_note": "CMR 0815"}),
    )
    .expect(200);
    assert_eq!(trucked.body["transport_mode"], "road");
    app.post(
        "/api/v1/shipments",
        &t,
        &json!({"order_id": order, "quantity_kg": "1", "lots": lots("1"), "planned_ship_date": "2026-12-01", "transport_mode": "pigeon"}),
    )
    .expect(422);
}
