use actix_web::{post, web, HttpResponse};

use crate::domain::webhook::Subscription;
use crate::domain::WebhookId;
use crate::extract::Caller;
use crate::extract::{IfMatch, OptionalJson};
use crate::ops::action::ActionBody;
use crate::ops::webhooks::{self, WebhookWithSecret};
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Disable a webhook subscription
///
/// An admin, or the integration user that made the subscription. Deliveries stop; events keep accumulating and are sent once it is enabled.
#[utoipa::path(
    tag = "webhooks",
    request_body(content = Option<ActionBody>, description = "Optional reason"),
    params(
        ("id" = uuid::Uuid, Path, description = "Subscription id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The disabled subscription", body = Subscription), WriteErrors),
)]
#[post("/{id}/disable")]
pub async fn disable_webhook(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<WebhookId>,
    if_match: IfMatch,
    body: OptionalJson<ActionBody>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let done = state
        .db
        .write(move |c| webhooks::disable(c, &actor, id, &if_match.0, &body.0))
        .await?;
    Ok(respond::ok(done.version, &done))
}

/// Enable a webhook subscription
///
/// An admin, or the integration user that made the subscription. Deliveries resume at once,
/// from where they stopped: the deliveries that were given up are sent again first (their
/// earlier attempts stay in the log), then the events that came since.
#[utoipa::path(
    tag = "webhooks",
    params(
        ("id" = uuid::Uuid, Path, description = "Subscription id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The enabled subscription", body = Subscription), WriteErrors),
)]
#[post("/{id}/enable")]
pub async fn enable_webhook(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<WebhookId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let done = state
        .db
        .write(move |c| webhooks::enable(c, &actor, id, &if_match.0))
        .await?;
    Ok(respond::ok(done.version, &done))
}

/// Rotate a webhook subscription's signing secret
///
/// An admin, or the integration user that made the subscription. The new secret signs every delivery from now on, retries included; the answer
/// shows it this once.
#[utoipa::path(
    tag = "webhooks",
    params(
        ("id" = uuid::Uuid, Path, description = "Subscription id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The subscription and its new secret", body = WebhookWithSecret), WriteErrors),
)]
#[post("/{id}/rotate-secret")]
pub async fn rotate_webhook_secret(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<WebhookId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let done = state
        .db
        .write(move |c| webhooks::rotate_secret(c, &actor, id, &if_match.0))
        .await?;
    Ok(respond::ok(done.webhook.version, &done))
}
