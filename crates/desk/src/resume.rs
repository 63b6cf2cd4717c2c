//! No lost work: a form sent after its session ended does nothing, and the login page keeps
//! what was typed (in hidden inputs, never the CSRF token, the version or a password). After
//! logging in, the browser is back on the form — the page that shows it, with what was typed
//! filled in — and nothing is sent until the person sends it again, with a fresh CSRF token.

use actix_web::HttpRequest;

use crate::extract::Fields;
use crate::session::local;

/// What the login page says when a form arrived after its session ended.
pub const ENDED_ON_FORM: &str = "Your session ended before the form was sent, so nothing was saved. Log in again: you will be back on the form with what you typed.";

/// The prefix of the login form's inputs that carry what was typed.
pub const KEEP: &str = "keep.";

/// Inputs never carried over: the session's and the page's own, and secrets.
const NOT_KEPT: [&str; 6] = [
    "csrf",
    "version",
    "idempotency_key",
    "action",
    "password",
    "next",
];

/// A form to go back to after logging in.
#[derive(Debug, Clone)]
pub struct Resume {
    /// The page that shows the form (a path of this site).
    pub page: String,
    /// What was typed, to fill the form in again; empty when the page cannot be filled in.
    pub typed: Vec<(String, String)>,
}

/// The page that shows the form a `POST` to `path` came from, and whether that page fills
/// itself in from its address.
fn form_page(path: &str) -> Option<(String, bool)> {
    match path {
        "/orders" => Some(("/orders/new".into(), true)),
        "/shipments" => Some(("/shipments/new".into(), true)),
        "/plans" => Some(("/plans/new".into(), false)),
        "/customers" | "/products" | "/licences" | "/users" => Some((path.into(), false)),
        _ => None,
    }
}

impl Resume {
    /// Where a form posted to `req` goes back to, with `fields` as typed.
    pub fn of(req: &HttpRequest, fields: &Fields) -> Resume {
        let (page, fills_in) =
            form_page(req.path()).unwrap_or_else(|| (referring_page(req), false));
        let mut typed: Vec<(String, String)> = if fills_in {
            fields
                .iter()
                .filter(|(k, v)| !NOT_KEPT.contains(&k.as_str()) && !v.trim().is_empty())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        } else {
            Vec::new()
        };
        typed.sort();
        Resume { page, typed }
    }

    /// What the login form posted back: the page and the kept inputs.
    pub fn from_login(fields: &Fields, next: &str) -> Option<Resume> {
        let mut typed: Vec<(String, String)> = fields
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(KEEP)?.to_string(), v.clone())))
            .filter(|(k, _)| !NOT_KEPT.contains(&k.as_str()))
            .collect();
        if typed.is_empty() {
            return None;
        }
        typed.sort();
        Some(Resume {
            page: next.to_string(),
            typed,
        })
    }

    /// The address of the form filled in again.
    pub fn location(&self) -> String {
        if self.typed.is_empty() {
            return self.page.clone();
        }
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.typed {
            q.append_pair(k, v);
        }
        let joint = if self.page.contains('?') { '&' } else { '?' };
        format!("{}{joint}{}", self.page, q.finish())
    }
}

/// The page a form was sent from, by its `Referer` (same site only), else the desk.
fn referring_page(req: &HttpRequest) -> String {
    req.headers()
        .get("referer")
        .and_then(|v| v.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .filter(|u| {
            let info = req.connection_info();
            u.host_str()
                .zip(u.port_or_known_default())
                .map(|(h, p)| format!("{h}:{p}"))
                == Some(info.host().to_string())
                || u.host_str() == Some(info.host())
        })
        .map(|u| match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        })
        .and_then(|p| local(&p).map(str::to_string))
        .unwrap_or_else(|| "/".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn an_order_form_comes_back_filled_in_without_its_tokens() {
        let req = actix_web::test::TestRequest::post()
            .uri("/orders")
            .to_http_request();
        let r = Resume::of(
            &req,
            &fields(&[
                ("csrf", "secret"),
                ("idempotency_key", "k"),
                ("action", "confirm"),
                ("quantity_kg", "12,000"),
                ("period", "2027-03"),
                ("external_ref", ""),
            ]),
        );
        assert_eq!(r.page, "/orders/new");
        assert_eq!(
            r.location(),
            "/orders/new?period=2027-03&quantity_kg=12%2C000"
        );
    }

    #[test]
    fn the_login_form_gives_back_only_what_it_kept() {
        let back = Resume::from_login(
            &fields(&[
                ("username", "sakura"),
                ("password", "pw"),
                ("keep.quantity_kg", "5"),
                ("keep.csrf", "forged"),
            ]),
            "/orders/new",
        );
        assert_eq!(
            back.map(|r| r.location()),
            Some("/orders/new?quantity_kg=5".to_string())
        );
        assert!(Resume::from_login(&fields(&[("username", "x")]), "/").is_none());
    }
}
