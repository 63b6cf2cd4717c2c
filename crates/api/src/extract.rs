//! Request extractors that answer bad input with problem+json naming the field, and the caller
//! as an operations-layer `Actor`.

use actix_web::http::header;
use actix_web::{dev::Payload, web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use super::problem::ApiError;
use crate::error::{FieldError, OpError};
use crate::ops::{Actor, Expect};
use crate::state::{AppState, RequestId};

/// A JSON body, parsed strictly: `application/json` only, size-limited, unknown fields and
/// JSON numbers for decimals refused, every error naming its field.
pub struct ValidJson<T>(pub T);

fn body_limit(req: &HttpRequest) -> usize {
    req.app_data::<web::Data<AppState>>()
        .map_or(1_048_576, |s| s.max_body_bytes)
}

impl<T: DeserializeOwned + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<ValidJson<T>, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            check_json_content_type(&req)?;
            let body = read_body(&req, &mut payload, body_limit(&req)).await?;
            parse_json(&body).map(ValidJson)
        })
    }
}

pub fn check_json_content_type(req: &HttpRequest) -> Result<(), ApiError> {
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
    {
        Ok(())
    } else if essence.is_empty() {
        Err(ApiError::UnsupportedMediaType(
            "the request body must be JSON: set Content-Type: application/json".into(),
        ))
    } else {
        Err(ApiError::UnsupportedMediaType(format!(
            "the request body must be application/json, not {essence}"
        )))
    }
}

/// Reads the whole body, refusing with 413 past `limit` bytes.
pub async fn read_body(
    req: &HttpRequest,
    payload: &mut Payload,
    limit: usize,
) -> Result<web::Bytes, ApiError> {
    let too_large = || ApiError::PayloadTooLarge(format!("the request body exceeds {limit} bytes"));
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk
            .map_err(|e| ApiError::BadRequest(format!("could not read the request body: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Parses JSON; syntax errors are 400, wrong content is 422 with the field's path.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::BadRequest(
            "the request body is empty; a JSON document is required".into(),
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        use serde_json::error::Category;
        match inner.classify() {
            Category::Syntax | Category::Eof | Category::Io => {
                ApiError::BadRequest(format!("malformed JSON: {inner}"))
            }
            Category::Data => {
                let (field, message) = field_of(&path, &strip_position(&inner.to_string()));
                ApiError::Op(OpError::Validation(vec![FieldError::new(field, message)]))
            }
        }
    })?;
    de.end()
        .map_err(|e| ApiError::BadRequest(format!("malformed JSON: {e}")))?;
    Ok(value)
}

/// The field a deserialisation error is about: see [`crate::domain::field_path::field_of`].
pub use crate::domain::field_path::field_of;

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The versions an `If-Match` header names: `*` any, `"3"` (or weak `W/"3"`) version 3; a tag
/// that is no version of ours matches nothing.
fn if_match(header: &str) -> Expect {
    let tags: Vec<&str> = header
        .split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .filter(|t| !t.is_empty())
        .collect();
    if tags.contains(&"*") {
        return Expect::any();
    }
    // As served (`"3"`) or the bare version (`3`); anything else names no version, so the
    // change is refused with 412, whose message shows the form expected.
    Expect::one_of(
        tags.iter()
            .filter_map(|t| crate::middleware::tag_version(t)?.parse::<i64>().ok())
            .collect(),
    )
}

/// The `If-Match` precondition of a change, as the operations layer takes it.
pub struct IfMatch(pub Expect);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<IfMatch, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let expect = match req.headers().get(header::IF_MATCH) {
            None => Expect::any(),
            Some(v) => if_match(v.to_str().unwrap_or("")),
        };
        std::future::ready(Ok(IfMatch(expect)))
    }
}

/// A query string, read strictly: unknown parameters and wrong values refused with 422, each
/// error naming its parameter by where deserialisation stopped.
pub struct ValidQuery<T>(pub T);

impl<T> ValidQuery<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for ValidQuery<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Reads a query string as `T`.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let (field, message) = field_of(&path, &e.into_inner().to_string());
        let field = if field == "body" {
            "query".to_string()
        } else {
            field
        };
        ApiError::Op(OpError::Validation(vec![FieldError::new(field, message)]))
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for ValidQuery<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<ValidQuery<T>, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(ValidQuery))
    }
}

/// The answer to a query string actix's own `Query` extractor could not read (no handler of
/// this service uses it; kept for any that would).
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _| {
        ApiError::Op(OpError::Validation(vec![FieldError::new(
            "query",
            err.to_string(),
        )]))
        .into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default()
        .error_handler(|err, _| ApiError::not_found(format!("no such resource: {err}")).into())
}

/// An optional JSON body: an empty body means `T::default()`.
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default + 'static> FromRequest for OptionalJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<OptionalJson<T>, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let body = read_body(&req, &mut payload, body_limit(&req)).await?;
            if body.iter().all(u8::is_ascii_whitespace) {
                return Ok(OptionalJson(T::default()));
            }
            check_json_content_type(&req)?;
            parse_json(&body).map(OptionalJson)
        })
    }
}

fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthorized("a bearer access token is required".into()))?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::Unauthorized("the Authorization header is malformed".into()))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_string())
        }
        _ => Err(ApiError::Unauthorized(
            "the Authorization header must be `Bearer <token>`".into(),
        )),
    }
}

/// The authenticated caller of an API operation: the operations layer's `Actor`, from the
/// bearer token, with the role they hold now.
#[derive(Debug, Clone)]
pub struct Caller(pub Actor);

impl std::ops::Deref for Caller {
    type Target = Actor;

    fn deref(&self) -> &Actor {
        &self.0
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Caller, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| OpError::unexpected("application state missing"))?
                .clone();
            let token = bearer(&req)?;
            Ok(Caller(actor_from_token(&req, &state, &token).await?))
        })
    }
}

/// The user a token names, with the role they hold now (`ops::auth::authenticate`), as the
/// actor of this request.
pub async fn actor_from_token(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    token: &str,
) -> Result<Actor, OpError> {
    let mut actor =
        crate::ops::auth::authenticate(&state.keys, &state.users, &state.db, token).await?;
    actor.request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
    Ok(actor)
}
