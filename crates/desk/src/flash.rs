//! The message every action ends with: the form's redirect carries it in a short-lived cookie,
//! the next page shows it (as a status message, read out by screen readers), and the page's
//! answer clears it, so a reload does not say it twice.

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::HttpResponse;

use crate::page::see_other;

pub const FLASH: &str = "ndpr_flash";

/// Longest message kept (a cookie is small).
const MAX_CHARS: usize = 300;

/// The redirect after an action, with `message` saying what happened.
pub fn done(location: &str, message: impl Into<String>) -> HttpResponse {
    let message: String = message.into().chars().take(MAX_CHARS).collect();
    let encoded: String = url::form_urlencoded::byte_serialize(message.as_bytes()).collect();
    see_other(location)
        .cookie(
            Cookie::build(FLASH, encoded)
                .path("/")
                .http_only(true)
                .same_site(SameSite::Strict)
                .max_age(actix_web::cookie::time::Duration::seconds(60))
                .finish(),
        )
        .finish()
}

/// The message a request carries, if any.
pub fn of(req: &actix_web::HttpRequest) -> Option<String> {
    let c = req.cookie(FLASH)?;
    let text: String = url::form_urlencoded::parse(format!("m={}", c.value()).as_bytes())
        .find(|(k, _)| k == "m")
        .map(|(_, v)| v.into_owned())?;
    Some(text).filter(|t| !t.is_empty())
}

/// Clears the message once a page has shown it.
pub async fn clear_shown(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let carried = req.cookie(FLASH).is_some();
    let mut res = next.call(req).await?;
    let shown = res.status().is_success()
        && res
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
    if carried && shown {
        let mut gone = Cookie::build(FLASH, "").path("/").finish();
        gone.make_removal();
        let _ = res.response_mut().add_cookie(&gone);
    }
    Ok(res)
}
