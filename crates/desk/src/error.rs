//! What the desk answers when something goes wrong, in one place: every `OpError` becomes a
//! `DeskError` by one exhaustive mapping, and a `DeskError` becomes a page by one
//! `ResponseError` implementation. A missing resource is a 404 page, a refused role a 403 page,
//! the database away a 503 page with `Retry-After`; a refusal a form can show in place (field
//! errors, an ATP refusal with its numbers, a stale version) is a [`Refusal`] instead.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

pub use ndpr_api::error::{AtpRefusal, Checks, FieldError, OpError, Stale, Unavailable};

/// Why there is no session to act in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Never logged in (no cookie).
    Anonymous,
    /// The session's token expired, or its user was deactivated or changed password.
    Expired,
}

/// What went wrong, as the desk answers it.
#[derive(Debug)]
pub enum DeskError {
    /// No session: to the login page, and from there back to `next`.
    LoggedOut {
        next: Option<String>,
        why: Ended,
        /// A fragment the page fetched by itself (htmx): it says so in place instead.
        fragment: bool,
    },
    /// A state-changing request from another site or origin, or without this session's CSRF
    /// token, or a creating form without its idempotency key (403).
    Refused(String),
    /// A form was sent after its session ended: nothing was done; the login page keeps what
    /// was typed and, after logging in, opens the form again with it (401).
    EndedOnForm(Box<crate::resume::Resume>),
    /// The role may not do this (403).
    Forbidden(String),
    /// There is no such resource (404).
    NotFound(String),
    /// The input is wrong and the page has no form to show it on (422).
    Invalid(Vec<FieldError>),
    /// The resource's state does not allow it (409).
    Conflict(String),
    /// The resource changed since the page was opened; nothing was overwritten (412).
    Stale,
    /// Too many attempts (429).
    TooManyRequests {
        detail: String,
        retry_after_secs: u64,
    },
    /// The database is away (503 with `Retry-After`).
    Unavailable { retry_after_secs: u64 },
    /// A fault of the service (500); the details are in the log.
    Unexpected,
}

impl From<OpError> for DeskError {
    fn from(e: OpError) -> DeskError {
        match e {
            OpError::Validation(errors) => DeskError::Invalid(errors),
            OpError::Unauthenticated(_) => DeskError::LoggedOut {
                next: None,
                why: Ended::Expired,
                fragment: false,
            },
            OpError::Forbidden(why) => DeskError::Forbidden(why),
            OpError::NotFound(why) => DeskError::NotFound(why),
            OpError::Conflict { detail, .. } => DeskError::Conflict(detail),
            refusal @ OpError::InsufficientAtp(_) => DeskError::Conflict(refusal.to_string()),
            OpError::PreconditionFailed(_) => DeskError::Stale,
            OpError::Unprocessable(why) => DeskError::Invalid(vec![FieldError::new("form", why)]),
            OpError::TooManyRequests {
                detail,
                retry_after_secs,
            } => DeskError::TooManyRequests {
                detail,
                retry_after_secs,
            },
            OpError::Unavailable(u) => DeskError::Unavailable {
                retry_after_secs: u.retry_after_secs,
            },
            OpError::Unexpected(e) => {
                tracing::error!(error = %e, "a desk request failed");
                DeskError::Unexpected
            }
        }
    }
}

impl From<Vec<FieldError>> for DeskError {
    fn from(errors: Vec<FieldError>) -> DeskError {
        DeskError::Invalid(errors)
    }
}

impl std::fmt::Display for DeskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl DeskError {
    /// What the page says.
    pub fn message(&self) -> String {
        match self {
            DeskError::LoggedOut { why, .. } => why.message().to_string(),
            DeskError::EndedOnForm(_) => crate::resume::ENDED_ON_FORM.to_string(),
            DeskError::Refused(why) | DeskError::Forbidden(why) | DeskError::Conflict(why) => {
                why.clone()
            }
            DeskError::NotFound(why) => format!("{} — it may have been removed, or the address is mistyped.", capitalised(why)),
            DeskError::Invalid(errors) => field_errors(errors),
            DeskError::Stale => STALE.into(),
            DeskError::TooManyRequests { detail, .. } => detail.clone(),
            DeskError::Unavailable { .. } => {
                "The desk cannot reach the database just now; nothing was changed. Please reload in a moment.".into()
            }
            DeskError::Unexpected => {
                "Something went wrong on our side; nothing was changed. Please try again.".into()
            }
        }
    }

    fn title(&self) -> &'static str {
        match self {
            DeskError::LoggedOut { .. } | DeskError::EndedOnForm(_) => "Logged out",
            DeskError::Refused(_) | DeskError::Forbidden(_) => "Not allowed",
            DeskError::NotFound(_) => "Not found",
            DeskError::Invalid(_) => "Not saved",
            DeskError::Conflict(_) => "Not possible now",
            DeskError::Stale => "Changed meanwhile",
            DeskError::TooManyRequests { .. } => "Too many attempts",
            DeskError::Unavailable { .. } => "Unavailable",
            DeskError::Unexpected => "Something went wrong",
        }
    }
}

impl Ended {
    pub fn message(self) -> &'static str {
        match self {
            Ended::Anonymous => "Please log in.",
            Ended::Expired => {
                "Your session has ended (it expired, or your account changed). Log in again to continue."
            }
        }
    }
}

/// What a refused save says when the resource changed since the page was opened.
pub const STALE: &str =
    "It was changed since you opened it; nothing was overwritten. Reload it to see the changes, then try again.";

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Field errors in one line: `field: message; …`.
pub fn field_errors(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl ResponseError for DeskError {
    fn status_code(&self) -> StatusCode {
        match self {
            DeskError::LoggedOut { fragment: true, .. } => StatusCode::UNAUTHORIZED,
            DeskError::LoggedOut { .. } => StatusCode::SEE_OTHER,
            DeskError::EndedOnForm(_) => StatusCode::UNAUTHORIZED,
            DeskError::Refused(_) | DeskError::Forbidden(_) => StatusCode::FORBIDDEN,
            DeskError::NotFound(_) => StatusCode::NOT_FOUND,
            DeskError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            DeskError::Conflict(_) => StatusCode::CONFLICT,
            DeskError::Stale => StatusCode::PRECONDITION_FAILED,
            DeskError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            DeskError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            DeskError::Unexpected => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        match self {
            DeskError::LoggedOut {
                next,
                why,
                fragment: false,
            } => crate::session::to_login(next.as_deref(), *why),
            DeskError::EndedOnForm(resume) => crate::login::login_to_resume(status, resume),
            DeskError::LoggedOut { fragment: true, .. } => crate::page::fragment(
                status,
                &crate::page::Notice::alert(self.message()).with_link("/login", "Log in again"),
            ),
            DeskError::Unavailable { retry_after_secs } => {
                let mut res = crate::page::problem(status, self.title(), &self.message());
                if let Ok(v) = actix_web::http::header::HeaderValue::from_str(
                    &retry_after_secs.max(&1).to_string(),
                ) {
                    res.headers_mut()
                        .insert(actix_web::http::header::RETRY_AFTER, v);
                }
                res
            }
            DeskError::TooManyRequests {
                retry_after_secs, ..
            } => {
                let mut res = crate::page::problem(status, self.title(), &self.message());
                if let Ok(v) =
                    actix_web::http::header::HeaderValue::from_str(&retry_after_secs.to_string())
                {
                    res.headers_mut()
                        .insert(actix_web::http::header::RETRY_AFTER, v);
                }
                res
            }
            _ => crate::page::problem(status, self.title(), &self.message()),
        }
    }
}

/// A refusal a form shows in place, with what was typed: field errors (422), an ATP refusal
/// with its numbers or another conflict (409), or a version that moved on (412).
#[derive(Debug)]
pub enum Refusal {
    Invalid(Vec<FieldError>),
    Atp(AtpRefusal),
    Conflict(String),
    Stale,
}

impl Refusal {
    /// The refusal a form can show; anything else (a refused role, nothing there, no
    /// database) is the desk's error page.
    pub fn of(e: OpError) -> Result<Refusal, DeskError> {
        match e {
            OpError::Validation(errors) => Ok(Refusal::Invalid(errors)),
            OpError::InsufficientAtp(r) => Ok(Refusal::Atp(r)),
            OpError::Conflict { detail, .. } => Ok(Refusal::Conflict(detail)),
            OpError::Unprocessable(why) => Ok(Refusal::Invalid(vec![FieldError::new("form", why)])),
            OpError::PreconditionFailed(_) => Ok(Refusal::Stale),
            other => Err(DeskError::from(other)),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Refusal::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::Atp(_) | Refusal::Conflict(_) => StatusCode::CONFLICT,
            Refusal::Stale => StatusCode::PRECONDITION_FAILED,
        }
    }

    /// The field errors to show beside their inputs.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Refusal::Invalid(errors) => errors,
            _ => &[],
        }
    }

    /// The refusal in one line.
    pub fn text(&self) -> String {
        match self {
            Refusal::Invalid(errors) => field_errors(errors),
            Refusal::Atp(a) => OpError::InsufficientAtp(a.clone()).to_string(),
            Refusal::Conflict(why) => why.clone(),
            Refusal::Stale => STALE.to_string(),
        }
    }

    /// What a form lists: the field errors, or the refusal as an error of `input` (the
    /// form's first input, or the form itself).
    pub fn errors_for(&self, input: &str) -> Vec<FieldError> {
        match self {
            Refusal::Invalid(errors) => errors.clone(),
            other => vec![FieldError::new(input, other.text())],
        }
    }

    /// The field errors with each API field path renamed to the form's input.
    pub fn renamed(self, input: impl Fn(&str) -> String) -> Refusal {
        match self {
            Refusal::Invalid(errors) => Refusal::Invalid(
                errors
                    .into_iter()
                    .map(|e| FieldError::new(input(&e.field), e.message))
                    .collect(),
            ),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kind of operation error has its own status; none falls into another's.
    #[test]
    fn every_operation_error_maps_to_its_status() {
        let cases: Vec<(OpError, u16)> = vec![
            (OpError::field("x", "bad"), 422),
            (OpError::Forbidden("no".into()), 403),
            (OpError::not_found("order"), 404),
            (
                OpError::conflict("a confirmed order cannot be confirmed"),
                409,
            ),
            (
                OpError::PreconditionFailed(crate::error::Stale::Version { current: 2 }),
                412,
            ),
            (OpError::Unprocessable("refers to nothing".into()), 422),
            (
                OpError::TooManyRequests {
                    detail: "wait".into(),
                    retry_after_secs: 30,
                },
                429,
            ),
            (
                OpError::Unavailable(Unavailable {
                    detail: "away".into(),
                    retry_after_secs: 2,
                    connection_lost: true,
                }),
                503,
            ),
            (OpError::unexpected("boom"), 500),
        ];
        for (e, status) in cases {
            let what = format!("{e:?}");
            assert_eq!(DeskError::from(e).status_code().as_u16(), status, "{what}");
        }
        assert_eq!(
            DeskError::from(OpError::Unauthenticated("expired".into()))
                .status_code()
                .as_u16(),
            303
        );
    }

    #[test]
    fn an_outage_answers_with_retry_after_and_a_missing_resource_says_so() {
        let away = DeskError::Unavailable {
            retry_after_secs: 2,
        }
        .error_response();
        assert_eq!(away.status().as_u16(), 503);
        assert_eq!(
            away.headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok()),
            Some("2")
        );
        assert!(DeskError::from(OpError::not_found("order"))
            .message()
            .starts_with("Order not found"));
    }

    #[test]
    fn forms_show_field_errors_conflicts_and_stale_versions_in_place() {
        assert!(matches!(
            Refusal::of(OpError::field("quantity_kg", "must be positive")),
            Ok(Refusal::Invalid(_))
        ));
        assert!(matches!(
            Refusal::of(OpError::PreconditionFailed(crate::error::Stale::Version {
                current: 2
            })),
            Ok(Refusal::Stale)
        ));
        assert!(matches!(
            Refusal::of(OpError::Forbidden("no".into())),
            Err(DeskError::Forbidden(_))
        ));
        let renamed = Refusal::Invalid(vec![FieldError::new("schedule[2].quantity_kg", "x")])
            .renamed(|p| p.replace("schedule[2].", "").to_string() + "_2");
        assert_eq!(renamed.field_errors()[0].field, "quantity_kg_2");
    }
}
