//! Shipments from the desk, in process over HTTP on both backends: planning with lots and
//! their assay under an export licence, refusals that name the input, shipping with the mode's
//! documents (the licence's remaining kg drops), and delivery showing on the contract page;
//! and master data created from the desk by the roles that may.

use serde_json::json;

use crate::common::TestApp;
use crate::desk_client::*;
use crate::fixtures::*;
use crate::on_both_backends;

on_both_backends!(
    a_shipment_is_planned_shipped_and_delivered_from_the_desk,
    master_data_is_created_from_the_desk_by_the_roles_that_may,
);

fn a_shipment_is_planned_shipped_and_delivered_from_the_desk(app: &TestApp) {
    let c = customer(app, "C-SHIP");
    let p = id(&app
        .post(
            "/api/v1/products",
            &app.admin(),
            &json!({"code": "P-SHIP", "name": "Controlled oxide", "form": "oxide", "export_controlled": true}),
        )
        .expect(201)
        .body);
    approved_plan(app, &[(&p, "2027-03", "1000")]);
    let contract = draft_contract(app, &c, &p, &[("2027-03", "500")]);
    app.post(
        &format!("/api/v1/contracts/{contract}/activate"),
        &app.admin(),
        &json!({}),
    )
    .expect(200);
    let licence = id(&app
        .post(
            "/api/v1/export-licences",
            &app.admin(),
            &json!({"number": "LIC-DESK", "product_id": p, "customer_id": c, "quantity_kg": "2000", "valid_from": "2026-01-01", "valid_to": "2027-12-31"}),
        )
        .expect(201)
        .body);
    let sales = cookie_for(app, "sales");
    let list = send(app, "GET", "/shipments", Some(&sales), None, &[]);
    assert_eq!(list.status, 200);
    assert!(list.body.contains("No shipment yet"));
    assert!(list.body.contains("href=\"/shipments/new\""));
    let list = send(app, "GET", "/shipments/new", Some(&sales), None, &[]);
    assert_eq!(list.status, 200);
    assert!(list
        .body
        .contains("LIC-DESK: 2,000.000 kg remaining of 2,000.000 kg"));
    let csrf = hidden(&list.body, "csrf");
    let key = hidden(&list.body, "idempotency_key");
    assert!(
        uuid::Uuid::parse_str(&key).is_ok(),
        "the plan form carries an idempotency key"
    );
    let plan = |lot_kg: &str, assay: &str| {
        send(
            app,
            "POST",
            "/shipments",
            Some(&sales),
            Some(&[
                ("csrf", &csrf),
                ("idempotency_key", &key),
                ("order_id", ""),
                ("contract_id", &contract),
                ("period", "2027-03"),
                ("quantity_kg", "300"),
                ("planned_ship_date", "2027-03-10"),
                ("transport_mode", "sea"),
                ("export_licence_id", &licence),
                ("lot_number_0", "BT-1"),
                ("lot_kg_0", "200"),
                ("assay_0", "TREO_pct=99.5; Nd2O3_pct=75.2"),
                ("lot_number_1", "BT-2"),
                ("lot_kg_1", lot_kg),
                ("assay_1", assay),
                ("lot_number_2", ""),
                ("lot_kg_2", ""),
                ("assay_2", ""),
            ]),
            &[],
        )
    };
    // Lots that do not add up, and an assay value that is not a number: 422 naming inputs.
    let short = plan("50", "");
    assert_eq!(short.status, 422, "{}", short.body);
    assert!(
        short.body.contains("href=\"#lot_number_0\""),
        "{}",
        short.body
    );
    assert!(short.body.contains("lot quantities add up to 250"));
    assert!(
        short.body.contains("value=\"BT-2\""),
        "what was typed is kept"
    );
    let bad_assay = plan("100", "TREO_pct=lots");
    assert_eq!(bad_assay.status, 422, "{}", bad_assay.body);
    assert!(
        bad_assay.body.contains("href=\"#assay_1\""),
        "{}",
        bad_assay.body
    );
    let planned = plan("100", "TREO_pct=99.1");
    assert_eq!(planned.status, 303, "{}", planned.body);
    let at = planned.header("location").unwrap_or_default().to_string();
    // A double click posts the same form again: the same shipment, not a second one.
    let again = plan("100", "TREO_pct=99.1");
    assert_eq!(again.status, 303);
    assert_eq!(again.header("location"), Some(at.as_str()));
    let listed = app
        .get(
            &format!("/api/v1/shipments?contract_id={contract}"),
            &app.admin(),
        )
        .expect(200);
    assert_eq!(listed.body["items"].as_array().map(Vec::len), Some(1));
    let shipment = send(app, "GET", &at, Some(&sales), None, &[]);
    assert!(shipment
        .body
        .contains("<td id=\"shipment-status\">planned</td>"));
    assert!(
        shipment.body.contains("TREO_pct 99.5, Nd2O3_pct 75.2")
            || shipment.body.contains("Nd2O3_pct 75.2, TREO_pct 99.5")
    );
    assert!(shipment.body.contains("id=\"ship-form\""));
    // Its lots download as the API's CSV, each assay in one cell as it was typed.
    let id = at.trim_start_matches("/shipments/");
    assert!(shipment.body.contains(&format!("href=\"{at}/lots.csv\"")));
    let csv = assert_same_csv(
        app,
        &sales,
        &format!("{at}/lots.csv"),
        &format!("/api/v1/shipments/{id}/lots.csv"),
    );
    assert!(csv.contains("\"Nd2O3_pct=75.2; TREO_pct=99.5\""), "{csv}");

    // Shipping by sea without a bill of lading is refused and names it; with one it ships.
    let version = hidden(&shipment.body, "version");
    let ship = |bl: &str| {
        send(
            app,
            "POST",
            &format!("{at}/ship"),
            Some(&sales),
            Some(&[
                ("csrf", &csrf),
                ("version", &version),
                ("shipped_on", "2027-03-11"),
                ("transport_mode", "sea"),
                ("vessel", "COSCO Aries"),
                ("bl_number", bl),
                ("containers", "CSNU1234567, CSNU7654321"),
            ]),
            &[],
        )
    };
    let no_bl = ship("");
    assert_eq!(no_bl.status, 422, "{}", no_bl.body);
    assert!(no_bl.body.contains("href=\"#bl_number\""), "{}", no_bl.body);
    assert_eq!(ship("COSU6123456780").status, 303);
    let shipped = send(app, "GET", &at, Some(&sales), None, &[]);
    assert!(shipped
        .body
        .contains("<td id=\"shipment-status\">shipped</td>"));
    assert!(shipped.body.contains("B/L COSU6123456780"));
    assert!(
        shipped
            .body
            .contains("LIC-DESK: 1,700.000 kg remaining of 2,000.000 kg"),
        "{}",
        shipped.body
    );
    let api = app
        .get(&format!("/api/v1/export-licences/{licence}"), &app.admin())
        .expect(200);
    assert_eq!(api.body["remaining_kg"], "1700.000");

    // Delivered: the contract page's fulfilment says so.
    let version = hidden(&shipped.body, "version");
    let delivered = send(
        app,
        "POST",
        &format!("{at}/deliver"),
        Some(&sales),
        Some(&[
            ("csrf", &csrf),
            ("version", &version),
            ("delivered_on", "2027-03-30"),
        ]),
        &[],
    );
    assert_eq!(delivered.status, 303, "{}", delivered.body);
    let contract_page = send(
        app,
        "GET",
        &format!("/contracts/{contract}"),
        Some(&sales),
        None,
        &[],
    );
    assert!(contract_page
        .body
        .contains("<title>2027-03 delivered 300.000 kg</title>"));

    // What it is worth: settled at the contract's fixed 62.50 when it shipped, final at once,
    // and finalised from the page.
    let page = send(app, "GET", &at, Some(&sales), None, &[]);
    assert!(page.body.contains("id=\"settlement\""), "{}", page.body);
    assert!(
        page.body
            .contains("USD 18,750.00 at USD 62.50 per kg (fixed price)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Finalise the settlement"));
    let version = hidden(&page.body, "version");
    let done = send(
        app,
        "POST",
        &format!("{at}/settlement/finalise"),
        Some(&sales),
        Some(&[("csrf", &csrf), ("version", &version)]),
        &[],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let page = send(app, "GET", &at, Some(&sales), None, &[]);
    assert!(page
        .body
        .contains("<tr><th scope=\"row\">Status</th><td>final</td></tr>"));
    assert!(!page.body.contains("Finalise the settlement"));

    // The list downloads as the API's CSV.
    let list = send(app, "GET", "/shipments", Some(&sales), None, &[]);
    assert!(list.body.contains("href=\"/shipments.csv?limit=500\""));
    // The list names the customer and the contract the shipment delivers.
    assert!(list.body.contains("C-SHIP — "), "{}", list.body);
    let csv = assert_same_csv(
        app,
        &sales,
        "/shipments.csv?limit=500",
        "/api/v1/shipments.csv?limit=500",
    );
    assert!(
        csv.contains(",300.000,2,2027-03-10,sea,COSU6123456780,"),
        "{csv}"
    );

    // A viewer sees the list but no form, and a forged plan is 403.
    let viewer = cookie_for(app, "viewer");
    let seen = send(app, "GET", "/shipments", Some(&viewer), None, &[]);
    assert!(seen.body.contains("SHP-") && !seen.body.contains("Plan a shipment"));
    assert_eq!(
        send(app, "GET", "/shipments/new", Some(&viewer), None, &[]).status,
        403
    );
    let forged = send(
        app,
        "POST",
        "/shipments",
        Some(&viewer),
        Some(&[("csrf", &hidden(&seen.body, "csrf")), ("quantity_kg", "1")]),
        &[],
    );
    assert_eq!(forged.status, 403);
}

fn master_data_is_created_from_the_desk_by_the_roles_that_may(app: &TestApp) {
    let admin = admin_cookie(app);
    let customers = send(app, "GET", "/customers", Some(&admin), None, &[]);
    assert!(customers.body.contains("New customer"));
    let csrf = hidden(&customers.body, "csrf");
    let post = |path: &str, cookie: &str, fields: &[(&str, &str)]| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        send(app, "POST", path, Some(cookie), Some(&all), &[])
    };
    // A bad country is refused, naming it, and what was typed stays.
    let bad = post(
        "/customers",
        &admin,
        &[
            ("code", "C-DESK"),
            ("name", "Desk <Trading>"),
            ("country", "Japan"),
            ("external_ref", ""),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("href=\"#country\""), "{}", bad.body);
    assert!(bad.body.contains("value=\"C-DESK\""));
    let good = post(
        "/customers",
        &admin,
        &[
            ("code", "C-DESK"),
            ("name", "Desk <Trading>"),
            ("country", "JP"),
            ("external_ref", "ERP-9"),
        ],
    );
    assert_eq!(good.status, 303, "{}", good.body);
    let again = post(
        "/customers",
        &admin,
        &[("code", "C-DESK"), ("name", "Twice"), ("country", "JP")],
    );
    assert_eq!(
        again.status, 409,
        "a duplicate code is a conflict: {}",
        again.body
    );
    let listed = send(app, "GET", "/customers", Some(&admin), None, &[]);
    assert!(
        listed.body.contains("Desk &#60;Trading&#62;")
            || listed.body.contains("Desk &lt;Trading&gt;")
    );
    let api = app
        .get("/api/v1/customers?code=C-DESK", &app.admin())
        .expect(200);
    assert_eq!(api.body["items"][0]["external_ref"], "ERP-9");
    let customer = id(&api.body["items"][0]);

    // A product, export-controlled, and a licence for it.
    assert_eq!(
        post(
            "/products",
            &admin,
            &[
                ("code", "P-DESK"),
                ("name", "NdPr oxide"),
                ("form", "oxide"),
                ("export_controlled", "true")
            ],
        )
        .status,
        303
    );
    let api = app
        .get("/api/v1/products?code=P-DESK", &app.admin())
        .expect(200);
    assert_eq!(api.body["items"][0]["export_controlled"], true);
    let product = id(&api.body["items"][0]);
    let licence = post(
        "/licences",
        &admin,
        &[
            ("number", "LIC-FORM"),
            ("product_id", &product),
            ("customer_id", &customer),
            ("quantity_kg", "5000"),
            ("valid_from", "2026-01-01"),
            ("valid_to", "2027-12-31"),
        ],
    );
    assert_eq!(licence.status, 303, "{}", licence.body);
    let licences = send(app, "GET", "/licences", Some(&admin), None, &[]);
    assert!(licences.body.contains("LIC-FORM"));

    // Each list downloads as the API's CSV; a formula-like name stays text.
    for (desk, api) in [
        (
            "/customers.csv?limit=500",
            "/api/v1/customers.csv?limit=500",
        ),
        ("/products.csv?limit=500", "/api/v1/products.csv?limit=500"),
        (
            "/licences.csv?limit=500",
            "/api/v1/export-licences.csv?limit=500",
        ),
    ] {
        let csv = assert_same_csv(app, &admin, desk, api);
        assert!(csv.contains("DESK") || csv.contains("LIC-FORM"), "{csv}");
    }
    assert!(licences.body.contains("href=\"/licences.csv?limit=500\""));

    // A user: a short password is refused; then the new user logs in.
    let weak = post(
        "/users",
        &admin,
        &[
            ("username", "mika"),
            ("password", "short"),
            ("role", "sales"),
        ],
    );
    assert_eq!(weak.status, 422);
    assert!(weak.body.contains("href=\"#password\""));
    assert!(
        !weak.body.contains("value=\"short\""),
        "a password is never echoed"
    );
    let made = post(
        "/users",
        &admin,
        &[
            ("username", "mika"),
            ("password", "a-long-desk-password"),
            ("role", "sales"),
        ],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    assert_eq!(log_in(app, "mika", "a-long-desk-password").status, 303);
    // The admin's user list downloads as the API's CSV, which never carries a password.
    let csv = assert_same_csv(
        app,
        &admin,
        "/users.csv?limit=500",
        "/api/v1/users.csv?limit=500",
    );
    assert!(csv.starts_with("id,username,role,active,"), "{csv}");
    assert!(csv.contains(",mika,sales,true,"), "{csv}");
    assert!(!csv.contains("a-long-desk-password") && !csv.contains("argon"));

    // Sales creates customers but not products; a viewer creates nothing.
    let sales = cookie_for(app, "sales");
    assert!(send(app, "GET", "/customers", Some(&sales), None, &[])
        .body
        .contains("New customer"));
    let products = send(app, "GET", "/products", Some(&sales), None, &[]);
    assert!(!products.body.contains("New product"));
    let forged = send(
        app,
        "POST",
        "/products",
        Some(&sales),
        Some(&[
            ("csrf", &hidden(&products.body, "csrf")),
            ("code", "P-X"),
            ("name", "X"),
            ("form", "oxide"),
        ]),
        &[],
    );
    assert_eq!(forged.status, 403);
    assert_eq!(
        send(app, "GET", "/users.csv?limit=500", Some(&sales), None, &[]).status,
        403,
        "the user list is the admin's, as a page or as CSV"
    );
    let viewer = cookie_for(app, "viewer");
    let seen = send(app, "GET", "/customers", Some(&viewer), None, &[]);
    assert!(seen.body.contains("C-DESK") && !seen.body.contains("New customer"));
}
