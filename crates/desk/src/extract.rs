//! The desk's extractors: a page asks for a [`DeskSession`] or a [`DeskForm`] and never checks
//! the cookie, the origin, the CSRF token, the version or the idempotency key by hand. Each
//! refuses with a [`DeskError`]: no session sends the browser to log in (and back afterwards),
//! a form from another site or without this session's token is 403, a changing form without
//! the version it was opened at is 422, a creating form without its idempotency key is 403.

use std::collections::HashMap;

use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;

use crate::error::{DeskError, Ended, FieldError, OpError};
use crate::ops::{Actor, Expect};
use crate::session::{cross_origin, csrf_matches, csrf_token, COOKIE};
use crate::state::{AppState, RequestId};

/// A posted form or a query string, by input name, as typed.
pub type Fields = HashMap<String, String>;

/// A field as typed, trimmed; empty when absent.
pub fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.get(name).map(String::as_str).unwrap_or_default().trim()
}

/// A field, or none when left blank.
pub fn optional(f: &Fields, name: &str) -> Option<String> {
    Some(field(f, name).to_string()).filter(|v| !v.is_empty())
}

/// The logged-in user of a page, and the CSRF token its forms carry.
#[derive(Debug, Clone)]
pub struct DeskSession {
    pub actor: Actor,
    pub csrf: String,
    /// What the last action did, to say at the top of this page.
    pub flash: Option<String>,
}

fn state(req: &HttpRequest) -> Result<web::Data<AppState>, DeskError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| {
            tracing::error!("the desk has no application state");
            DeskError::Unexpected
        })
}

impl DeskSession {
    async fn of(req: &HttpRequest) -> Result<DeskSession, DeskError> {
        let fragment = req.headers().contains_key("hx-request");
        // After logging in, a page read comes back to itself; a form goes back to its page.
        let next =
            (req.method() == Method::GET && !fragment).then(|| match req.uri().path_and_query() {
                Some(pq) => pq.as_str().to_string(),
                None => req.path().to_string(),
            });
        let logged_out = |why| DeskError::LoggedOut {
            next: next.clone(),
            why,
            fragment,
        };
        let Some(cookie) = req.cookie(COOKIE) else {
            return Err(logged_out(Ended::Anonymous));
        };
        let token = cookie.value();
        if token.is_empty() {
            return Err(logged_out(Ended::Anonymous));
        }
        let state = state(req)?;
        match crate::ops::auth::authenticate(&state.keys, &state.users, &state.db, token).await {
            Ok(mut actor) => {
                actor.request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
                Ok(DeskSession {
                    csrf: csrf_token(token),
                    actor,
                    flash: crate::flash::of(req),
                })
            }
            Err(OpError::Unauthenticated(_)) => Err(logged_out(Ended::Expired)),
            Err(e) => Err(e.into()),
        }
    }
}

impl FromRequest for DeskSession {
    type Error = DeskError;
    type Future = LocalBoxFuture<'static, Result<DeskSession, DeskError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { DeskSession::of(&req).await })
    }
}

/// What a form posts, typed. The version and idempotency key are the extractor's; `parse`
/// reads the rest.
pub trait FormInput: Sized + 'static {
    /// A changing form carries the version of the resource it was opened at.
    const VERSIONED: bool = false;
    /// A creating form carries an idempotency key, so a double submit creates one thing.
    const IDEMPOTENT: bool = false;

    /// The typed input, or what is wrong with it, named by the form's inputs.
    fn parse(fields: &Fields) -> Result<Self, Vec<FieldError>>;
}

/// A form with nothing to read but its checks (a log-out button).
impl FormInput for () {
    fn parse(_: &Fields) -> Result<(), Vec<FieldError>> {
        Ok(())
    }
}

/// A lifecycle action's form: a reason, and for a planner's confirmation or activation the
/// override of the ATP gate.
pub struct ActionInput(pub crate::ops::action::ActionRequest);

impl FormInput for ActionInput {
    const VERSIONED: bool = true;

    fn parse(fields: &Fields) -> Result<ActionInput, Vec<FieldError>> {
        Ok(ActionInput(crate::ops::action::ActionRequest {
            reason: optional(fields, "reason"),
            atp_override: field(fields, "override") == "true",
        }))
    }
}

/// A posted desk form: from this origin, in a live session, with this session's CSRF token,
/// and with its version and idempotency key where its kind needs them.
pub struct DeskForm<T> {
    pub session: DeskSession,
    /// What was typed, by input name, to show the form again.
    pub fields: Fields,
    /// The version the form was opened at (any, for forms that change nothing existing).
    pub expect: Expect,
    /// The form's idempotency key (creating forms).
    pub key: Option<IdempotencyKey>,
    pub input: T,
}

/// A creating form's idempotency key: a UUID the page put in the form when it was shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// The key in `text`, when it is well formed.
    pub fn parse(text: &str) -> Option<IdempotencyKey> {
        let text = text.trim();
        uuid::Uuid::parse_str(text)
            .ok()
            .map(|_| IdempotencyKey(text.to_string()))
    }

    /// A new key for a form shown for the first time.
    pub fn fresh() -> IdempotencyKey {
        IdempotencyKey(uuid::Uuid::new_v4().to_string())
    }

    /// The key a form shown again keeps (so a retry is recognised), or a fresh one.
    pub fn kept_or_fresh(fields: &Fields) -> IdempotencyKey {
        IdempotencyKey::parse(field(fields, "idempotency_key")).unwrap_or_else(Self::fresh)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The version a form was opened at, if it says one.
fn version(fields: &Fields) -> Option<Expect> {
    field(fields, "version")
        .parse::<i64>()
        .ok()
        .map(Expect::version)
}

/// The largest form body the desk reads (a schedule of 240 months fits many times over).
const FORM_LIMIT: usize = 64 * 1024;

async fn read_fields(req: &HttpRequest, payload: &mut Payload) -> Result<Fields, DeskError> {
    let limit = state(req)?.max_body_bytes.min(FORM_LIMIT);
    let body = crate::api::extract::read_body(req, payload, limit)
        .await
        .map_err(|e| DeskError::Invalid(vec![FieldError::new("form", e.to_string())]))?;
    Ok(url::form_urlencoded::parse(&body).into_owned().collect())
}

impl<T: FormInput> FromRequest for DeskForm<T> {
    type Error = DeskError;
    type Future = LocalBoxFuture<'static, Result<DeskForm<T>, DeskError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            if let Some(why) = cross_origin(&req) {
                return Err(DeskError::Refused(why.into()));
            }
            let fields = read_fields(&req, &mut payload).await?;
            let session = match DeskSession::of(&req).await {
                Ok(s) => s,
                Err(DeskError::LoggedOut { .. }) if req.path() != "/logout" => {
                    return Err(DeskError::EndedOnForm(Box::new(crate::resume::Resume::of(
                        &req, &fields,
                    ))))
                }
                Err(e) => return Err(e),
            };
            if !csrf_matches(&session.csrf, field(&fields, "csrf")) {
                return Err(DeskError::Refused(
                    "the form's CSRF token is missing or stale; reload the page".into(),
                ));
            }
            let expect = if T::VERSIONED {
                version(&fields).ok_or_else(|| {
                    DeskError::Invalid(vec![FieldError::new(
                        "version",
                        "the form has no version; reload the page",
                    )])
                })?
            } else {
                Expect::any()
            };
            let key = if T::IDEMPOTENT {
                Some(
                    IdempotencyKey::parse(field(&fields, "idempotency_key")).ok_or_else(|| {
                        DeskError::Refused(
                            "the form has no idempotency key; reload the page".into(),
                        )
                    })?,
                )
            } else {
                None
            };
            let input = T::parse(&fields).map_err(DeskError::Invalid)?;
            Ok(DeskForm {
                session,
                fields,
                expect,
                key,
                input,
            })
        })
    }
}

/// A form posted without a session (the login form): from this origin, read as typed.
pub struct PublicForm(pub Fields);

impl FromRequest for PublicForm {
    type Error = DeskError;
    type Future = LocalBoxFuture<'static, Result<PublicForm, DeskError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            if let Some(why) = cross_origin(&req) {
                return Err(DeskError::Refused(why.into()));
            }
            Ok(PublicForm(read_fields(&req, &mut payload).await?))
        })
    }
}

/// A page's query string, by name, as typed; never refused (a page shows what it can).
pub struct DeskQuery(pub Fields);

impl FromRequest for DeskQuery {
    type Error = DeskError;
    type Future = std::future::Ready<Result<DeskQuery, DeskError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let fields = url::form_urlencoded::parse(req.query_string().as_bytes())
            .into_owned()
            .collect();
        std::future::ready(Ok(DeskQuery(fields)))
    }
}

/// The typed parts of a page's address (`/contracts/{id}`): an address that names nothing of
/// that kind is the desk's 404 page.
pub struct DeskPath<T>(pub T);

impl<T> DeskPath<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: serde::de::DeserializeOwned + 'static> FromRequest for DeskPath<T> {
    type Error = DeskError;
    type Future = std::future::Ready<Result<DeskPath<T>, DeskError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            req.match_info()
                .load::<T>()
                .map(DeskPath)
                .map_err(|_| DeskError::NotFound(format!("there is no page at {}", req.path()))),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_keeps_a_well_formed_key_and_replaces_any_other() {
        let sent = "6f1c1a52-3f0e-4a55-9d7e-1b2c3d4e5f60";
        let with = |k: &str| Fields::from([("idempotency_key".to_string(), k.to_string())]);
        assert_eq!(IdempotencyKey::kept_or_fresh(&with(sent)).as_str(), sent);
        assert_eq!(
            IdempotencyKey::kept_or_fresh(&with(&format!(" {sent} "))).as_str(),
            sent
        );
        for bad in ["", "not-a-key", "6f1c1a52"] {
            let fresh = IdempotencyKey::kept_or_fresh(&with(bad));
            assert!(IdempotencyKey::parse(fresh.as_str()).is_some(), "{bad:?}");
        }
        assert_ne!(IdempotencyKey::fresh(), IdempotencyKey::fresh());
    }

    #[test]
    fn a_version_is_read_only_when_it_is_a_number() {
        let with = |v: &str| Fields::from([("version".to_string(), v.to_string())]);
        assert!(version(&with("3")).is_some());
        assert!(version(&with(" 3 ")).is_some());
        assert!(version(&with("")).is_none());
        assert!(version(&with("three")).is_none());
        assert!(version(&Fields::new()).is_none());
    }
}
