//! The desk's session: a cookie carrying the same signed token the API takes as a bearer token,
//! so instances stay stateless and a deactivation or password change ends the session at once.
//! Every form carries a CSRF token derived from that token, and a state-changing request must
//! come from this origin (`Origin`, `Sec-Fetch-Site`). The extractors in `extract` apply these.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::Ended;
use crate::page::see_other;

pub const COOKIE: &str = "ndpr_session";

/// The session cookie for `token`: HttpOnly, SameSite=Strict, Secure when served over TLS.
pub fn cookie(req: &HttpRequest, token: String, ttl_secs: u64) -> Cookie<'static> {
    let mut c = Cookie::build(COOKIE, token)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(actix_web::cookie::time::Duration::seconds(
            i64::try_from(ttl_secs).unwrap_or(3600),
        ))
        .finish();
    if req.connection_info().scheme() == "https" {
        c.set_secure(true);
    }
    c
}

/// The cookie that ends the session.
pub fn cleared(req: &HttpRequest) -> Cookie<'static> {
    let mut c = cookie(req, String::new(), 0);
    c.make_removal();
    c
}

/// The CSRF token of a session: a digest of its token, which only pages of this origin (and
/// not another site, which cannot read the HttpOnly cookie) can put in a form.
pub fn csrf_token(session_token: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"ndpr-desk-csrf\0");
    h.update(session_token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(h.finalize())
}

/// Why a state-changing request is refused, if it is: it names another origin, or a browser
/// says it came from another site.
pub fn cross_origin(req: &HttpRequest) -> Option<&'static str> {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        if site != "same-origin" && site != "none" {
            return Some("the form was sent from another site");
        }
    }
    if let Some(origin) = header("origin") {
        let info = req.connection_info();
        let ours = format!("{}://{}", info.scheme(), info.host());
        if origin != ours {
            return Some("the form was sent from another origin");
        }
    }
    None
}

/// Whether `sent` is the CSRF token of `token`'s session, compared in constant time.
pub fn csrf_matches(csrf: &str, sent: &str) -> bool {
    let (a, b) = (csrf.as_bytes(), sent.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The cookie that tells the login page why the last session ended (read once, then cleared).
pub const NOTICE: &str = "ndpr_notice";

/// The answer that sends a browser to log in: back to `next` (a path of this site) afterwards,
/// and, when a session ended, the login page says so.
pub fn to_login(next: Option<&str>, why: Ended) -> HttpResponse {
    let location = match next.filter(|n| *n != "/").and_then(local) {
        Some(n) => {
            let mut q = url::form_urlencoded::Serializer::new(String::new());
            q.append_pair("next", n);
            format!("/login?{}", q.finish())
        }
        None => "/login".to_string(),
    };
    let mut answer = see_other(&location);
    if why == Ended::Expired {
        answer.cookie(
            Cookie::build(NOTICE, "session-ended")
                .path("/login")
                .http_only(true)
                .same_site(SameSite::Strict)
                .max_age(actix_web::cookie::time::Duration::seconds(300))
                .finish(),
        );
    }
    answer.finish()
}

/// `next` when it is a path of this site (`/…`, not `//host/…`), so a login link can never
/// send the user elsewhere.
pub fn local(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.contains(['\r', '\n']);
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_goes_back_only_to_this_site() {
        assert_eq!(
            local("/contracts?status=active"),
            Some("/contracts?status=active")
        );
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil",
            "evil",
            "",
        ] {
            assert_eq!(local(bad), None, "{bad}");
        }
        let to = to_login(Some("/orders/new?quantity_kg=5"), Ended::Anonymous);
        assert_eq!(
            to.headers().get("location").and_then(|v| v.to_str().ok()),
            Some("/login?next=%2Forders%2Fnew%3Fquantity_kg%3D5")
        );
        let root = to_login(Some("/"), Ended::Expired);
        assert_eq!(
            root.headers().get("location").and_then(|v| v.to_str().ok()),
            Some("/login")
        );
        assert!(root.headers().get_all("set-cookie").any(|c| c
            .to_str()
            .unwrap_or_default()
            .starts_with("ndpr_notice=session-ended")));
    }
}
