//! Webhook subscriptions, each owned by the user who made it (an admin manages all, an
//! integration user its own): create, read, change, disable, enable, delete, rotate the
//! secret, and the record of deliveries. Sending lives in [`deliver`].

pub mod deliver;

use crate::domain::EntityId;
use crate::domain::WebhookId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::action::{reason, ActionBody};
use crate::db::webhooks as store;
use crate::db::{now_utc, DbConnection};
use crate::domain::webhook::{
    is_event_type, new_secret, Subscription, TargetPolicy, WebhookDelivery, WebhookDeliveryStatus,
    WebhookStatus, MAX_EVENT_TYPES,
};
use crate::domain::Permission;
use crate::error::{Checks, OpError};
use crate::page::{Page, PageRequest};
use crate::{lifecycle, Actor, Expect};

/// The longest description.
pub const MAX_DESCRIPTION: usize = 500;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"url": "https://erp.example.com/hooks/ndpr", "event_types": ["order.*"], "description": "ERP order mirror"}))]
pub struct NewWebhook {
    /// `https` (or `http` with `NDPR_WEBHOOKS_ALLOW_HTTP=true`); never a link-local address,
    /// and no loopback or private address unless `NDPR_WEBHOOKS_ALLOW_PRIVATE=true`.
    #[schema(min_length = 1, max_length = 2000)]
    pub url: String,
    /// `entity.action` or `entity.*`, at most 50; absent or empty for every event.
    #[schema(max_items = 50)]
    pub event_types: Option<Vec<String>>,
    #[schema(max_length = 500)]
    pub description: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"event_types": ["order.confirmed", "contract.*"]}))]
pub struct WebhookPatch {
    #[schema(min_length = 1, max_length = 2000)]
    pub url: Option<String>,
    #[schema(max_items = 50)]
    pub event_types: Option<Vec<String>>,
    #[schema(max_length = 500)]
    pub description: Option<String>,
}

/// A subscription with its signing secret: the only answers that show the secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookWithSecret {
    pub webhook: Subscription,
    /// Verifies `webhook-signature` (Standard Webhooks). Shown once: store it now.
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub secret: String,
}

fn checked_url(policy: &TargetPolicy, url: &str, checks: &mut Checks) -> String {
    let url = url.trim();
    if let Err(why) = policy.check_url(url) {
        checks.check(false, "url", why);
    }
    url.to_string()
}

fn checked_types(actor: &Actor, types: Option<Vec<String>>, checks: &mut Checks) -> Vec<String> {
    let types = types.unwrap_or_default();
    checks.check(
        types.len() <= MAX_EVENT_TYPES,
        "event_types",
        format!("must name at most {MAX_EVENT_TYPES} event types"),
    );
    for (i, t) in types.iter().enumerate() {
        checks.check(
            is_event_type(t),
            &format!("event_types[{i}]"),
            "must be entity.action or entity.* in lower case, e.g. order.confirmed",
        );
        // Only admins read events about users and webhooks: a subscription of anyone else
        // would never receive them.
        let entity = t.split('.').next().unwrap_or_default();
        checks.check(
            actor.is_admin() || !crate::domain::feed::ADMIN_ONLY_ENTITIES.contains(&entity),
            &format!("event_types[{i}]"),
            format!(
                "{entity} events are for admins only; this subscription would never receive them"
            ),
        );
    }
    let mut types = types;
    types.sort();
    types.dedup();
    types
}

fn checked_description(d: Option<String>, checks: &mut Checks) -> Option<String> {
    let d = d.map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
    if let Some(d) = &d {
        checks.check(
            d.chars().count() <= MAX_DESCRIPTION,
            "description",
            format!("must be at most {MAX_DESCRIPTION} characters"),
        );
    }
    d
}

/// The subscription, when `actor` may manage it: an admin any, another user (an integration)
/// only the ones it made. Anyone else's is "not found", as if it did not exist.
pub fn owned(
    conn: &mut DbConnection,
    actor: &Actor,
    id: WebhookId,
) -> Result<Subscription, OpError> {
    actor.require(Permission::ManageWebhooks)?;
    let webhook = store::find(conn, id)?;
    if actor.role == crate::domain::Role::Admin || webhook.owner_id == Some(actor.user_id) {
        Ok(webhook)
    } else {
        Err(OpError::not_found("webhook"))
    }
}

fn fresh_secret() -> String {
    new_secret(rand::random())
}

/// Creates a subscription, starting with the events after the newest one, and answers it with
/// its secret. An admin, or the integration user that made it.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    policy: &TargetPolicy,
    new: NewWebhook,
) -> Result<WebhookWithSecret, OpError> {
    actor.require(Permission::ManageWebhooks)?;
    let mut checks = Checks::default();
    let url = checked_url(policy, &new.url, &mut checks);
    let event_types = checked_types(actor, new.event_types, &mut checks);
    let description = checked_description(new.description, &mut checks);
    checks.finish()?;
    let at = now_utc();
    let webhook = lifecycle::create(
        conn,
        actor,
        Subscription {
            id: EntityId::fresh(),
            url,
            event_types,
            description,
            status: WebhookStatus::Active,
            disabled_reason: None,
            created_at: at,
            updated_at: at,
            version: 1,
            owner_id: Some(actor.user_id),
        },
    )?;
    // It starts after the newest event: its own creation.
    let newest = store::latest_seq(conn)?;
    store::advance_cursor(conn, webhook.id, newest)?;
    let secret = fresh_secret();
    store::set_secret(conn, webhook.id, &secret)?;
    Ok(WebhookWithSecret { webhook, secret })
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WebhookFilter {
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    f: &WebhookFilter,
) -> Result<Page<Subscription>, OpError> {
    actor.require(Permission::ManageWebhooks)?;
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    // An admin sees every subscription; an integration user its own.
    let owner = (actor.role != crate::domain::Role::Admin).then_some(actor.user_id);
    let (items, next) = store::list(conn, owner, page.limit, page.cursor.as_ref())?;
    Ok(Page::new(items, next))
}

pub fn get(conn: &mut DbConnection, actor: &Actor, id: WebhookId) -> Result<Subscription, OpError> {
    owned(conn, actor, id)
}

/// Changes the URL, event types or description. An admin, or the integration user that made it.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    policy: &TargetPolicy,
    id: WebhookId,
    expect: &Expect,
    patch: WebhookPatch,
) -> Result<Subscription, OpError> {
    owned(conn, actor, id)?;
    let mut checks = Checks::default();
    let url = patch.url.map(|u| checked_url(policy, &u, &mut checks));
    let types = patch
        .event_types
        .map(|t| checked_types(actor, Some(t), &mut checks));
    let description = patch
        .description
        .map(|d| checked_description(Some(d), &mut checks));
    checks.finish()?;
    lifecycle::change(
        conn,
        actor,
        id,
        expect,
        "updated",
        |_, before: &Subscription, _| {
            let mut after = before.clone();
            if let Some(u) = url {
                after.url = u;
            }
            if let Some(t) = types {
                after.event_types = t;
            }
            if let Some(d) = description {
                after.description = d;
            }
            Ok(after)
        },
    )
}

/// Stops deliveries; what is pending waits until the subscription is enabled again.
pub fn disable(
    conn: &mut DbConnection,
    actor: &Actor,
    id: WebhookId,
    expect: &Expect,
    body: &ActionBody,
) -> Result<Subscription, OpError> {
    owned(conn, actor, id)?;
    let why = reason(body.reason.as_deref(), false)?;
    set_status(conn, actor, id, expect, WebhookStatus::Disabled, why)
}

/// Resumes deliveries at once, from where they stopped: the deliveries that were given up
/// first (with a fresh retry schedule), then the events that came since.
pub fn enable(
    conn: &mut DbConnection,
    actor: &Actor,
    id: WebhookId,
    expect: &Expect,
) -> Result<Subscription, OpError> {
    owned(conn, actor, id)?;
    let enabled = set_status(conn, actor, id, expect, WebhookStatus::Active, None)?;
    // What was given up goes first, so the receiver still sees every event in order.
    store::requeue_failed(conn, id, crate::db::now())?;
    store::due_now(conn, id)?;
    Ok(enabled)
}

/// Moves a subscription to `status`, recording `disabled` or `enabled`.
pub(crate) fn set_status(
    conn: &mut DbConnection,
    actor: &Actor,
    id: WebhookId,
    expect: &Expect,
    status: WebhookStatus,
    why: Option<String>,
) -> Result<Subscription, OpError> {
    let action = match status {
        WebhookStatus::Active => "enabled",
        WebhookStatus::Disabled => "disabled",
    };
    lifecycle::change(
        conn,
        actor,
        id,
        expect,
        action,
        |_, before: &Subscription, note| {
            if before.status == status {
                return Err(OpError::conflict(format!(
                    "the webhook is already {action}"
                )));
            }
            note.reason = why.clone();
            let mut after = before.clone();
            after.status = status;
            after.disabled_reason = match status {
                WebhookStatus::Disabled => why.or(Some("disabled by an admin".into())),
                WebhookStatus::Active => None,
            };
            Ok(after)
        },
    )
}

/// Deletes a subscription with its deliveries. An admin, or the integration user that made it.
pub fn delete(
    conn: &mut DbConnection,
    actor: &Actor,
    id: WebhookId,
    expect: &Expect,
) -> Result<(), OpError> {
    let before = owned(conn, actor, id)?;
    expect.check(before.version)?;
    store::delete(conn, id)?;
    lifecycle::record(
        conn,
        actor,
        "deleted",
        Some(&before),
        &before,
        &lifecycle::Note::default(),
    )
}

/// Replaces the signing secret at once and answers the new one. An admin, or the integration user that made it.
pub fn rotate_secret(
    conn: &mut DbConnection,
    actor: &Actor,
    id: WebhookId,
    expect: &Expect,
) -> Result<WebhookWithSecret, OpError> {
    owned(conn, actor, id)?;
    let webhook = lifecycle::change(
        conn,
        actor,
        id,
        expect,
        "secret_rotated",
        |_, before: &Subscription, _| Ok(before.clone()),
    )?;
    let secret = fresh_secret();
    store::set_secret(conn, id, &secret)?;
    Ok(WebhookWithSecret { webhook, secret })
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryFilter {
    /// Only deliveries in this status: `pending`, `succeeded` or `failed`.
    #[param(pattern = "^(pending|succeeded|failed)$")]
    pub status: Option<String>,
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A subscription's deliveries, oldest first, each with every attempt. An admin, or the integration user that made it.
pub fn deliveries(
    conn: &mut DbConnection,
    actor: &Actor,
    id: WebhookId,
    f: &DeliveryFilter,
) -> Result<Page<WebhookDelivery>, OpError> {
    owned(conn, actor, id)?;
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    let status = f
        .status
        .as_deref()
        .map(|s| {
            WebhookDeliveryStatus::parse(s)
                .ok_or_else(|| OpError::field("status", "must be pending, succeeded or failed"))
        })
        .transpose()?;
    let (items, next) = store::deliveries(conn, id, status, page.limit, page.cursor.as_ref())?;
    Ok(Page::new(items, next))
}
