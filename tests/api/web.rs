//! The sales desk, rendered in process over HTTP on both backends: the session cookie, CSRF and
//! origin checks, the security headers, escaping, roles at login, and the heat map against the
//! API's own figures.

use serde_json::json;

use crate::common::{TestApp, ADMIN_PASSWORD};
use crate::fixtures::*;
use crate::on_both_backends;

on_both_backends!(
    the_desk_needs_a_session_and_pages_are_locked_down,
    logging_in_sets_a_strict_cookie_and_the_heat_map_equals_the_api,
    failed_and_integration_logins_are_refused_and_input_is_escaped,
    logging_out_needs_the_csrf_token_and_this_origin,
    a_deactivated_user_loses_the_session_at_once,
);

/// A page answer: status, headers, body.
struct Page {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Page {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The session cookie this answer sets, as `name=value`.
    fn session_cookie(&self) -> Option<String> {
        self.all("set-cookie")
            .into_iter()
            .find(|c| c.starts_with("ndpr_session="))
            .and_then(|c| c.split(';').next())
            .map(str::to_string)
    }
}

/// A browser-like request that does not follow redirects.
fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: Option<&[(&str, &str)]>,
    headers: &[(&str, &str)],
) -> Page {
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let mut req = agent.request(method, &app.url(path));
    if let Some(c) = cookie {
        req = req.set("Cookie", c);
    }
    for (n, v) in headers {
        req = req.set(n, v);
    }
    let result = match form {
        Some(fields) => req.send_form(fields),
        None => req.call(),
    };
    let res = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("request failed: {e}"),
    };
    let status = res.status();
    let mut headers = Vec::new();
    for name in res.headers_names() {
        for v in res.all(&name) {
            headers.push((name.clone(), v.to_string()));
        }
    }
    let body = res.into_string().unwrap_or_default();
    Page {
        status,
        headers,
        body,
    }
}

fn log_in(app: &TestApp, username: &str, password: &str) -> Page {
    send(
        app,
        "POST",
        "/login",
        None,
        Some(&[("username", username), ("password", password)]),
        &[],
    )
}

fn admin_cookie(app: &TestApp) -> String {
    let res = log_in(app, "admin", ADMIN_PASSWORD);
    assert_eq!(res.status, 303, "{}", res.body);
    res.session_cookie().unwrap_or_default()
}

/// The CSRF token in a page's forms.
fn csrf_of(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string()
}

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
    let now = chrono::Utc::now().date_naive();
    let this_month = format!("{}", now.format("%Y-%m"));
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
        .unwrap_or_default();
    assert!(
        cell.trim_start().starts_with(
            ">\n        <span class=\"atp\">1,234.500</span><span class=\"status\">OK</span>"
        ),
        "{}",
        &cell[..cell.len().min(200)]
    );
    assert!(desk.body.contains("kg"));
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
