use actix_web::{get, post, web, HttpResponse};

use crate::db::connection::blocking;
use crate::domain::webhook::WebhookDelivery;
use crate::domain::{DeliveryId, WebhookId};
use crate::extract::Caller;
use crate::ops::page::Page;
use crate::ops::webhooks::{self, deliver, DeliveryFilter};
use crate::problem::{ApiError, ReadErrors, WriteErrors};
use crate::state::AppState;

/// List a webhook subscription's deliveries
///
/// An admin, or the integration user that made the subscription. Oldest first, each with every attempt: status, response code, duration and the
/// next try.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = uuid::Uuid, Path, description = "Subscription id"), DeliveryFilter),
    responses((status = 200, description = "One page of deliveries", body = Page<WebhookDelivery>), ReadErrors),
)]
#[get("/{id}/deliveries")]
pub async fn list_webhook_deliveries(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<WebhookId>,
    params: crate::extract::ValidQuery<DeliveryFilter>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let f = params.into_inner();
    let page = state
        .db
        .read(move |c| webhooks::deliveries(c, &actor, id, &f))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Send a delivery again
///
/// An admin, or the integration user that made the subscription. Sends it now, with the same `webhook-id` and a fresh signature, and answers
/// the delivery with this attempt added. A pending delivery that succeeds lets the ones behind
/// it go on at once.
#[utoipa::path(
    tag = "webhooks",
    params(
        ("id" = uuid::Uuid, Path, description = "Subscription id"),
        ("delivery_id" = uuid::Uuid, Path, description = "WebhookDelivery id"),
    ),
    responses((status = 200, description = "The delivery with every attempt", body = WebhookDelivery), WriteErrors),
)]
#[post("/{id}/deliveries/{delivery_id}/redeliver")]
pub async fn redeliver_webhook_delivery(
    state: web::Data<AppState>,
    actor: Caller,
    path: web::Path<(WebhookId, DeliveryId)>,
) -> Result<HttpResponse, ApiError> {
    let (id, delivery_id) = path.into_inner();
    let who = actor.clone();
    let job = state
        .db
        .read(move |c| deliver::redelivery(c, &who, id, delivery_id))
        .await?;
    let client = state.webhooks.clone();
    let sent = job.clone();
    let attempt = blocking(move || Ok(client.send(&sent))).await?;
    let delivery = state
        .db
        .write(move |c| deliver::record_redelivery(c, &actor, &job, &attempt))
        .await?;
    Ok(HttpResponse::Ok().json(delivery))
}
