//! The contract page's actions and add-on order entry, in process over HTTP on both backends:
//! lifecycle with reasons, schedule edits refused with their numbers (409) and saved as
//! amendments, the audit trail, a new add-on order filled in from its contract, index
//! pricing from order entry, and the plan line editor.

use serde_json::json;

use crate::common::TestApp;
use crate::desk_client::*;
use crate::fixtures::*;
use crate::on_both_backends;

on_both_backends!(
    a_contract_is_run_from_its_page_with_reasons_amendments_and_audit,
    an_add_on_order_is_entered_from_its_contract,
    order_entry_takes_index_pricing_and_names_bad_inputs,
    a_planner_revises_a_plan_in_the_line_editor,
);

fn post_form(app: &TestApp, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Page {
    send(app, "POST", path, Some(cookie), Some(fields), &[])
}

fn page(app: &TestApp, path: &str, cookie: &str) -> Page {
    send(app, "GET", path, Some(cookie), None, &[])
}

fn a_contract_is_run_from_its_page_with_reasons_amendments_and_audit(app: &TestApp) {
    let c = customer(app, "C-LIFE");
    let p = product(app, "P-LIFE");
    approved_plan(app, &[(&p, "2027-03", "1000"), (&p, "2027-04", "1000")]);
    let contract = draft_contract(app, &c, &p, &[("2027-03", "600"), ("2027-04", "600")]);
    let at = format!("/contracts/{contract}");
    let sales = cookie_for(app, "sales");

    // The draft offers activation and the chart with its tolerance band.
    let draft = page(app, &at, &sales);
    assert_eq!(draft.status, 200);
    assert!(draft
        .body
        .contains(&format!("action=\"/contracts/{contract}/activate\"")));
    assert!(
        !draft.body.contains("/terminate\""),
        "a draft cannot be terminated"
    );
    assert!(draft
        .body
        .contains("<title>2027-03 tolerance band 570.000 to 630.000 kg</title>"));
    let csrf = hidden(&draft.body, "csrf");
    let version = hidden(&draft.body, "version");
    let done = post_form(
        app,
        &format!("{at}/activate"),
        &sales,
        &[("csrf", &csrf), ("version", &version), ("reason", "")],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let api = app
        .get(&format!("/api/v1/contracts/{contract}"), &app.admin())
        .expect(200);
    assert_eq!(api.body["status"], "active");

    // Growing March past ATP: 409 with its numbers, and nothing changes.
    let active = page(app, &at, &sales);
    assert!(active.body.contains("New add-on order"));
    let version = hidden(&active.body, "version");
    let grow = |march: &str, reason: &str| {
        post_form(
            app,
            &format!("{at}/schedule"),
            &sales,
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("period_0", "2027-03"),
                ("quantity_kg_0", march),
                ("period_1", "2027-04"),
                ("quantity_kg_1", "600"),
                ("period_2", ""),
                ("quantity_kg_2", ""),
                ("reason", reason),
            ],
        )
    };
    let refused = grow("1500", "customer asked for more");
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("role=\"alert\""));
    assert!(
        refused
            .body
            .contains("requested 900.000 kg, available 400.000 kg"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("value=\"1500\""),
        "what was typed is kept"
    );
    let api = app
        .get(&format!("/api/v1/contracts/{contract}"), &app.admin())
        .expect(200);
    assert_eq!(api.body["schedule"][0]["quantity_kg"], "600.000");

    // Without a reason: 422 naming the reason input.
    let no_reason = grow("700", "");
    assert_eq!(no_reason.status, 422);
    assert!(
        no_reason.body.contains("href=\"#reason\""),
        "{}",
        no_reason.body
    );

    // Within ATP and with a reason: an amendment, shown with the audit trail.
    assert_eq!(grow("700", "customer <b>asked</b> for more").status, 303);
    let amended = page(app, &at, &sales);
    assert!(amended.body.contains("id=\"amendments\""));
    assert!(
        amended
            .body
            .contains("customer &#60;b&#62;asked&#60;/b&#62; for more")
            || amended
                .body
                .contains("customer &lt;b&gt;asked&lt;/b&gt; for more")
    );
    assert!(amended
        .body
        .contains("2027-03 600.000 kg; 2027-04 600.000 kg"));
    assert!(amended
        .body
        .contains("2027-03 700.000 kg; 2027-04 600.000 kg"));
    assert!(
        amended.body.contains("<td>amended</td>") && amended.body.contains("<td>activated</td>")
    );

    // The list and the contract's tables download as the API's CSV.
    let list = page(app, "/contracts", &sales);
    assert!(
        list.body.contains("href=\"/contracts.csv?limit=500\""),
        "{}",
        list.body
    );
    let csv = assert_same_csv(
        app,
        &sales,
        "/contracts.csv?limit=500",
        "/api/v1/contracts.csv?limit=50",
    );
    assert!(csv.contains(&format!("{contract},")), "{csv}");
    for report in ["fulfilment", "pricing"] {
        let desk = page(app, &format!("{at}/{report}.csv"), &sales);
        assert_eq!(desk.status, 200);
        assert!(amended
            .body
            .contains(&format!("href=\"{at}/{report}.csv\"")));
        let api = app
            .get(
                &format!("/api/v1/contracts/{contract}/{report}.csv"),
                &app.admin(),
            )
            .expect(200);
        assert_eq!(desk.body, api.text, "{report}");
        assert!(desk.body.contains("2027-03,700.000"), "{}", desk.body);
    }
    // So do its amendments and its audit trail (to the roles that may read it).
    assert!(amended
        .body
        .contains(&format!("href=\"{at}/amendments.csv\"")));
    let csv = assert_same_csv(
        app,
        &sales,
        &format!("{at}/amendments.csv"),
        &format!("/api/v1/contracts/{contract}/amendments.csv"),
    );
    assert!(
        csv.contains(
            "\"2027-03 600.000; 2027-04 600.000\",\"2027-03 700.000; 2027-04 600.000\",false"
        ),
        "{csv}"
    );
    let audit = format!("audit.csv?entity_type=contract&entity_id={contract}&limit=200");
    assert!(amended.body.contains(&format!(
        "href=\"/audit.csv?entity_type=contract&#38;entity_id={contract}&#38;limit=200\""
    )));
    let csv = assert_same_csv(
        app,
        &sales,
        &format!("/{audit}"),
        &format!("/api/v1/{audit}"),
    );
    assert!(csv.contains(",amended,contract,"), "{csv}");
    assert_eq!(
        page(app, &format!("/{audit}"), &cookie_for(app, "viewer")).status,
        403,
        "a viewer may not read the audit trail, as a table or as CSV"
    );

    // Terminating needs a reason; with one it ends the contract and the audit keeps it.
    let version = hidden(&amended.body, "version");
    let terminate = |reason: &str| {
        post_form(
            app,
            &format!("{at}/terminate"),
            &sales,
            &[("csrf", &csrf), ("version", &version), ("reason", reason)],
        )
    };
    // Terminate is asked for behind a disclosure that says what it releases and who hears.
    let terminate_form = amended
        .body
        .split("id=\"action-terminate\"")
        .nth(1)
        .unwrap_or_default();
    assert!(amended
        .body
        .contains("<details class=\"danger\" id=\"action-terminate\">"));
    assert!(
        terminate_form.contains("become available to promise to other orders"),
        "{terminate_form}"
    );
    assert!(terminate_form.contains("The ERP hears of it"));
    assert!(terminate_form.contains("class=\"danger\">Terminate "));
    assert_eq!(terminate("").status, 422);
    let done = terminate("customer insolvent");
    assert_eq!(done.status, 303);
    // The redirect carries the message the next page shows.
    assert!(
        done.headers
            .iter()
            .any(|(k, v)| k == "set-cookie" && v.starts_with("ndpr_flash=Contract")),
        "{:?}",
        done.headers
    );
    let ended = page(app, &at, &sales);
    assert!(ended
        .body
        .contains("<td id=\"contract-status\">terminated</td>"));
    assert!(ended
        .body
        .contains("<td class=\"wrap\">customer insolvent</td>"));
    assert!(!ended.body.contains("Save schedule") && !ended.body.contains("New add-on order"));

    // A viewer sees no actions, and a forged action is 403.
    let viewer = cookie_for(app, "viewer");
    let seen = page(app, &at, &viewer);
    assert!(!seen.body.contains("/suspend\"") && !seen.body.contains("Save schedule"));
    assert!(seen.body.contains("The audit trail is shown to"));
    let forged = post_form(
        app,
        &format!("{at}/suspend"),
        &viewer,
        &[("csrf", &hidden(&seen.body, "csrf")), ("version", &version)],
    );
    assert_eq!(forged.status, 403);
    // An unknown action is 404, not a panic.
    let unknown = post_form(
        app,
        &format!("{at}/explode"),
        &sales,
        &[("csrf", &csrf), ("version", &version)],
    );
    assert_eq!(unknown.status, 404);
}

fn an_add_on_order_is_entered_from_its_contract(app: &TestApp) {
    let c = customer(app, "C-ADD");
    let p = product(app, "P-ADD");
    approved_plan(app, &[(&p, "2027-05", "1000")]);
    let contract = draft_contract(app, &c, &p, &[("2027-05", "400")]);
    app.post(
        &format!("/api/v1/contracts/{contract}/activate"),
        &app.admin(),
        &json!({}),
    )
    .expect(200);
    let sales = cookie_for(app, "sales");
    let contract_page = page(app, &format!("/contracts/{contract}"), &sales);
    assert!(contract_page.body.contains("No add-on orders yet"));
    let href = contract_page
        .body
        .split("id=\"new-addon\"")
        .next()
        .and_then(|before| before.rsplit("href=\"").next())
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    assert!(href.starts_with("/orders/new?order_type=add_on"), "{href}");
    let entry = page(app, &href, &sales);
    assert_eq!(entry.status, 200);
    assert!(entry
        .body
        .contains(&format!("<option value=\"{contract}\" selected>")));
    assert!(entry.body.contains("<option value=\"add_on\" selected>"));
    assert!(entry.body.contains("<option value=\"contract\" selected>"));
    let key = hidden(&entry.body, "idempotency_key");
    let csrf = hidden(&entry.body, "csrf");
    let placed = post_form(
        app,
        "/orders",
        &sales,
        &[
            ("csrf", &csrf),
            ("idempotency_key", &key),
            ("order_type", "add_on"),
            ("contract_id", &contract),
            ("customer_id", &c),
            ("product_id", &p),
            ("period", "2027-05"),
            ("quantity_kg", "250"),
            ("pricing_type", "contract"),
            ("currency", "USD"),
            ("incoterm", "FOB"),
            ("incoterm_place", "Tianjin"),
            ("action", "confirm"),
        ],
    );
    assert_eq!(placed.status, 303, "{}", placed.body);
    let orders = app
        .get(
            &format!("/api/v1/orders?contract_id={contract}"),
            &app.admin(),
        )
        .expect(200);
    let order = &orders.body["items"][0];
    assert_eq!(order["order_type"], "add_on");
    assert_eq!(order["status"], "confirmed");
    assert_eq!(
        order["pricing"]["unit_price"], "64.50",
        "the contract's price plus its premium"
    );
    let after = page(app, &format!("/contracts/{contract}"), &sales);
    assert!(after.body.contains("id=\"addons\""));
    assert!(after
        .body
        .contains("<td class=\"num\">250.000</td><td>confirmed</td>"));
    let addons = format!("orders.csv?contract_id={contract}&order_type=add_on&limit=200");
    assert!(after.body.contains(&format!(
        "href=\"/orders.csv?contract_id={contract}&#38;order_type=add_on&#38;limit=200\""
    )));
    let csv = assert_same_csv(
        app,
        &sales,
        &format!("/{addons}"),
        &format!("/api/v1/{addons}"),
    );
    assert!(csv.contains(",add_on,"), "{csv}");
    assert!(csv.contains(",250.000,fixed,64.50,"), "{csv}");
}

fn order_entry_takes_index_pricing_and_names_bad_inputs(app: &TestApp) {
    let c = customer(app, "C-IDX");
    let p = product(app, "P-IDX");
    approved_plan(app, &[(&p, "2027-06", "1000")]);
    let index = id(&app
        .post(
            "/api/v1/price-indices",
            &app.admin(),
            &json!({"code": "NDPR-IDX", "name": "NdPr index", "currency": "USD"}),
        )
        .expect(201)
        .body);
    let sales = cookie_for(app, "sales");
    let entry = page(app, "/orders/new", &sales);
    assert!(entry.body.contains("NDPR-IDX (USD)"));
    let csrf = hidden(&entry.body, "csrf");
    let order = |key: &str, index_id: &str, premium: &str| {
        post_form(
            app,
            "/orders",
            &sales,
            &[
                ("csrf", &csrf),
                ("idempotency_key", key),
                ("order_type", "spot"),
                ("contract_id", ""),
                ("customer_id", &c),
                ("product_id", &p),
                ("period", "2027-06"),
                ("quantity_kg", "100"),
                ("pricing_type", "index"),
                ("unit_price", ""),
                ("index_id", index_id),
                ("qp_offset_months", "-1"),
                ("multiplier", "0.98"),
                ("premium", premium),
                ("currency", "USD"),
                ("incoterm", "CIF"),
                ("incoterm_place", "Busan"),
                ("action", "draft"),
            ],
        )
    };
    let bad = order(&uuid::Uuid::new_v4().to_string(), "not-an-index", "1.5");
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("href=\"#index_id\""), "{}", bad.body);
    let bad_premium = order(&uuid::Uuid::new_v4().to_string(), &index, "lots");
    assert_eq!(bad_premium.status, 422, "{}", bad_premium.body);
    assert!(
        bad_premium.body.contains("href=\"#premium\""),
        "{}",
        bad_premium.body
    );
    let good = order(&uuid::Uuid::new_v4().to_string(), &index, "-1.50");
    assert_eq!(good.status, 303, "{}", good.body);
    let location = good.header("location").unwrap_or_default().to_string();
    let shown = page(app, &location, &sales);
    assert!(
        shown
            .body
            .contains("index × 0.98 − 1.50 USD/kg, quotation month -1"),
        "{}",
        shown.body
    );
    let orders = app
        .get(&format!("/api/v1/orders?customer_id={c}"), &app.admin())
        .expect(200);
    let pricing = &orders.body["items"][0]["pricing"];
    assert_eq!(pricing["type"], "index");
    assert_eq!(pricing["index_id"], index.as_str());
    assert_eq!(pricing["premium"], "-1.50");
}

fn a_planner_revises_a_plan_in_the_line_editor(app: &TestApp) {
    let c = customer(app, "C-PLAN");
    let p = product(app, "P-PLAN");
    approved_plan(app, &[(&p, "2027-07", "1000"), (&p, "2027-08", "1000")]);
    let order = id(&spot_order(app, &app.admin(), &c, &p, "2027-07", "800"));
    app.post(
        &format!("/api/v1/orders/{order}/confirm"),
        &app.admin(),
        &json!({}),
    )
    .expect(200);
    let planner = cookie_for(app, "planner");
    let list = page(app, "/plans", &planner);
    assert!(list.body.contains("New plan version"));
    let editor = page(app, "/plans/new", &planner);
    assert_eq!(editor.status, 200);
    assert!(editor.body.contains("revising version"));
    assert!(
        editor.body.contains("value=\"2027-07\"") && editor.body.contains("value=\"1000.000\"")
    );
    let csrf = hidden(&editor.body, "csrf");
    let key = hidden(&editor.body, "idempotency_key");
    let save = |july: &str| {
        post_form(
            app,
            "/plans",
            &planner,
            &[
                ("csrf", &csrf),
                ("idempotency_key", &key),
                ("note", "July outage"),
                ("product_id_0", &p),
                ("period_0", "2027-07"),
                ("planned_kg_0", july),
                ("product_id_1", &p),
                ("period_1", "2027-08"),
                ("planned_kg_1", "1000"),
                ("product_id_2", &p),
                ("period_2", ""),
                ("planned_kg_2", ""),
            ],
        )
    };
    let bad = save("-5");
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("href=\"#planned_kg_0\""), "{}", bad.body);
    assert!(bad.body.contains("value=\"July outage\""));
    let saved = save("500");
    assert_eq!(saved.status, 303, "{}", saved.body);
    let csv = assert_same_csv(
        app,
        &planner,
        "/plans.csv?limit=100",
        "/api/v1/production-plans.csv?limit=100",
    );
    assert!(csv.contains(",draft,July outage,2,"), "{csv}");
    let twice = save("500");
    assert_eq!(
        twice.header("location"),
        saved.header("location"),
        "a double click saves one draft"
    );
    let draft = page(app, saved.header("location").unwrap_or_default(), &planner);
    assert!(draft.body.contains("(draft)"));
    assert!(
        draft.body.contains("Newly short: 2027-07 (Jul 2027)"),
        "{}",
        draft.body
    );
    // Its impact downloads as the API's CSV: the month newly short says so.
    let at = saved.header("location").unwrap_or_default().to_string();
    let plan_id = at.trim_start_matches("/plans/");
    assert!(draft.body.contains(&format!("href=\"{at}/impact.csv\"")));
    let csv = assert_same_csv(
        app,
        &planner,
        &format!("{at}/impact.csv"),
        &format!("/api/v1/production-plans/{plan_id}/impact.csv"),
    );
    assert!(csv.contains(&format!("{p},2027-07,true,")), "{csv}");
    assert!(csv.contains(&format!("{p},2027-08,false,")), "{csv}");
    // So do the orders it would put at risk, named, and its lines.
    assert!(draft.body.contains("C-PLAN — "), "{}", draft.body);
    assert!(draft
        .body
        .contains(&format!("href=\"{at}/orders-at-risk.csv\"")));
    let csv = assert_same_csv(
        app,
        &planner,
        &format!("{at}/orders-at-risk.csv"),
        &format!("/api/v1/production-plans/{plan_id}/orders-at-risk.csv"),
    );
    assert!(
        csv.starts_with("short_period,number,period,customer_code,")
            && csv.contains(",C-PLAN,")
            && csv.contains(&format!(",800.000,{order}")),
        "{csv}"
    );
    let named = app
        .get(
            &format!("/api/v1/production-plans/{plan_id}/orders-at-risk"),
            &app.admin(),
        )
        .expect(200);
    assert_eq!(named.body["items"][0]["order_id"], order.as_str());
    assert_eq!(named.body["items"][0]["short_period"], "2027-07");
    assert!(draft.body.contains(&format!("href=\"{at}/lines.csv\"")));
    let csv = assert_same_csv(
        app,
        &planner,
        &format!("{at}/lines.csv"),
        &format!("/api/v1/production-plans/{plan_id}/lines.csv"),
    );
    assert!(csv.contains(&format!("{p},2027-07,500.000")), "{csv}");
    // Sales may look but not plan.
    let sales = cookie_for(app, "sales");
    assert!(!page(app, "/plans", &sales)
        .body
        .contains("New plan version"));
    assert_eq!(page(app, "/plans/new", &sales).status, 403);
}
