//! Every request gets an id (the caller's `X-Request-Id` when sane), echoed on the answer and
//! carried by every log line written while answering it; each is counted in the metrics by
//! route pattern, method and status, and logged once when answered.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage};
use tracing::Instrument;

use crate::state::{AppState, RequestId};

pub const REQUEST_ID: &str = "x-request-id";

/// Gives each request an id, runs it inside a span carrying that id, echoes the id on the
/// answer, counts it in the metrics and writes the access log line.
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
    let span = tracing::info_span!("request", request_id = %id);
    let mut res = next.call(req).instrument(span.clone()).await?;
    if let Ok(v) = header::HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(header::HeaderName::from_static(REQUEST_ID), v);
    }
    let status = res.status().as_u16();
    let elapsed = started.elapsed();
    let req = res.request();
    if let Some(state) = req.app_data::<web::Data<AppState>>() {
        let route = state.routes.template(req.path()).unwrap_or("unmatched");
        state
            .metrics
            .observe(req.method(), route, status, elapsed.as_secs_f64());
    }
    span.in_scope(|| {
        tracing::info!(
            client = %req.peer_addr().map_or_else(|| "-".to_string(), |a| a.ip().to_string()),
            method = %req.method(),
            path = %req.path(),
            status,
            ms = %format!("{:.3}", elapsed.as_secs_f64() * 1000.0),
            "answered"
        );
    });
    Ok(res)
}
