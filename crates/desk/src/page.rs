//! What every desk answer carries: a strict Content-Security-Policy (scripts and styles only
//! from this origin, no inline script), no framing, no sniffing, and no caching of pages that
//! show business data.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, HttpResponseBuilder};

/// The policy of every desk answer.
pub const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Adds the security headers to a response being built.
pub fn secured(builder: &mut HttpResponseBuilder) -> &mut HttpResponseBuilder {
    builder
        .insert_header(("content-security-policy", CSP))
        .insert_header(("x-content-type-options", "nosniff"))
        .insert_header(("x-frame-options", "DENY"))
        .insert_header(("referrer-policy", "same-origin"))
}

/// An HTML page.
pub fn html(status: StatusCode, body: String) -> HttpResponse {
    secured(&mut HttpResponse::build(status))
        .insert_header(("cache-control", "no-store"))
        .content_type("text/html; charset=utf-8")
        .body(body)
}

/// The database is away: 503 with `Retry-After`, as the API answers.
pub fn unavailable(message: &'static str) -> HttpResponse {
    secured(&mut HttpResponse::ServiceUnavailable())
        .insert_header(("cache-control", "no-store"))
        .insert_header(("retry-after", "5"))
        .content_type("text/html; charset=utf-8")
        .body(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Unavailable</title>\
             <link rel=\"stylesheet\" href=\"/assets/desk.css\"></head><body><main>\
             <h1>Unavailable</h1><p role=\"alert\">{message}</p></main></body></html>"
        ))
}

/// The database is away, in the desk's words (503 with `Retry-After`).
pub fn database_away() -> HttpResponse {
    unavailable("The desk cannot reach the database just now; please reload in a moment.")
}

/// Field errors as one 422 page: `field: message; …`.
pub fn invalid(errors: &[crate::error::FieldError]) -> HttpResponse {
    let why = errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ");
    refused(StatusCode::UNPROCESSABLE_ENTITY, &why)
}

/// A changing form that does not say which version it was opened at (422).
pub fn no_version() -> HttpResponse {
    refused(
        StatusCode::UNPROCESSABLE_ENTITY,
        "the form has no version; reload the page",
    )
}

/// A creating form without a well-formed idempotency key (403): a page older than the desk's
/// double-submit protection, or a forged post.
pub fn no_idempotency_key() -> HttpResponse {
    forbidden("the form has no idempotency key; reload the page")
}

/// A redirect after a form (303, so the browser follows with GET).
pub fn see_other(location: &str) -> HttpResponseBuilder {
    let mut b = HttpResponse::SeeOther();
    secured(&mut b).insert_header(("location", location.to_string()));
    b
}

#[derive(askama::Template)]
#[template(path = "refused.html")]
struct Refused<'a> {
    why: &'a str,
}

/// A refused form: 403 with a short page saying why.
pub fn forbidden(why: &str) -> HttpResponse {
    refused(StatusCode::FORBIDDEN, why)
}

/// A refused request with its status and a short page saying why.
pub fn refused(status: StatusCode, why: &str) -> HttpResponse {
    render(status, &Refused { why })
}

/// A template rendered as a page; a template that cannot render is a 500 with a plain text.
pub fn render(status: StatusCode, page: &impl askama::Template) -> HttpResponse {
    match page.render() {
        Ok(body) => html(status, body),
        Err(e) => {
            tracing::error!(error = %e, "a desk page could not be rendered");
            html(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page could not be shown; please try again.".into(),
            )
        }
    }
}
