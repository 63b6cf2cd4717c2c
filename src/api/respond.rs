//! Building answers: JSON with the resource's ETag.

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use serde::Serialize;

use super::extract::etag;

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
