//! Conditional reads: a GET or HEAD whose `If-None-Match` names the ETag the answer carries gets
//! `304 Not Modified` with that ETag and no body, so a client polling a resource spends nothing
//! when it has not changed. Tags are compared as served (`"3"`, also `W/"3"`) or as the bare
//! version (`3`); `*` matches any answer with an ETag.

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};

/// The version a tag names, in any of the accepted spellings.
pub fn tag_version(tag: &str) -> Option<&str> {
    let tag = tag.trim().trim_start_matches("W/");
    let bare = tag
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(tag);
    (!bare.is_empty() && bare.bytes().all(|b| b.is_ascii_digit())).then_some(bare)
}

fn matches(if_none_match: &str, etag: &str) -> bool {
    let Some(current) = tag_version(etag) else {
        return false;
    };
    if_none_match
        .split(',')
        .any(|t| t.trim() == "*" || tag_version(t) == Some(current))
}

pub async fn not_modified(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<BoxBody>>, Error> {
    let reads = matches!(*req.method(), Method::GET | Method::HEAD);
    let wanted = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let res = next.call(req).await?.map_into_boxed_body();
    let (Some(wanted), true) = (wanted, reads) else {
        return Ok(res.map_into_left_body());
    };
    let etag = res
        .headers()
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    match etag {
        Some(etag) if res.status() == StatusCode::OK && matches(&wanted, &etag) => {
            let (http_req, _) = res.into_parts();
            let answer = HttpResponse::NotModified()
                .insert_header((header::ETAG, etag))
                .finish();
            Ok(ServiceResponse::new(http_req, answer).map_into_right_body())
        }
        _ => Ok(res.map_into_left_body()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_match_as_served_weak_or_bare() {
        assert!(matches("\"3\"", "\"3\""));
        assert!(matches("W/\"3\"", "\"3\""));
        assert!(matches("3", "\"3\""));
        assert!(matches("\"1\", \"3\"", "\"3\""));
        assert!(matches("*", "\"3\""));
        assert!(!matches("\"4\"", "\"3\""));
        assert!(!matches("\"3x\"", "\"3\""));
        assert!(!matches("", "\"3\""));
    }
}
