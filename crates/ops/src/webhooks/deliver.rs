//! The delivery worker's steps, below HTTP and without sending anything itself: take the next
//! delivery due (claiming its subscription in the database), then record what the attempt gave.
//! The caller sends in between, outside any transaction.

use std::time::Duration;

use chrono::NaiveDateTime;

use crate::db::webhooks::{self as store, DeliveryRow};
use crate::db::{now, DbConnection};
use crate::domain::webhook::{
    message_id, retry_delay, takes, WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus,
    WebhookStatus,
};
use crate::domain::{DeliveryId, WebhookId};
use crate::error::OpError;
use crate::{Actor, Expect};

/// One delivery to send: where, signed with what, and the event's JSON.
#[derive(Debug, Clone)]
pub struct Job {
    pub subscription_id: WebhookId,
    pub delivery_id: DeliveryId,
    /// The `webhook-id` header.
    pub message_id: String,
    pub url: String,
    pub secret: String,
    pub body: Vec<u8>,
    /// Attempts made before this one.
    pub attempts: i32,
    /// The worker's lease on the subscription; none for an admin's redelivery.
    pub lease_token: Option<String>,
}

/// How many events past its cursor one step reads for a subscription, looking for one it takes.
const SCAN: i64 = 200;

fn job(
    conn: &mut DbConnection,
    row: &DeliveryRow,
    url: String,
    secret: String,
    lease_token: Option<String>,
) -> Result<Job, OpError> {
    let event = store::event(conn, row.event_seq)?;
    let delivery_id = crate::db::parse::id(&row.id, "webhook_deliveries.id")?;
    Ok(Job {
        subscription_id: crate::db::parse::id(
            &row.subscription_id,
            "webhook_deliveries.subscription_id",
        )?,
        delivery_id,
        message_id: message_id(delivery_id),
        url,
        secret,
        body: serde_json::to_vec(&event).map_err(OpError::unexpected)?,
        attempts: row.attempts,
        lease_token,
    })
}

fn plus(t: NaiveDateTime, d: Duration) -> NaiveDateTime {
    t + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::days(1))
}

/// Claims the subscription that has waited longest with something due and answers its next
/// delivery: the oldest pending one, or a new one for the next event it takes. `None` when
/// nothing is due on any subscription. Run it in a write transaction.
pub fn next(conn: &mut DbConnection, lease: Duration) -> Result<Option<Job>, OpError> {
    let at = now();
    let token = uuid::Uuid::new_v4().to_string();
    let Some(claimed) = store::claim(conn, at, plus(at, lease), &token)? else {
        return Ok(None);
    };
    if let Some(head) = store::head(conn, claimed.id)? {
        return job(conn, &head, claimed.url, claimed.secret, Some(token)).map(Some);
    }
    // Heads only: the chosen event is read in full once, for its delivery.
    let events = store::event_heads_after(conn, claimed.cursor_seq, SCAN)?;
    let Some(event) = events.iter().find(|e| {
        takes(&claimed.event_types, &e.event_type)
            && (claimed.admin_events
                || !crate::domain::feed::ADMIN_ONLY_ENTITIES.contains(&e.entity_type.as_str()))
    }) else {
        // Nothing here for this subscription: move its cursor past what was read.
        if let Some(last) = events.last() {
            store::advance_cursor(conn, claimed.id, last.seq)?;
        }
        store::release(conn, claimed.id, &token, at, None)?;
        return Ok(None);
    };
    let row = DeliveryRow {
        id: uuid::Uuid::new_v4().to_string(),
        subscription_id: claimed.id.to_string(),
        event_seq: event.seq,
        event_id: event.id.clone(),
        event_type: event.event_type.clone(),
        status: WebhookDeliveryStatus::Pending.as_str().into(),
        attempts: 0,
        next_attempt_at: Some(at),
        created_at: at,
        updated_at: at,
    };
    store::insert_delivery(conn, &row)?;
    store::advance_cursor(conn, claimed.id, event.seq)?;
    job(conn, &row, claimed.url, claimed.secret, Some(token)).map(Some)
}

/// Records a worker's attempt: delivered, due again after the schedule's next wait, or — with
/// the schedule used up — given up, and the subscription disabled with a `webhook.disabled`
/// event. Run it in a write transaction.
pub fn finish(
    conn: &mut DbConnection,
    job: &Job,
    attempt: &WebhookAttempt,
    schedule: &[Duration],
    jitter_permille: u32,
) -> Result<(), OpError> {
    let at = now();
    let id = job.delivery_id.to_string();
    // Deleted meanwhile: nothing to record.
    if store::find_delivery(conn, job.subscription_id, job.delivery_id).is_err() {
        return Ok(());
    }
    store::insert_attempt(conn, &id, attempt)?;
    let attempts = job.attempts.saturating_add(1);
    let token = job.lease_token.as_deref().unwrap_or_default();
    if attempt.succeeded {
        store::update_delivery(
            conn,
            &id,
            WebhookDeliveryStatus::Succeeded,
            attempts,
            None,
            at,
        )?;
        return store::release(conn, job.subscription_id, token, at, None);
    }
    let failed = usize::try_from(attempts).unwrap_or(usize::MAX);
    if let Some(wait) = retry_delay(schedule, failed, jitter_permille) {
        let due = plus(at, wait);
        store::update_delivery(
            conn,
            &id,
            WebhookDeliveryStatus::Pending,
            attempts,
            Some(due),
            at,
        )?;
        return store::release(conn, job.subscription_id, token, at, Some(due));
    }
    store::update_delivery(conn, &id, WebhookDeliveryStatus::Failed, attempts, None, at)?;
    store::release(conn, job.subscription_id, token, at, None)?;
    let last = match (&attempt.response_status, &attempt.error) {
        (Some(s), _) => format!("HTTP {s}"),
        (None, Some(e)) => e.clone(),
        (None, None) => "no answer".into(),
    };
    let why = format!(
        "disabled after {attempts} failed attempts to deliver event {} (the last: {last})",
        job.message_id
    );
    match super::set_status(
        conn,
        &Actor::system(),
        job.subscription_id,
        &Expect::any(),
        WebhookStatus::Disabled,
        Some(why),
    ) {
        Ok(_) | Err(OpError::Conflict { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}

/// A redelivery by an admin or the subscription's owner: the delivery to send again now,
/// whatever its status.
pub fn redelivery(
    conn: &mut DbConnection,
    actor: &Actor,
    subscription: WebhookId,
    delivery: DeliveryId,
) -> Result<Job, OpError> {
    let webhook = super::owned(conn, actor, subscription)?;
    let row = store::find_delivery(conn, subscription, delivery)?;
    let secret = store::secret(conn, subscription)?;
    job(conn, &row, webhook.url, secret, None)
}

/// Records a redelivery's attempt; delivered, the delivery counts as succeeded, and a
/// subscription that waited on it goes on at once. Answers the delivery with every attempt.
pub fn record_redelivery(
    conn: &mut DbConnection,
    actor: &Actor,
    job: &Job,
    attempt: &WebhookAttempt,
) -> Result<WebhookDelivery, OpError> {
    super::owned(conn, actor, job.subscription_id)?;
    let row = store::find_delivery(conn, job.subscription_id, job.delivery_id)?;
    let id = job.delivery_id.to_string();
    store::insert_attempt(conn, &id, attempt)?;
    let attempts = row.attempts.saturating_add(1);
    let at = now();
    if attempt.succeeded {
        store::update_delivery(
            conn,
            &id,
            WebhookDeliveryStatus::Succeeded,
            attempts,
            None,
            at,
        )?;
        if row.status == WebhookDeliveryStatus::Pending.as_str() {
            store::due_now(conn, job.subscription_id)?;
        }
    } else {
        let status =
            WebhookDeliveryStatus::parse(&row.status).unwrap_or(WebhookDeliveryStatus::Failed);
        store::update_delivery(conn, &id, status, attempts, row.next_attempt_at, at)?;
    }
    store::delivery(conn, job.subscription_id, job.delivery_id)
}
