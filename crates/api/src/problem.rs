//! The HTTP edge of errors: every `OpError`, and the errors only HTTP has (malformed bodies,
//! wrong media types, unknown routes), answered as RFC 9457 `application/problem+json`; and the
//! OpenAPI description of those answers.

use std::collections::BTreeMap;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::openapi::{Content, Ref, RefOr, Response, ResponseBuilder};
use utoipa::ToSchema;

use crate::error::{FieldError, OpError, Stale};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// RFC 9457 problem details.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A stable identifier of the kind of problem.
    #[schema(example = "urn:ndpr:problem:validation")]
    #[serde(rename = "type")]
    pub problem_type: String,
    #[schema(example = "Validation failed")]
    pub title: String,
    #[schema(example = 422)]
    pub status: u16,
    #[schema(example = "1 field is invalid")]
    pub detail: String,
    /// Per-field errors, for validation problems.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Further members specific to the problem type.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

/// An error answered over HTTP.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Op(#[from] OpError),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> ApiError {
        ApiError::Op(OpError::Unexpected(e))
    }
}

impl ApiError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::Op(OpError::field(field, message))
    }

    pub fn not_found(detail: impl Into<String>) -> ApiError {
        ApiError::Op(OpError::NotFound(detail.into()))
    }

    /// The stable slug and title of the problem.
    fn kind(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::BadRequest(_) => ("bad-request", "Bad request"),
            ApiError::Unauthorized(_) => ("unauthorized", "Authentication required"),
            ApiError::MethodNotAllowed(_) => ("method-not-allowed", "Method not allowed"),
            ApiError::PayloadTooLarge(_) => ("payload-too-large", "Payload too large"),
            ApiError::UnsupportedMediaType(_) => {
                ("unsupported-media-type", "Unsupported media type")
            }
            ApiError::Op(e) => match e {
                OpError::Validation(_) => ("validation", "Validation failed"),
                OpError::Unauthenticated(_) => ("unauthorized", "Authentication required"),
                OpError::Forbidden(_) => ("forbidden", "Not allowed"),
                OpError::NotFound(_) => ("not-found", "Not found"),
                OpError::Conflict { kind, .. } => (kind, "Conflict"),
                OpError::InsufficientAtp(_) => ("insufficient-atp", "Conflict"),
                OpError::PreconditionFailed(_) => ("precondition-failed", "Precondition failed"),
                OpError::Unprocessable(_) => ("unprocessable", "Unprocessable request"),
                OpError::TooManyRequests { .. } => ("too-many-requests", "Too many requests"),
                OpError::Unavailable(_) => ("unavailable", "Service unavailable"),
                OpError::Unexpected(_) => ("internal", "Internal error"),
            },
        }
    }

    /// The problem document this error answers with.
    pub fn problem(&self) -> Problem {
        let (slug, title) = self.kind();
        let status = self.status_code().as_u16();
        let (detail, errors, extensions) = match self {
            ApiError::Op(OpError::Validation(errors)) => {
                let n = errors.len();
                let detail = match errors.first() {
                    Some(e) if n == 1 => format!("{}: {}", e.field, e.message),
                    _ => format!("{n} fields are invalid"),
                };
                (detail, errors.clone(), Default::default())
            }
            ApiError::Op(OpError::Conflict { extensions, .. }) => {
                (self.to_string(), Vec::new(), extensions.clone())
            }
            ApiError::Op(OpError::InsufficientAtp(r)) => {
                let mut ext = serde_json::Map::new();
                ext.insert("product_id".into(), r.product_id.clone().into());
                ext.insert("period".into(), r.period.to_string().into());
                ext.insert(
                    "requested_kg".into(),
                    r.requested.display().to_string().into(),
                );
                ext.insert(
                    "available_kg".into(),
                    r.available.display().to_string().into(),
                );
                ext.insert(
                    "first_short_period".into(),
                    r.first_short_period.to_string().into(),
                );
                let (fit, fit_kg) = match &r.first_fit {
                    Some((period, kg)) => {
                        (period.to_string().into(), kg.display().to_string().into())
                    }
                    None => (serde_json::Value::Null, serde_json::Value::Null),
                };
                ext.insert("first_fit_period".into(), fit);
                ext.insert("first_fit_available_kg".into(), fit_kg);
                (self.to_string(), Vec::new(), ext)
            }
            ApiError::Op(OpError::PreconditionFailed(stale)) => {
                let mut ext = serde_json::Map::new();
                if let Stale::Version { current } = stale {
                    ext.insert("current_version".into(), (*current).into());
                }
                (if_match_detail(stale), Vec::new(), ext)
            }
            // Never leak internals: the details go to the log.
            ApiError::Op(OpError::Unexpected(_)) => (
                "the server could not complete the request".to_string(),
                Vec::new(),
                Default::default(),
            ),
            _ => (self.to_string(), Vec::new(), Default::default()),
        };
        Problem {
            problem_type: format!("urn:ndpr:problem:{slug}"),
            title: title.to_string(),
            status,
            detail,
            errors,
            extensions,
        }
    }
}

/// Why `If-Match` failed, in the header's own terms.
fn if_match_detail(stale: &Stale) -> String {
    match stale {
        Stale::Version { current } => format!(
            "If-Match does not match the current version: send the ETag as served, \
             If-Match: {}, and read the resource again if it has changed since",
            crate::respond::etag(*current)
        ),
        Stale::NothingStored => {
            "If-Match names a version, but nothing has this reference yet".to_string()
        }
        Stale::Concurrent { .. } => stale.to_string(),
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Op(e) => match e {
                OpError::Validation(_) | OpError::Unprocessable(_) => {
                    StatusCode::UNPROCESSABLE_ENTITY
                }
                OpError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
                OpError::Forbidden(_) => StatusCode::FORBIDDEN,
                OpError::NotFound(_) => StatusCode::NOT_FOUND,
                OpError::Conflict { .. } | OpError::InsufficientAtp(_) => StatusCode::CONFLICT,
                OpError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
                OpError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
                OpError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
                OpError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Op(OpError::Unexpected(e)) = self {
            tracing::error!(error = %e, "unexpected error");
        }
        let mut builder = HttpResponse::build(self.status_code());
        builder.content_type(PROBLEM_JSON);
        match self {
            ApiError::Unauthorized(_) | ApiError::Op(OpError::Unauthenticated(_)) => {
                builder.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            ApiError::Op(OpError::TooManyRequests {
                retry_after_secs, ..
            }) => {
                builder.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            ApiError::Op(OpError::Unavailable(u)) => {
                builder.insert_header((header::RETRY_AFTER, u.retry_after_secs.to_string()));
            }
            // The current version, as an ETag to send back once the change is re-checked.
            ApiError::Op(OpError::PreconditionFailed(Stale::Version { current })) => {
                builder.insert_header((header::ETAG, crate::respond::etag(*current)));
            }
            _ => {}
        }
        builder.json(self.problem())
    }
}

fn problem_response(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                PROBLEM_JSON,
                Content::new(Some(Ref::from_schema_name("Problem"))),
            )
            .build(),
    )
}

fn problems(codes: &[(u16, &str)]) -> BTreeMap<String, RefOr<Response>> {
    codes
        .iter()
        .map(|(code, text)| (code.to_string(), problem_response(text)))
        .collect()
}

const READ_ERRORS: [(u16, &str); 5] = [
    (400, "Malformed request"),
    (401, "Missing, invalid or expired access token"),
    (404, "Not found"),
    (422, "Invalid parameters; `errors` names each field"),
    (503, "Database unavailable"),
];

const WRITE_ERRORS: [(u16, &str); 6] = [
    (403, "The caller's role may not do this"),
    (409, "Conflicts with the current state (duplicate, wrong lifecycle state, idempotency key in use)"),
    (412, "If-Match does not match the current version"),
    (413, "Request body too large"),
    (415, "Request body is not application/json"),
    (422, "Invalid input; `errors` names each field"),
];

/// The error answers of every read operation.
pub struct ReadErrors;

impl utoipa::IntoResponses for ReadErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problems(&READ_ERRORS)
    }
}

/// The error answers of every change operation.
pub struct WriteErrors;

impl utoipa::IntoResponses for WriteErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut all = problems(&READ_ERRORS);
        all.extend(problems(&WRITE_ERRORS));
        all
    }
}
