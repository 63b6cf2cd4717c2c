//! `Idempotency-Key` on a POST: the first successful answer is stored and replayed for a retry
//! of the same request (compared by meaning); the same key with a different request is refused
//! (422), and a key whose request is still running gets 409. A refusal or an error frees the
//! key, so a retry runs afresh. Keys are per user and expire after 24 hours. Token answers are
//! never stored.

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpResponse, ResponseError};
use sha2::{Digest, Sha256};

use crate::db::idempotency::{self, Claim, StoredResponse};
use crate::domain::UserId;
use crate::error::OpError;
use crate::problem::ApiError;
use crate::state::AppState;

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
    // A token answer is a credential: it is never stored, so never replayed.
    let stores = req.method() == Method::POST && !req.path().ends_with("/auth/token");
    let (Some(key), Some(state), true) = (key, state, stores) else {
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
        .and_then(|c| UserId::parse(&c.sub));
    let Some(principal) = principal else {
        return Ok(next
            .call(req)
            .await?
            .map_into_boxed_body()
            .map_into_left_body());
    };
    let (http_req, payload) = req.parts_mut();
    let body = match crate::extract::read_body(http_req, &mut payload.take(), state.max_body_bytes)
        .await
    {
        Ok(b) => b,
        Err(e) => return Ok(refuse(req, e)),
    };
    let hash = meaning_hash(req.path(), req.query_string(), &body);
    let claim = {
        let (principal, key, hash) = (principal, key.clone(), hash.clone());
        state
            .db
            .write(move |conn| idempotency::claim(conn, principal, &key, &hash))
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
    // Only a success is kept: a refusal changed nothing, so a retry is asked afresh (a
    // confirmation refused for ATP may pass once the plan grows).
    let outcome = if !status.is_success() {
        let (p, k) = (principal, key);
        state
            .db
            .write(move |conn| idempotency::release(conn, p, &k))
            .await
    } else {
        let stored = capture(status, &headers, &bytes);
        let (p, k) = (principal, key);
        state
            .db
            .write(move |conn| idempotency::complete(conn, p, &k, &stored))
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

/// What a request means, hashed: its path, its query parameters in any order, and its JSON body
/// with members in any order and any white space (a body that is not JSON counts as its
/// bytes). A retry that says the same thing in another order is the same request.
fn meaning_hash(path: &str, query: &str, body: &[u8]) -> String {
    let mut params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    params.sort();
    let mut hasher = Sha256::new();
    hasher.update(path.as_bytes());
    hasher.update([0]);
    for (k, v) in &params {
        hasher.update(k.as_bytes());
        hasher.update([1]);
        hasher.update(v.as_bytes());
        hasher.update([2]);
    }
    hasher.update([0]);
    // No body and an empty object mean the same to every operation that takes one.
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value) => hasher.update(canonical(&value).as_bytes()),
        Err(_) => hasher.update(body),
    }
    hex::encode(hasher.finalize())
}

/// JSON text with every object's members sorted by name, whatever order they came in.
fn canonical(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| a.0.cmp(b.0));
            let inner: Vec<String> = members
                .into_iter()
                .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), canonical(v)))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", inner.join(","))
        }
        other => other.to_string(),
    }
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

#[cfg(test)]
mod tests {
    use super::meaning_hash;

    #[test]
    fn the_same_members_in_another_order_are_the_same_request() {
        let a = meaning_hash(
            "/o",
            "a=1&b=2",
            br#"{"x": 1, "y": {"p": "1", "q": [1, 2]}}"#,
        );
        let b = meaning_hash("/o", "b=2&a=1", br#"{"y":{"q":[1,2],"p":"1"},"x":1}"#);
        assert_eq!(a, b);
        assert_ne!(
            a,
            meaning_hash(
                "/o",
                "a=1&b=2",
                br#"{"x": 1, "y": {"p": "2", "q": [1, 2]}}"#
            )
        );
        assert_ne!(
            a,
            meaning_hash(
                "/o",
                "a=1&b=2",
                br#"{"x": 1, "y": {"p": "1", "q": [2, 1]}}"#
            )
        );
        assert_ne!(
            a,
            meaning_hash(
                "/p",
                "a=1&b=2",
                br#"{"x": 1, "y": {"p": "1", "q": [1, 2]}}"#
            )
        );
        assert_eq!(
            meaning_hash("/o", "", b"not json"),
            meaning_hash("/o", "", b"not json")
        );
    }
}
