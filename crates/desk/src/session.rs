//! The desk's session: a cookie carrying the same signed token the API takes as a bearer token,
//! so instances stay stateless and a deactivation or password change ends the session at once.
//! Every form carries a CSRF token derived from that token, and a state-changing request must
//! come from this origin (`Origin`, `Sec-Fetch-Site`).

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{web, HttpRequest};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::api::extract::actor_from_token;
use crate::ops::Actor;
use crate::state::AppState;

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

/// The logged-in user, if the cookie holds a token that is still good.
pub async fn current(req: &HttpRequest, state: &web::Data<AppState>) -> Option<Session> {
    let token = req.cookie(COOKIE)?.value().to_string();
    let actor = actor_from_token(req, state, &token).await.ok()?;
    Some(Session {
        csrf: csrf_token(&token),
        actor,
    })
}

/// A logged-in user and the CSRF token their forms carry.
pub struct Session {
    pub actor: Actor,
    pub csrf: String,
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

/// Whether `sent` is the CSRF token of this session.
pub fn csrf_matches(session: &Session, sent: &str) -> bool {
    let (a, b) = (session.csrf.as_bytes(), sent.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The session a state-changing form acts in: refused (403 page) when the form comes from
/// another origin or site or lacks this session's CSRF token, and sent to `/login` when there
/// is no session.
pub async fn for_form(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    csrf: &str,
) -> Result<Session, actix_web::HttpResponse> {
    if let Some(why) = cross_origin(req) {
        return Err(super::page::forbidden(why));
    }
    let Some(session) = current(req, state).await else {
        return Err(super::page::see_other("/login").finish());
    };
    if !csrf_matches(&session, csrf) {
        return Err(super::page::forbidden(
            "the form's CSRF token is missing or stale; reload the page",
        ));
    }
    Ok(session)
}
