//! Cross-cutting request handling: request ids and metrics, idempotent POST replay, CORS, and
//! turning every error answer into problem+json.

use std::time::Instant;

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::{ErrorHandlerResponse, Next};
use actix_web::{web, Error, HttpMessage, HttpResponse, ResponseError};
use sha2::{Digest, Sha256};

use super::problem::{ApiError, PROBLEM_JSON};
use crate::db::idempotency::{self, Claim, StoredResponse};
use crate::error::OpError;
use crate::state::{AppState, RequestId};

pub const REQUEST_ID: &str = "x-request-id";

/// Gives each request an id (the caller's `X-Request-Id` when sane), echoes it on the answer,
/// and records the request in the metrics by route pattern and status.
pub async fn request_id_and_metrics(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let method = req.method().to_string();
    let mut res = next.call(req).await?;
    if let Ok(v) = header::HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(header::HeaderName::from_static(REQUEST_ID), v);
    }
    if let Some(state) = state {
        let route = res
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_string());
        state.metrics.observe(
            &method,
            &route,
            res.status().as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(res)
}

/// Any error answer that is not already problem+json (actix's own 404s, 405s, 413s, …)
/// is replaced by one, so clients parse a single error format.
pub fn problem_fallback<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with(PROBLEM_JSON));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let error = match status {
        StatusCode::NOT_FOUND => ApiError::not_found("no such resource"),
        StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::PayloadTooLarge("the request body is too large".into())
        }
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed("method not allowed".into()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ApiError::UnsupportedMediaType("unsupported media type".into())
        }
        s if s.is_server_error() => ApiError::Op(OpError::unexpected(format!("{s}"))),
        s => ApiError::BadRequest(s.canonical_reason().unwrap_or("bad request").to_string()),
    };
    let (req, old) = res.into_parts();
    let mut new = error.error_response();
    *new.status_mut() = status;
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            new.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, new).map_into_right_body(),
    ))
}

pub fn cors(origins: &[String]) -> actix_cors::Cors {
    let mut cors = actix_cors::Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::IF_MATCH,
            header::HeaderName::from_static("idempotency-key"),
            header::HeaderName::from_static(REQUEST_ID),
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::HeaderName::from_static(REQUEST_ID),
        ])
        .max_age(3600);
    for origin in origins.iter().filter(|o| !o.trim().is_empty()) {
        cors = cors.allowed_origin(origin.trim());
    }
    cors
}

/// `Idempotency-Key` on a POST: the first answer is stored and replayed for a retry with the
/// same body; the same key with a different body is refused (422). Keys are per user.
pub async fn idempotency(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<BoxBody>>, Error> {
    let key = req
        .headers()
        .get("idempotency-key")
        .map(|v| v.to_str().map(str::to_string));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(key), Some(state), true) = (key, state, req.method() == Method::POST) else {
        return Ok(next
            .call(req)
            .await?
            .map_into_boxed_body()
            .map_into_left_body());
    };
    let key = match key {
        Ok(k) if !k.is_empty() && k.len() <= 255 => k,
        _ => {
            return Ok(refuse(
                req,
                ApiError::field("Idempotency-Key", "must be 1–255 visible ASCII characters"),
            ));
        }
    };
    // Only an authenticated caller has a key space; otherwise the handler answers 401.
    let principal = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' ').map(|(_, t)| t.trim().to_string()))
        .and_then(|t| state.keys.verify(&t).ok())
        .map(|c| c.sub);
    let Some(principal) = principal else {
        return Ok(next
            .call(req)
            .await?
            .map_into_boxed_body()
            .map_into_left_body());
    };
    let (http_req, payload) = req.parts_mut();
    let body = match super::extract::read_body(http_req, &mut payload.take(), state.max_body_bytes)
        .await
    {
        Ok(b) => b,
        Err(e) => return Ok(refuse(req, e)),
    };
    let mut hasher = Sha256::new();
    hasher.update(req.path().as_bytes());
    hasher.update([0]);
    hasher.update(req.query_string().as_bytes());
    hasher.update([0]);
    hasher.update(&body);
    let hash = hex::encode(hasher.finalize());
    let claim = {
        let (principal, key, hash) = (principal.clone(), key.clone(), hash.clone());
        state
            .db
            .write(move |conn| idempotency::claim(conn, &principal, &key, &hash))
            .await
    };
    match claim {
        Err(e) => return Ok(refuse(req, ApiError::Op(e))),
        Ok(Claim::Replay(stored)) => {
            let res = replay(stored);
            return Ok(req.into_response(res).map_into_right_body());
        }
        Ok(Claim::Claimed) => {}
    }
    req.set_payload(bytes_payload(body));
    let res = next.call(req).await?;
    let status = res.status();
    let (http_req, res) = res.into_parts();
    let headers = res.headers().clone();
    let bytes = actix_web::body::to_bytes(res.into_body())
        .await
        .map_err(|_| ApiError::Op(OpError::unexpected("could not read the response body")))?;
    let outcome = if status.is_server_error() {
        let (p, k) = (principal, key);
        state
            .db
            .write(move |conn| idempotency::release(conn, &p, &k))
            .await
    } else {
        let stored = capture(status, &headers, &bytes);
        let (p, k) = (principal, key);
        state
            .db
            .write(move |conn| idempotency::complete(conn, &p, &k, &stored))
            .await
    };
    if let Err(e) = outcome {
        tracing::warn!(error = %e, "could not store the idempotent response");
    }
    let mut rebuilt = HttpResponse::build(status);
    for (name, value) in &headers {
        rebuilt.insert_header((name.clone(), value.clone()));
    }
    let res = rebuilt.body(bytes);
    Ok(ServiceResponse::new(http_req, res).map_into_right_body())
}

/// The parts of an answer kept to replay it.
fn capture(status: StatusCode, headers: &header::HeaderMap, body: &[u8]) -> StoredResponse {
    let keep = ["content-type", "etag", "location"];
    let headers = headers
        .iter()
        .filter(|(n, _)| keep.contains(&n.as_str()))
        .filter_map(|(n, v)| v.to_str().ok().map(|v| (n.to_string(), v.to_string())))
        .collect();
    StoredResponse {
        status: status.as_u16(),
        headers,
        body: String::from_utf8_lossy(body).into_owned(),
    }
}

/// A stored answer, marked as replayed.
fn replay(stored: StoredResponse) -> HttpResponse {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut res = HttpResponse::build(status);
    for (n, v) in &stored.headers {
        res.insert_header((n.as_str(), v.as_str()));
    }
    res.insert_header(("idempotent-replayed", "true"));
    res.body(stored.body)
}

fn refuse(req: ServiceRequest, e: ApiError) -> ServiceResponse<EitherBody<BoxBody>> {
    req.into_response(e.error_response()).map_into_right_body()
}

fn bytes_payload(body: web::Bytes) -> actix_web::dev::Payload {
    let stream: std::pin::Pin<
        Box<dyn futures_util::Stream<Item = Result<web::Bytes, actix_web::error::PayloadError>>>,
    > = Box::pin(futures_util::stream::once(std::future::ready(Ok(body))));
    actix_web::dev::Payload::from(stream)
}
