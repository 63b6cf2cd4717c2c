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

/// A redirect after a form (303, so the browser follows with GET).
pub fn see_other(location: &str) -> HttpResponseBuilder {
    let mut b = HttpResponse::SeeOther();
    secured(&mut b).insert_header(("location", location.to_string()));
    b
}

#[derive(askama::Template)]
#[template(path = "problem.html")]
struct ProblemPage<'a> {
    title: &'a str,
    why: &'a str,
}

/// A page that says what went wrong, under `status`.
pub fn problem(status: StatusCode, title: &str, why: &str) -> HttpResponse {
    render(status, &ProblemPage { title, why })
}

/// A message in words, with a link to act on it (a fragment's answer, an alert on a page).
#[derive(Debug, Clone)]
pub struct Notice {
    pub text: String,
    pub link: Option<(String, String)>,
}

impl Notice {
    pub fn alert(text: impl Into<String>) -> Notice {
        Notice {
            text: text.into(),
            link: None,
        }
    }

    pub fn with_link(mut self, href: &str, label: &str) -> Notice {
        self.link = Some((href.to_string(), label.to_string()));
        self
    }
}

#[derive(askama::Template)]
#[template(path = "notice.html")]
struct NoticeView<'a> {
    notice: &'a Notice,
}

/// A fragment a page fetched by itself (htmx) that says something in place.
pub fn fragment(status: StatusCode, notice: &Notice) -> HttpResponse {
    render(status, &NoticeView { notice })
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
