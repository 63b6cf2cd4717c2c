//! The desk's answers when something is wrong, one page per kind, on both backends: an
//! address that names nothing is a 404 page, a role that may not a 403 page, no session a trip
//! to the login page and back, and the database away a 503 page with `Retry-After` — never
//! JSON, never a 503 for what is not an outage.

use crate::common::{postgres_url, Backend, TestApp};
use crate::desk_client::*;
use crate::fixtures::*;
use crate::on_both_backends;
use crate::proxy::Proxy;

on_both_backends!(
    a_missing_resource_is_a_404_page,
    a_refused_role_is_a_403_page,
    a_login_comes_back_to_the_page_it_was_asked_for,
);

/// An HTML page with `status` that says `words`.
#[track_caller]
fn page_says(p: &Page, status: u16, words: &str) {
    assert_eq!(p.status, status, "{}", p.body);
    assert!(
        p.header("content-type")
            .is_some_and(|t| t.starts_with("text/html")),
        "{:?}",
        p.header("content-type")
    );
    assert!(p.body.contains(words), "{words:?} not in {}", p.body);
}

fn a_missing_resource_is_a_404_page(app: &TestApp) {
    let admin = admin_cookie(app);
    let nobody = uuid::Uuid::new_v4();
    for path in [
        format!("/orders/{nobody}"),
        format!("/contracts/{nobody}"),
        format!("/shipments/{nobody}"),
        format!("/plans/{nobody}"),
        format!("/reconciliation/{nobody}"),
        "/orders/not-an-id".to_string(),
        "/contracts/42".to_string(),
    ] {
        let p = send(app, "GET", &path, Some(&admin), None, &[]);
        page_says(&p, 404, "Not found");
    }
    // A form posted to something that is not there is a 404 page too, not a 503.
    let desk = send(app, "GET", "/", Some(&admin), None, &[]);
    let csrf = csrf_of(&desk.body);
    let gone = send(
        app,
        "POST",
        &format!("/orders/{nobody}/confirm"),
        Some(&admin),
        Some(&[("csrf", csrf.as_str()), ("version", "1")]),
        &[],
    );
    page_says(&gone, 404, "not found");
}

fn a_refused_role_is_a_403_page(app: &TestApp) {
    let viewer = cookie_for(app, "viewer");
    page_says(
        &send(app, "GET", "/orders/new", Some(&viewer), None, &[]),
        403,
        "does not enter orders",
    );
    page_says(
        &send(app, "GET", "/users", Some(&viewer), None, &[]),
        403,
        "Not allowed",
    );
    page_says(
        &send(app, "GET", "/plans/new", Some(&viewer), None, &[]),
        403,
        "does not plan production",
    );
    // A viewer's forged confirmation of a real order is refused by the operation's own check.
    let c = customer(app, "C-ROLE");
    let p = product(app, "P-ROLE");
    let order = id(&spot_order(app, &app.admin(), &c, &p, "2027-02", "10"));
    let seen = send(
        app,
        "GET",
        &format!("/orders/{order}"),
        Some(&viewer),
        None,
        &[],
    );
    assert_eq!(seen.status, 200);
    assert!(
        !seen.body.contains("/confirm\""),
        "a viewer sees no confirmation"
    );
    let forged = send(
        app,
        "POST",
        &format!("/orders/{order}/confirm"),
        Some(&viewer),
        Some(&[("csrf", csrf_of(&seen.body).as_str()), ("version", "1")]),
        &[],
    );
    page_says(&forged, 403, "may not");
}

fn a_login_comes_back_to_the_page_it_was_asked_for(app: &TestApp) {
    let asked = send(app, "GET", "/contracts?status=active", None, None, &[]);
    assert_eq!(asked.status, 303);
    assert_eq!(
        asked.header("location"),
        Some("/login?next=%2Fcontracts%3Fstatus%3Dactive")
    );
    let form = send(
        app,
        "GET",
        "/login?next=%2Fcontracts%3Fstatus%3Dactive",
        None,
        None,
        &[],
    );
    assert!(form
        .body
        .contains(r#"name="next" value="/contracts?status=active""#));
    let back = send(
        app,
        "POST",
        "/login",
        None,
        Some(&[
            ("username", "admin"),
            ("password", crate::common::ADMIN_PASSWORD),
            ("next", "/contracts?status=active"),
        ]),
        &[],
    );
    assert_eq!(back.status, 303);
    assert_eq!(back.header("location"), Some("/contracts?status=active"));
    // Never to another site.
    let away = send(
        app,
        "POST",
        "/login",
        None,
        Some(&[
            ("username", "admin"),
            ("password", crate::common::ADMIN_PASSWORD),
            ("next", "//evil.example/"),
        ]),
        &[],
    );
    assert_eq!(away.header("location"), Some("/"));
    // A session that ended says so on the login page.
    let ended = send(
        app,
        "GET",
        "/contracts",
        Some("ndpr_session=not-a-token"),
        None,
        &[],
    );
    assert_eq!(ended.status, 303);
    let notice = ended
        .all("set-cookie")
        .into_iter()
        .find(|c| c.starts_with("ndpr_notice="))
        .and_then(|c| c.split(';').next())
        .map(str::to_string)
        .unwrap_or_default();
    assert_eq!(notice, "ndpr_notice=session-ended");
    let login = send(
        app,
        "GET",
        "/login?next=%2Fcontracts",
        Some(&notice),
        None,
        &[],
    );
    assert!(
        login.body.contains("Your session has ended"),
        "{}",
        login.body
    );
    // A fragment the page fetched by itself says it in place instead of redirecting.
    let panel = send(
        app,
        "GET",
        "/orders/atp-panel",
        Some("ndpr_session=not-a-token"),
        None,
        &[("HX-Request", "true")],
    );
    assert_eq!(panel.status, 401);
    assert!(panel.body.contains("Log in again"), "{}", panel.body);
}

/// Asserts the desk's 503 page: HTML, `Retry-After`, and no host or driver text.
#[track_caller]
fn unavailable_page(p: &Page) {
    page_says(p, 503, "cannot reach the database");
    assert!(p.header("retry-after").is_some(), "no Retry-After");
    for leak in ["127.0.0.1", "5432", "connection to server"] {
        assert!(!p.body.contains(leak), "{leak} leaked: {}", p.body);
    }
}

#[test]
fn the_desk_answers_503_pages_while_postgres_is_away() {
    let Some(server) = postgres_url() else { return };
    let upstream = server
        .split('@')
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("127.0.0.1:5432")
        .to_string();
    let proxy = Proxy::start(&upstream);
    let Some(app) = TestApp::start_with(Backend::Postgres, |s| {
        s.database_url =
            s.database_url
                .replacen(&upstream, &format!("127.0.0.1:{}", proxy.port), 1);
    }) else {
        return;
    };
    let admin = admin_cookie(&app);
    let customer = send(&app, "GET", "/customers", Some(&admin), None, &[]);
    assert_eq!(customer.status, 200);
    let csrf = csrf_of(&customer.body);
    proxy.cut();
    for path in ["/", "/contracts", "/customers", "/prices"] {
        unavailable_page(&send(&app, "GET", path, Some(&admin), None, &[]));
    }
    // After the user cache forgets the session, the session check itself needs the database:
    // that is an outage too, not a logged-out user.
    std::thread::sleep(std::time::Duration::from_millis(5_200));
    unavailable_page(&send(&app, "GET", "/contracts", Some(&admin), None, &[]));
    unavailable_page(&send(
        &app,
        "POST",
        "/customers",
        Some(&admin),
        Some(&[
            ("csrf", csrf.as_str()),
            ("code", "C-AWAY"),
            ("name", "Away"),
            ("country", "JP"),
        ]),
        &[],
    ));
    proxy.restore();
    let back = std::time::Instant::now();
    loop {
        let p = send(&app, "GET", "/customers", Some(&admin), None, &[]);
        if p.status == 200 {
            break;
        }
        assert!(back.elapsed().as_secs() < 10, "{}", p.body);
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn a_desk_form_answers_a_503_page_while_sqlite_is_locked() {
    let app = TestApp::start_with(Backend::Sqlite, |s| s.sqlite_busy_timeout_ms = 300)
        .unwrap_or_else(|| unreachable!());
    let admin = admin_cookie(&app);
    let customers = send(&app, "GET", "/customers", Some(&admin), None, &[]);
    let csrf = csrf_of(&customers.body);
    let path = app
        .database_url
        .strip_prefix("sqlite://")
        .unwrap_or(&app.database_url)
        .to_string();
    let lock = crate::outage::LockHolder::take(&path);
    unavailable_page(&send(
        &app,
        "POST",
        "/customers",
        Some(&admin),
        Some(&[
            ("csrf", csrf.as_str()),
            ("code", "C-LOCKED"),
            ("name", "Locked"),
            ("country", "JP"),
        ]),
        &[],
    ));
    drop(lock);
}
