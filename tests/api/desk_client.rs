//! A browser-like client for the desk's pages: cookies, forms, no redirects followed.

use serde_json::json;

use crate::common::{TestApp, ADMIN_PASSWORD};

/// A page answer: status, headers, body.
pub(crate) struct Page {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Page {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The session cookie this answer sets, as `name=value`.
    pub fn session_cookie(&self) -> Option<String> {
        self.all("set-cookie")
            .into_iter()
            .find(|c| c.starts_with("ndpr_session="))
            .and_then(|c| c.split(';').next())
            .map(str::to_string)
    }
}

/// A browser-like request that does not follow redirects.
pub(crate) fn send(
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

pub(crate) fn log_in(app: &TestApp, username: &str, password: &str) -> Page {
    send(
        app,
        "POST",
        "/login",
        None,
        Some(&[("username", username), ("password", password)]),
        &[],
    )
}

pub(crate) fn admin_cookie(app: &TestApp) -> String {
    let res = log_in(app, "admin", ADMIN_PASSWORD);
    assert_eq!(res.status, 303, "{}", res.body);
    res.session_cookie().unwrap_or_default()
}

/// The CSRF token in a page's forms.
pub(crate) fn csrf_of(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string()
}

pub(crate) fn cookie_for(app: &TestApp, role: &str) -> String {
    let name = format!("{role}{}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    app.post(
        "/api/v1/users",
        &app.admin(),
        &json!({"username": name, "password": "a-long-test-password", "role": role}),
    )
    .expect(201);
    log_in(app, &name, "a-long-test-password")
        .session_cookie()
        .unwrap_or_default()
}

pub(crate) fn hidden(page: &str, name: &str) -> String {
    page.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string()
}

/// The desk's download at `desk` is the same document as the API's CSV at `api`.
pub(crate) fn assert_same_csv(app: &TestApp, cookie: &str, desk: &str, api: &str) -> String {
    let shown = send(app, "GET", desk, Some(cookie), None, &[]);
    assert_eq!(shown.status, 200, "{desk}: {}", shown.body);
    assert!(
        shown
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/csv")),
        "{desk}"
    );
    let answered = app.get(api, &app.admin()).expect(200);
    assert_eq!(shown.body, answered.text, "{desk} and {api}");
    shown.body
}
