//! Building answers: JSON with the resource's ETag, and CSV documents.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

use crate::ops::report::Csv;

/// The entity tag of a resource version: `"3"`.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// A resource answer carrying `ETag` for its version.
pub fn with_etag<T: Serialize>(status: StatusCode, version: i64, body: &T) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(version)))
        .json(body)
}

pub fn ok<T: Serialize>(version: i64, body: &T) -> HttpResponse {
    with_etag(StatusCode::OK, version, body)
}

pub fn created<T: Serialize>(version: i64, location: String, body: &T) -> HttpResponse {
    let mut res = with_etag(StatusCode::CREATED, version, body);
    if let Ok(value) = header::HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, value);
    }
    res
}

/// Whether the client asked for CSV rather than JSON.
pub fn wants_csv(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.split(',').any(|t| t.trim().starts_with("text/csv")))
}

/// A CSV download.
pub fn csv(doc: Csv) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", doc.filename),
        ))
        .body(doc.body)
}

/// JSON, or the same report as CSV when the client asked for it.
pub fn report<T: Serialize>(
    req: &HttpRequest,
    body: &T,
    csv_of: impl FnOnce(&T) -> Csv,
) -> HttpResponse {
    if wants_csv(req) {
        csv(csv_of(body))
    } else {
        HttpResponse::Ok().json(body)
    }
}

/// The answer to an upsert: 201 with `Location` when it created the resource, else 200. Either
/// way `Upsert-Outcome` says `created`, `updated` or `unchanged`.
pub fn upserted<T: Serialize>(
    outcome: crate::ops::upsert::Outcome,
    version: i64,
    location: String,
    body: &T,
) -> HttpResponse {
    use crate::ops::upsert::Outcome;
    let mut res = match outcome {
        Outcome::Created => created(version, location, body),
        Outcome::Updated | Outcome::Unchanged => ok(version, body),
    };
    res.headers_mut().insert(
        header::HeaderName::from_static("upsert-outcome"),
        header::HeaderValue::from_static(outcome.as_str()),
    );
    res
}
