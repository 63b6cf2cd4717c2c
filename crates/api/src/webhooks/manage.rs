use actix_web::{delete, get, patch, post, web, HttpResponse};

use crate::domain::webhook::Subscription;
use crate::domain::WebhookId;
use crate::extract::Caller;
use crate::extract::{IfMatch, ValidJson};
use crate::ops::page::Page;
use crate::ops::webhooks::{self, NewWebhook, WebhookFilter, WebhookPatch, WebhookWithSecret};
use crate::problem::{ApiError, ReadErrors, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// List webhook subscriptions
///
/// An admin sees every subscription, an integration user the ones it made. In creation order.
/// Secrets are never listed.
#[utoipa::path(
    tag = "webhooks",
    params(WebhookFilter),
    responses((status = 200, description = "One page of subscriptions", body = Page<Subscription>), ReadErrors),
)]
#[get("")]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    actor: Caller,
    params: crate::extract::ValidQuery<WebhookFilter>,
) -> Result<HttpResponse, ApiError> {
    let f = params.into_inner();
    let page = state
        .db
        .read(move |c| webhooks::list(c, &actor, &f))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Create a webhook subscription
///
/// Admins and integration users; the subscription belongs to its maker. Deliveries start with
/// the next event. The answer carries the signing secret, shown this once.
#[utoipa::path(
    tag = "webhooks",
    request_body = NewWebhook,
    responses((status = 201, description = "The subscription and its secret", body = WebhookWithSecret), WriteErrors),
)]
#[post("")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    actor: Caller,
    body: ValidJson<NewWebhook>,
) -> Result<HttpResponse, ApiError> {
    let policy = *state.webhooks.policy();
    let created = state
        .db
        .write(move |c| webhooks::create(c, &actor, &policy, body.0))
        .await?;
    Ok(respond::created(
        created.webhook.version,
        format!("/api/v1/webhooks/{}", created.webhook.id),
        &created,
    ))
}

/// Get a webhook subscription
///
/// An admin, or the integration user that made the subscription.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = uuid::Uuid, Path, description = "Subscription id")),
    responses((status = 200, description = "The subscription; `ETag` carries its version", body = Subscription), ReadErrors),
)]
#[get("/{id}")]
pub async fn get_webhook(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<WebhookId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let found = state.db.read(move |c| webhooks::get(c, &actor, id)).await?;
    Ok(respond::ok(found.version, &found))
}

/// Change a webhook subscription
///
/// An admin, or the integration user that made the subscription. Send only the members to change; the URL is checked as on creation.
#[utoipa::path(
    tag = "webhooks",
    request_body = WebhookPatch,
    params(
        ("id" = uuid::Uuid, Path, description = "Subscription id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The updated subscription", body = Subscription), WriteErrors),
)]
#[patch("/{id}")]
pub async fn update_webhook(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<WebhookId>,
    if_match: IfMatch,
    body: ValidJson<WebhookPatch>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let policy = *state.webhooks.policy();
    let updated = state
        .db
        .write(move |c| webhooks::update(c, &actor, &policy, id, &if_match.0, body.0))
        .await?;
    Ok(respond::ok(updated.version, &updated))
}

/// Delete a webhook subscription
///
/// An admin, or the integration user that made the subscription. Its deliveries and their attempts go with it.
#[utoipa::path(
    tag = "webhooks",
    params(
        ("id" = uuid::Uuid, Path, description = "Subscription id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 204, description = "Deleted"), WriteErrors),
)]
#[delete("/{id}")]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<WebhookId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state
        .db
        .write(move |c| webhooks::delete(c, &actor, id, &if_match.0))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
