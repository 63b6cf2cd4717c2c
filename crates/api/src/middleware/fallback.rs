//! Any error answer that is not already problem+json (actix's own 404s, 405s, 413s, …) is
//! replaced by one, so clients parse a single error format. The desk's HTML pages stay as
//! they are.

use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::ResponseError;

use crate::error::OpError;
use crate::problem::{ApiError, PROBLEM_JSON};

/// Any error answer that is not already problem+json (actix's own 404s, 405s, 413s, …)
/// is replaced by one, so clients parse a single error format.
pub fn problem_fallback<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // Problem documents, and the desk's own pages (which say what went wrong in HTML), stay.
    if content_type.starts_with(PROBLEM_JSON) || content_type.starts_with("text/html") {
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
