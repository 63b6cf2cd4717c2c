//! CORS for the browser origins the operator allows.

use actix_web::http::header;

use super::request::REQUEST_ID;

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
