//! The sales desk, rendered in process over HTTP on both backends: the session cookie, CSRF and
//! origin checks, the security headers, escaping, roles at login, and the heat map against the
//! API's own figures.

use serde_json::json;

use crate::common::{TestApp, ADMIN_PASSWORD};
use crate::desk_client::*;
use crate::fixtures::*;
use crate::on_both_backends;

on_both_backends!(
    the_desk_needs_a_session_and_pages_are_locked_down,
    logging_in_sets_a_strict_cookie_and_the_heat_map_equals_the_api,
    failed_and_integration_logins_are_refused_and_input_is_escaped,
    logging_out_needs_the_csrf_token_and_this_origin,
    a_deactivated_user_loses_the_session_at_once,
    order_entry_shows_live_atp_refuses_with_numbers_and_never_doubles,
    a_planner_overrides_with_a_reason_and_a_viewer_sees_no_actions,
    orders_at_risk_are_named_on_the_desk_and_names_are_text,
    a_plan_shows_its_impact_and_approval_needs_confirmation,
    a_contract_saved_from_a_stale_page_is_refused_and_kept,
    deliveries_say_late_in_words_and_download_as_the_api_csv,
    prices_show_averages_take_quotes_and_download_exposure,
    master_data_pages_list_and_users_are_for_admins,
);

fn the_desk_needs_a_session_and_pages_are_locked_down(app: &TestApp) {
    let desk = send(app, "GET", "/", None, None, &[]);
    assert_eq!(desk.status, 303);
    assert_eq!(desk.header("location"), Some("/login"));

    let login = send(app, "GET", "/login", None, None, &[]);
    assert_eq!(login.status, 200);
    assert!(login
        .body
        .contains(r#"<label for="username">Username</label>"#));
    assert!(login
        .body
        .contains(r#"<label for="password">Password</label>"#));
    let csp = login.header("content-security-policy").unwrap_or_default();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(!login.body.contains("<script>"), "no inline script");
    assert_eq!(login.header("x-content-type-options"), Some("nosniff"));

    let htmx = send(app, "GET", "/assets/htmx.min.js", None, None, &[]);
    assert_eq!(htmx.status, 200);
    assert!(htmx
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/javascript")));
    assert!(htmx.body.contains("htmx"));
    assert_eq!(
        send(app, "GET", "/assets/nope.js", None, None, &[]).status,
        404
    );
}

fn logging_in_sets_a_strict_cookie_and_the_heat_map_equals_the_api(app: &TestApp) {
    let p = product(app, "NDPR-DESK");
    let this_month = crate::common::this_month();
    approved_plan(app, &[(&p, &this_month, "1234.5")]);

    let res = log_in(app, "admin", ADMIN_PASSWORD);
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), Some("/"));
    let set = res
        .all("set-cookie")
        .into_iter()
        .find(|c| c.starts_with("ndpr_session="))
        .unwrap_or_default()
        .to_string();
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Strict"), "{set}");
    assert!(set.contains("Path=/"), "{set}");
    let cookie = res.session_cookie().unwrap_or_default();

    let desk = send(app, "GET", "/", Some(&cookie), None, &[]);
    assert_eq!(desk.status, 200, "{}", desk.body);
    assert!(desk.body.contains("NDPR-DESK"));
    assert!(desk.body.contains("admin (admin)"));
    assert!(desk.body.contains("Orders waiting for confirmation"));
    assert!(desk.body.contains("Late deliveries, last 12 months"));
    // The cell of this month shows the API's ATP, grouped, with its status in words.
    let atp = app
        .get(
            &format!("/api/v1/atp?product_id={p}&period={this_month}"),
            &app.admin(),
        )
        .expect(200);
    assert_eq!(atp.body["atp_kg"], "1234.500");
    let cell = desk
        .body
        .split(&format!("data-period=\"{this_month}\""))
        .nth(1)
        .and_then(|rest| rest.split("</td>").next())
        .unwrap_or_default();
    assert!(
        cell.contains("<span class=\"atp\">1,234.500</span>")
            && cell.contains("<span class=\"status\">OK</span>"),
        "{cell}"
    );
    // The link's name starts with what it shows (axe: label-content-name-mismatch).
    assert!(!cell.contains("aria-label"), "{cell}");
    // The cell opens the product's reconciliation at that month.
    assert!(
        cell.contains(&format!("href=\"/reconciliation/{p}?month={this_month}")),
        "{cell}"
    );
    assert!(desk.body.contains("kg"));
    // The heat map downloads as the API's CSV.
    let csv = send(
        app,
        "GET",
        "/reconciliation/summary.csv?from=2026-11&to=2027-04",
        Some(&cookie),
        None,
        &[],
    );
    let api_csv = app
        .get(
            "/api/v1/reconciliation/summary.csv?from=2026-11&to=2027-04",
            &app.admin(),
        )
        .expect(200);
    assert_eq!(csv.body, api_csv.text);
    assert!(desk
        .body
        .contains("href=\"/reconciliation/summary.csv?from=2026-11&"));
    // The bearer API does not take the cookie: the two front doors stay apart.
    let api = app.call(
        "GET",
        "/api/v1/customers",
        None,
        None,
        &[("Cookie", cookie.as_str())],
    );
    assert_eq!(api.status, 401);
}

fn failed_and_integration_logins_are_refused_and_input_is_escaped(app: &TestApp) {
    let wrong = log_in(app, "admin", "not-the-password");
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains(r#"role="alert""#));
    assert!(wrong.body.contains("Wrong username or password."));
    assert!(wrong.session_cookie().is_none());

    let hostile = log_in(app, "<img src=x onerror=alert(1)>", "whatever-password");
    assert!(!hostile.body.contains("<img src=x"), "escaped");
    assert!(
        hostile.body.contains("&lt;img src=x onerror=alert(1)&gt;")
            || hostile.body.contains("&#60;img")
    );

    let name = format!("erp{}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    app.post(
        "/api/v1/users",
        &app.admin(),
        &json!({"username": name, "password": "a-long-test-password", "role": "integration"}),
    )
    .expect(201);
    let erp = log_in(app, &name, "a-long-test-password");
    assert_eq!(erp.status, 403);
    assert!(erp.body.contains("cannot log in to the desk"));
    assert!(erp.session_cookie().is_none());

    // A login form from another site is refused before any password is checked.
    let forged = send(
        app,
        "POST",
        "/login",
        None,
        Some(&[("username", "admin"), ("password", ADMIN_PASSWORD)]),
        &[("Origin", "https://evil.example")],
    );
    assert_eq!(forged.status, 403);
}

fn logging_out_needs_the_csrf_token_and_this_origin(app: &TestApp) {
    let cookie = admin_cookie(app);
    let desk = send(app, "GET", "/", Some(&cookie), None, &[]);
    let csrf = csrf_of(&desk.body);
    assert!(csrf.len() > 20, "the desk's forms carry a CSRF token");

    let without = send(app, "POST", "/logout", Some(&cookie), Some(&[]), &[]);
    assert_eq!(without.status, 403);
    let wrong = send(
        app,
        "POST",
        "/logout",
        Some(&cookie),
        Some(&[("csrf", "forged")]),
        &[],
    );
    assert_eq!(wrong.status, 403);
    let cross_site = send(
        app,
        "POST",
        "/logout",
        Some(&cookie),
        Some(&[("csrf", csrf.as_str())]),
        &[("Sec-Fetch-Site", "cross-site")],
    );
    assert_eq!(cross_site.status, 403);
    let other_origin = send(
        app,
        "POST",
        "/logout",
        Some(&cookie),
        Some(&[("csrf", csrf.as_str())]),
        &[("Origin", "https://evil.example")],
    );
    assert_eq!(other_origin.status, 403);
    // Still logged in after all of that.
    assert_eq!(send(app, "GET", "/", Some(&cookie), None, &[]).status, 200);

    let origin = app.base.clone();
    let out = send(
        app,
        "POST",
        "/logout",
        Some(&cookie),
        Some(&[("csrf", csrf.as_str())]),
        &[
            ("Origin", origin.as_str()),
            ("Sec-Fetch-Site", "same-origin"),
        ],
    );
    assert_eq!(out.status, 303);
    assert_eq!(out.header("location"), Some("/login"));
    assert!(out
        .all("set-cookie")
        .iter()
        .any(|c| c.starts_with("ndpr_session=;") && c.contains("Max-Age=0")));
}

fn a_deactivated_user_loses_the_session_at_once(app: &TestApp) {
    let name = format!("sales{}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let user = app
        .post(
            "/api/v1/users",
            &app.admin(),
            &json!({"username": name, "password": "a-long-test-password", "role": "sales"}),
        )
        .expect(201);
    let res = log_in(app, &name, "a-long-test-password");
    assert_eq!(res.status, 303);
    let cookie = res.session_cookie().unwrap_or_default();
    let desk = send(app, "GET", "/", Some(&cookie), None, &[]);
    assert_eq!(desk.status, 200);
    assert!(desk.body.contains(&format!("{name} (sales)")));
    app.post(
        &format!("/api/v1/users/{}/deactivate", id(&user.body)),
        &app.admin(),
        &json!({}),
    )
    .expect(200);
    let after = send(app, "GET", "/", Some(&cookie), None, &[]);
    assert_eq!(after.status, 303);
    assert_eq!(after.header("location"), Some("/login"));
}

fn order_entry_shows_live_atp_refuses_with_numbers_and_never_doubles(app: &TestApp) {
    let c = customer(app, "C-WEB");
    let p = product(app, "P-WEB");
    approved_plan(app, &[(&p, "2027-05", "1000"), (&p, "2027-06", "5000")]);
    let sales = cookie_for(app, "sales");

    let entry = send(app, "GET", "/orders/new", Some(&sales), None, &[]);
    assert_eq!(entry.status, 200, "{}", entry.body);
    for label in [
        "Customer",
        "Product",
        "Delivery month",
        "Quantity (kg)",
        "Incoterm place",
    ] {
        assert!(entry.body.contains(&format!(">{label}</label>")), "{label}");
    }
    assert!(entry.body.contains(r#"aria-live="polite""#));

    // The live panel, as htmx asks for it.
    let panel = send(
        app,
        "GET",
        &format!("/orders/atp-panel?product_id={p}&period=2027-05&quantity_kg=1500&unit_price=61.25&currency=USD"),
        Some(&sales),
        None,
        &[],
    );
    assert_eq!(panel.status, 200);
    assert!(panel.body.contains("1,000.000 kg"), "{}", panel.body);
    assert!(panel.body.contains("1,500.000 kg"));
    assert!(panel.body.contains(">500.000 kg<"), "short by 500");
    assert!(panel.body.contains("USD 91,875.00"), "price preview");
    assert!(
        panel.body.contains("2027-06 (Jun 2027)"),
        "the nearest month that fits"
    );

    // Confirm above ATP: nothing is saved; the form comes back with the numbers and the
    // choices (the nearest month, a split, keeping a draft).
    let csrf = hidden(&entry.body, "csrf");
    let key = hidden(&entry.body, "idempotency_key");
    let form = |kg: &'static str, key: &str, action: &str| -> Vec<(String, String)> {
        vec![
            ("csrf".into(), csrf.clone()),
            ("idempotency_key".into(), key.to_string()),
            ("customer_id".into(), c.clone()),
            ("product_id".into(), p.clone()),
            ("period".into(), "2027-05".into()),
            ("quantity_kg".into(), kg.into()),
            ("unit_price".into(), "61.25".into()),
            ("currency".into(), "USD".into()),
            ("incoterm".into(), "CIF".into()),
            ("incoterm_place".into(), "Busan".into()),
            ("action".into(), action.into()),
        ]
    };
    let post = |fields: &[(String, String)]| {
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        send(app, "POST", "/orders", Some(&sales), Some(&pairs), &[])
    };
    let count = || {
        app.get(&format!("/api/v1/orders?product_id={p}"), &app.admin())
            .expect(200)
            .body["items"]
            .as_array()
            .map_or(0, Vec::len)
    };
    let refused = post(&form("1,500", &key, "confirm"));
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains(r#"role="alert""#));
    assert!(
        refused.body.contains("Nothing was saved"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("Requested 1,500.000 kg"));
    assert!(refused.body.contains("available 1,000.000 kg"));
    assert!(refused
        .body
        .contains("first short month 2027-05 (May 2027)"));
    assert!(refused
        .body
        .contains(r#"value="confirm-in:2027-06" id="confirm-nearest""#));
    assert!(refused
        .body
        .contains("Split: 1,000.000 kg in 2027-05 (May 2027), 500.000 kg in 2027-06 (Jun 2027)"));
    assert!(
        refused.body.contains(r#"value="1,500""#),
        "the form keeps what was typed"
    );
    assert_eq!(count(), 0, "a refused confirmation leaves no draft");
    // The same form again (a double click) is refused again and still saves nothing.
    assert_eq!(post(&form("1,500", &key, "confirm")).status, 409);
    assert_eq!(count(), 0);

    // "Confirm it in 2027-06": the same order, confirmed in the month that fits; a second
    // click with the same key answers with the same order.
    let moved = post(&form("1,500", &key, "confirm-in:2027-06"));
    assert_eq!(moved.status, 303, "{}", moved.body);
    let location = moved.header("location").unwrap_or_default().to_string();
    let again = post(&form("1,500", &key, "confirm-in:2027-06"));
    assert_eq!(again.header("location"), Some(location.as_str()));
    assert_eq!(count(), 1);
    let page = send(app, "GET", &location, Some(&sales), None, &[]);
    assert!(page.body.contains(">confirmed<"), "{}", page.body);
    assert!(page.body.contains("2027-06 (Jun 2027)"));

    // A quantity that fits confirms, and ATP drops by exactly that much.
    let fresh = uuid::Uuid::new_v4().to_string();
    let ok = post(&form("400", &fresh, "confirm"));
    assert_eq!(ok.status, 303);
    let page = send(
        app,
        "GET",
        ok.header("location").unwrap_or_default(),
        Some(&sales),
        None,
        &[],
    );
    assert!(page.body.contains(">confirmed<"), "{}", page.body);
    let atp = app
        .get(
            &format!("/api/v1/atp?product_id={p}&period=2027-05"),
            &app.admin(),
        )
        .expect(200);
    assert_eq!(atp.body["atp_kg"], "600.000");

    // Without the CSRF token nothing is created.
    let mut forged = form("10", &uuid::Uuid::new_v4().to_string(), "confirm");
    forged.retain(|(k, _)| k != "csrf");
    assert_eq!(post(&forged).status, 403);
}

fn a_planner_overrides_with_a_reason_and_a_viewer_sees_no_actions(app: &TestApp) {
    let c = customer(app, "C-OVR");
    let p = product(app, "P-OVR");
    approved_plan(app, &[(&p, "2027-05", "100")]);
    let order = id(&spot_order(app, &app.admin(), &c, &p, "2027-05", "500"));
    let planner = cookie_for(app, "planner");
    let page = send(
        app,
        "GET",
        &format!("/orders/{order}"),
        Some(&planner),
        None,
        &[],
    );
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Override (planners and admins)"));
    let csrf = hidden(&page.body, "csrf");
    let version = hidden(&page.body, "version");
    // An override needs its reason.
    let no_reason = send(
        app,
        "POST",
        &format!("/orders/{order}/confirm"),
        Some(&planner),
        Some(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("override", "true"),
        ]),
        &[],
    );
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.body.contains("reason"));
    let done = send(
        app,
        "POST",
        &format!("/orders/{order}/confirm"),
        Some(&planner),
        Some(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("override", "true"),
            ("reason", "customer takes the risk of a late month"),
        ]),
        &[],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let audit = app
        .get(&format!("/api/v1/audit?entity_id={order}"), &app.admin())
        .expect(200);
    let last = audit.body["items"]
        .as_array()
        .and_then(|a| a.last().cloned())
        .unwrap_or_default();
    assert_eq!(last["action"], "confirmed");
    assert_eq!(last["after"]["atp_override"], true);
    assert_eq!(
        last["after"]["reason"],
        "customer takes the risk of a late month"
    );

    // A viewer sees the order without actions, cannot open order entry, and a forged POST is 403.
    let viewer = cookie_for(app, "viewer");
    let other = id(&spot_order(app, &app.admin(), &c, &p, "2027-05", "1"));
    let seen = send(
        app,
        "GET",
        &format!("/orders/{other}"),
        Some(&viewer),
        None,
        &[],
    );
    assert_eq!(seen.status, 200);
    assert!(!seen
        .body
        .contains("<button type=\"submit\">Confirm</button>"));
    assert!(!seen.body.contains("New order"));
    assert_eq!(
        send(app, "GET", "/orders/new", Some(&viewer), None, &[]).status,
        403
    );
    let csrf = csrf_of(&seen.body);
    let forged = send(
        app,
        "POST",
        &format!("/orders/{other}/confirm"),
        Some(&viewer),
        Some(&[("csrf", csrf.as_str()), ("version", "1")]),
        &[],
    );
    assert_eq!(forged.status, 403);

    // A confirmation that does not say which version it was opened at is refused, not applied
    // to whatever the order has become.
    let sales = cookie_for(app, "sales");
    let opened = send(
        app,
        "GET",
        &format!("/orders/{other}"),
        Some(&sales),
        None,
        &[],
    );
    let csrf = hidden(&opened.body, "csrf");
    for version in ["", "one"] {
        let blind = send(
            app,
            "POST",
            &format!("/orders/{other}/confirm"),
            Some(&sales),
            Some(&[("csrf", csrf.as_str()), ("version", version)]),
            &[],
        );
        assert_eq!(blind.status, 422, "{}", blind.body);
        assert!(blind.body.contains("the form has no version"));
    }
    let order = app
        .get(&format!("/api/v1/orders/{other}"), &app.admin())
        .expect(200);
    assert_eq!(order.body["status"], "draft");
}

fn orders_at_risk_are_named_on_the_desk_and_names_are_text(app: &TestApp) {
    let hostile = "<img src=x onerror=alert(1)>";
    let c = id(&app
        .post(
            "/api/v1/customers",
            &app.admin(),
            &json!({"code": "C-XSS", "name": hostile, "country": "JP"}),
        )
        .expect(201)
        .body);
    let p = product(app, "P-RISK");
    let month = crate::common::next_month();
    approved_plan(app, &[(&p, &month, "1000")]);
    let order = id(&spot_order(app, &app.admin(), &c, &p, &month, "800"));
    app.post(
        &format!("/api/v1/orders/{order}/confirm"),
        &app.admin(),
        &json!({}),
    )
    .expect(200);
    // A revised plan cuts the month: the order is at risk.
    approved_plan(app, &[(&p, &month, "100")]);

    let risk = app
        .get(
            &format!("/api/v1/reconciliation/orders-at-risk?from={month}&to={month}"),
            &app.admin(),
        )
        .expect(200);
    let item = &risk.body["items"][0];
    assert_eq!(item["order_id"], order.as_str());
    assert_eq!(item["customer_name"], hostile);
    assert_eq!(item["quantity_kg"], "800.000");
    assert_eq!(item["short_period"], month.as_str());
    assert_eq!(risk.body["truncated"], false);

    let cookie = admin_cookie(app);
    let desk = send(app, "GET", "/", Some(&cookie), None, &[]);
    assert!(desk.body.contains(r#"id="orders-at-risk""#));
    assert!(desk.body.contains(&format!("href=\"/orders/{order}\"")));
    assert!(
        !desk.body.contains("<img src=x"),
        "the name is text, not markup"
    );
    assert!(
        desk.body.contains("&lt;img src=x onerror=alert(1)&gt;") || desk.body.contains("&#60;img")
    );
    // The table downloads as the API's CSV.
    let href = desk
        .body
        .split("href=\"/reconciliation/orders-at-risk.csv?")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    let csv = send(
        app,
        "GET",
        &format!("/reconciliation/orders-at-risk.csv?{href}"),
        Some(&cookie),
        None,
        &[],
    );
    let api = app
        .get(
            &format!("/api/v1/reconciliation/orders-at-risk.csv?{href}"),
            &app.admin(),
        )
        .expect(200);
    assert_eq!(csv.body, api.text);
    assert!(csv.body.contains(&order.to_string()), "{}", csv.body);
}

fn a_plan_shows_its_impact_and_approval_needs_confirmation(app: &TestApp) {
    let c = customer(app, "C-PLAN");
    let p = product(app, "P-PLAN");
    let month = crate::common::next_month();
    approved_plan(app, &[(&p, &month, "1000")]);
    let order = id(&spot_order(app, &app.admin(), &c, &p, &month, "900"));
    app.post(
        &format!("/api/v1/orders/{order}/confirm"),
        &app.admin(),
        &json!({}),
    )
    .expect(200);
    let draft = id(&app
        .post(
            "/api/v1/production-plans",
            &app.admin(),
            &json!({"note": "cut", "lines": [{"product_id": p, "period": month, "planned_kg": "200"}]}),
        )
        .expect(201)
        .body);
    // The API's impact now has before and after side by side.
    let impact = app
        .get(
            &format!("/api/v1/production-plans/{draft}/impact"),
            &app.admin(),
        )
        .expect(200);
    let product = &impact.body["products"][0];
    assert_eq!(product["rows_before"][0]["shortfall_kg"], "0.000");
    assert_eq!(product["rows"][0]["shortfall_kg"], "700.000");

    let planner = cookie_for(app, "planner");
    let page = send(
        app,
        "GET",
        &format!("/plans/{draft}"),
        Some(&planner),
        None,
        &[],
    );
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Newly short:"), "{}", page.body);
    assert!(
        page.body.contains(&format!("href=\"/orders/{order}\"")),
        "the order at risk"
    );
    assert!(page.body.contains("C-PLAN"));
    assert!(page.body.contains("700.000"));
    let csrf = hidden(&page.body, "csrf");
    let version = hidden(&page.body, "version");
    // Without ticking the confirmation nothing is approved.
    let unconfirmed = send(
        app,
        "POST",
        &format!("/plans/{draft}/approve"),
        Some(&planner),
        Some(&[("csrf", csrf.as_str()), ("version", version.as_str())]),
        &[],
    );
    assert_eq!(unconfirmed.status, 422);
    // A viewer sees the impact but no approval, and a forged approval is refused.
    let viewer = cookie_for(app, "viewer");
    let seen = send(
        app,
        "GET",
        &format!("/plans/{draft}"),
        Some(&viewer),
        None,
        &[],
    );
    assert!(!seen.body.contains("Approve plan"));
    let viewer_csrf = csrf_of(&seen.body);
    let forged = send(
        app,
        "POST",
        &format!("/plans/{draft}/approve"),
        Some(&viewer),
        Some(&[
            ("csrf", viewer_csrf.as_str()),
            ("version", version.as_str()),
            ("confirm", "yes"),
        ]),
        &[],
    );
    assert_eq!(forged.status, 403);
    // An approval that does not say which version was reviewed is refused.
    let blind = send(
        app,
        "POST",
        &format!("/plans/{draft}/approve"),
        Some(&planner),
        Some(&[("csrf", csrf.as_str()), ("confirm", "yes")]),
        &[],
    );
    assert_eq!(blind.status, 422, "{}", blind.body);
    assert!(blind.body.contains("the form has no version"));
    let approved = send(
        app,
        "POST",
        &format!("/plans/{draft}/approve"),
        Some(&planner),
        Some(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("confirm", "yes"),
        ]),
        &[],
    );
    assert_eq!(approved.status, 303, "{}", approved.body);
    let plan = app
        .get(&format!("/api/v1/production-plans/{draft}"), &app.admin())
        .expect(200);
    assert_eq!(plan.body["status"], "approved");
}

fn a_contract_saved_from_a_stale_page_is_refused_and_kept(app: &TestApp) {
    let c = customer(app, "C-TABS");
    let p = product(app, "P-TABS");
    let contract = draft_contract(app, &c, &p, &[("2027-06", "1000")]);
    let sales = cookie_for(app, "sales");
    let tab1 = send(
        app,
        "GET",
        &format!("/contracts/{contract}"),
        Some(&sales),
        None,
        &[],
    );
    let tab2 = send(
        app,
        "GET",
        &format!("/contracts/{contract}"),
        Some(&sales),
        None,
        &[],
    );
    assert!(tab1.body.contains("Save terms"));
    let save = |page: &Page, terms: &str| {
        let csrf = hidden(&page.body, "csrf");
        let version = hidden(&page.body, "version");
        send(
            app,
            "POST",
            &format!("/contracts/{contract}"),
            Some(&sales),
            Some(&[
                ("csrf", csrf.as_str()),
                ("version", version.as_str()),
                ("payment_terms", terms),
                ("incoterm_place", "Busan"),
            ]),
            &[],
        )
    };
    assert_eq!(save(&tab1, "60 days net").status, 303);
    let stale = save(&tab2, "LC at sight");
    assert_eq!(stale.status, 412);
    assert!(stale.body.contains("changed since you opened it"));
    let stored = app
        .get(&format!("/api/v1/contracts/{contract}"), &app.admin())
        .expect(200);
    assert_eq!(stored.body["payment_terms"], "60 days net");
    // A viewer gets no form.
    let viewer = cookie_for(app, "viewer");
    let seen = send(
        app,
        "GET",
        &format!("/contracts/{contract}"),
        Some(&viewer),
        None,
        &[],
    );
    assert!(!seen.body.contains("Save terms"));
}

fn deliveries_say_late_in_words_and_download_as_the_api_csv(app: &TestApp) {
    let c = customer(app, "C-DLV");
    let p = product(app, "P-DLV");
    approved_plan(app, &[(&p, "2026-10", "5000"), (&p, "2026-12", "5000")]);
    let contract = draft_contract(app, &c, &p, &[("2026-10", "1000"), ("2026-12", "1000")]);
    app.post(
        &format!("/api/v1/contracts/{contract}/activate"),
        &app.admin(),
        &json!({}),
    )
    .expect(200);
    let sales = cookie_for(app, "sales");
    let page = send(
        app,
        "GET",
        "/deliveries?from=2026-10&to=2026-12",
        Some(&sales),
        None,
        &[],
    );
    assert_eq!(page.status, 200, "{}", page.body);
    let october = page
        .body
        .split("2026-10 (Oct 2026)")
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_default();
    assert!(october.contains(">Late<"), "{october}");
    assert!(october.contains("C-DLV"));
    let csv = send(
        app,
        "GET",
        "/deliveries.csv?from=2026-10&to=2026-12",
        Some(&sales),
        None,
        &[],
    );
    let api = app
        .get(
            "/api/v1/deliveries.csv?from=2026-10&to=2026-12",
            &app.admin(),
        )
        .expect(200);
    assert_eq!(csv.body, api.text, "the desk's CSV is the API's");
}

fn prices_show_averages_take_quotes_and_download_exposure(app: &TestApp) {
    let index = id(&app
        .post(
            "/api/v1/price-indices",
            &app.admin(),
            &json!({"code": "IDX-WEB", "name": "NdPr oxide FOB", "currency": "USD", "source": "test"}),
        )
        .expect(201)
        .body);
    app.post(
        &format!("/api/v1/price-indices/{index}/quotes"),
        &app.admin(),
        &json!([{"date": "2026-10-15", "price": "61.50"}, {"date": "2026-10-16", "price": "61.55"}]),
    )
    .expect(200);
    let sales = cookie_for(app, "sales");
    let page = send(
        app,
        "GET",
        &format!("/prices?index_id={index}"),
        Some(&sales),
        None,
        &[],
    );
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<svg"), "the chart");
    assert!(
        page.body
            .contains("<title>2026-10 average: USD 61.52</title>"),
        "the October average"
    );
    assert!(
        page.body.contains("<title>2026-10-16: USD 61.55</title>"),
        "a quote"
    );
    assert!(page.body.contains("No contract is priced on this index"));
    // A contract priced on the index overlays its formula price per delivery month.
    let c = customer(app, "C-FORMULA");
    let p = product(app, "P-FORMULA");
    let mut body = contract_body(&c, &p, &[("2026-11", "100")]);
    body["pricing"] =
        json!({"type": "index", "index_id": index, "qp_offset_months": -1, "premium": "-1.50"});
    let contract = app
        .post("/api/v1/contracts", &app.admin(), &body)
        .expect(201);
    let number = contract.body["number"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let overlaid = send(
        app,
        "GET",
        &format!(
            "/prices?index_id={index}&contract_id={}",
            id(&contract.body)
        ),
        Some(&sales),
        None,
        &[],
    );
    assert!(
        overlaid
            .body
            .contains(&format!("<title>2026-11 {number}: USD 60.0")),
        "{}",
        overlaid.body
    );
    assert!(overlaid
        .body
        .contains(&format!(">{number} formula price</text>")));
    assert!(page.body.contains("Enter a quote"));
    let csrf = hidden(&page.body, "csrf");
    let bad = send(
        app,
        "POST",
        &format!("/prices/{index}/quotes"),
        Some(&sales),
        Some(&[
            ("csrf", csrf.as_str()),
            ("date", "2026-11-02"),
            ("price", "0"),
        ]),
        &[],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains(r#"role="alert""#) && bad.body.contains("price"));
    let ok = send(
        app,
        "POST",
        &format!("/prices/{index}/quotes"),
        Some(&sales),
        Some(&[
            ("csrf", csrf.as_str()),
            ("date", "2026-11-02"),
            ("price", "62.10"),
        ]),
        &[],
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let quotes = app
        .get(
            &format!("/api/v1/price-indices/{index}/quotes"),
            &app.admin(),
        )
        .expect(200);
    assert_eq!(quotes.body["quotes"].as_array().map_or(0, Vec::len), 3);
    // The desk's price strip shows the index's last monthly average.
    let desk = send(app, "GET", "/", Some(&sales), None, &[]);
    assert!(desk.body.contains(r#"id="price-strip""#));
    assert!(
        desk.body.contains("IDX-WEB, 2026-11 (Nov 2026) average"),
        "{}",
        desk.body
    );
    assert!(desk.body.contains("USD 62.10/kg"));
    let viewer = cookie_for(app, "viewer");
    let seen = send(app, "GET", "/prices", Some(&viewer), None, &[]);
    assert!(!seen.body.contains("Enter a quote"));
    let csv = send(
        app,
        "GET",
        "/prices/exposure.csv?from=2026-11&to=2027-04",
        Some(&sales),
        None,
        &[],
    );
    let api = app
        .get(
            "/api/v1/reports/pricing-exposure.csv?from=2026-11&to=2027-04",
            &app.admin(),
        )
        .expect(200);
    assert_eq!(csv.body, api.text);
}

fn master_data_pages_list_and_users_are_for_admins(app: &TestApp) {
    customer(app, "C-MASTER");
    product(app, "P-MASTER");
    let sales = cookie_for(app, "sales");
    for (path, needle) in [
        ("/customers", "C-MASTER"),
        ("/products", "P-MASTER"),
        ("/licences", "Export licences"),
    ] {
        let page = send(app, "GET", path, Some(&sales), None, &[]);
        assert_eq!(page.status, 200, "{path}");
        assert!(page.body.contains(needle), "{path}");
    }
    let desk = send(app, "GET", "/", Some(&sales), None, &[]);
    assert!(
        !desk.body.contains("href=\"/users\""),
        "no user admin for sales"
    );
    assert_eq!(
        send(app, "GET", "/users", Some(&sales), None, &[]).status,
        403
    );
    let admin = admin_cookie(app);
    let users = send(app, "GET", "/users", Some(&admin), None, &[]);
    assert_eq!(users.status, 200);
    assert!(users.body.contains(">admin<"));
}
