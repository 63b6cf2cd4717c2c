//! The `webhook_subscriptions`, `webhook_deliveries` and `webhook_attempts` tables.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::feed::Event;
use crate::domain::webhook::{
    Subscription, WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus, WebhookStatus,
};
use crate::domain::DeliveryId;
use crate::domain::{UserId, WebhookId};
use crate::error::OpError;
use crate::page::{after_cursor, page_of, Cursor};
use crate::parse;
use crate::schema::webhook_subscriptions as sub;
use crate::schema::{events, webhook_attempts as att, webhook_deliveries as del};
use crate::DbConnection;

/// The columns an admin changes; the worker's cursor, lease and secret are written apart.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = sub, treat_none_as_null = true)]
pub struct SubscriptionRow {
    pub id: String,
    pub url: String,
    pub event_types_json: String,
    pub description: Option<String>,
    pub status: String,
    pub disabled_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
    pub owner_id: Option<String>,
}

crate::versioned::versioned_row!(SubscriptionRow, webhook_subscriptions);

fn to_entity(r: SubscriptionRow) -> Result<Subscription, OpError> {
    Ok(Subscription {
        id: parse::id(&r.id, "webhook_subscriptions.id")?,
        url: r.url,
        event_types: parse::json(&r.event_types_json, "webhook_subscriptions.event_types")?,
        description: r.description,
        status: parse::status(
            &r.status,
            "webhook_subscriptions.status",
            WebhookStatus::parse,
        )?,
        disabled_reason: r.disabled_reason,
        created_at: parse::utc(r.created_at),
        updated_at: parse::utc(r.updated_at),
        version: r.version,
        owner_id: r
            .owner_id
            .as_deref()
            .map(|o| parse::id(o, "webhook_subscriptions.owner_id"))
            .transpose()?,
    })
}

fn to_row(s: &Subscription) -> SubscriptionRow {
    SubscriptionRow {
        id: s.id.to_string(),
        url: s.url.clone(),
        event_types_json: serde_json::Value::from(s.event_types.clone()).to_string(),
        description: s.description.clone(),
        status: s.status.as_str().into(),
        disabled_reason: s.disabled_reason.clone(),
        created_at: parse::naive(s.created_at),
        updated_at: parse::naive(s.updated_at),
        version: s.version,
        owner_id: s.owner_id.map(|o| o.to_string()),
    }
}

pub fn find(conn: &mut DbConnection, id: WebhookId) -> Result<Subscription, OpError> {
    let row = sub::table
        .find(id.to_string())
        .select(SubscriptionRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| OpError::not_found("webhook"))?;
    to_entity(row)
}

/// The newest event's sequence number (0 for an empty feed).
pub fn latest_seq(conn: &mut DbConnection) -> Result<i64, OpError> {
    let seq: Option<i64> = events::table
        .select(diesel::dsl::max(events::seq))
        .first(conn)?;
    Ok(seq.unwrap_or(0))
}

/// Stores a new subscription; it starts with the events after the newest one.
pub fn insert(conn: &mut DbConnection, s: &Subscription) -> Result<(), OpError> {
    let from = latest_seq(conn)?;
    let row = to_row(s);
    diesel::insert_into(sub::table)
        .values((
            &row,
            sub::cursor_seq.eq(from),
            sub::lease_until.eq(Some(row.created_at)),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn save(conn: &mut DbConnection, before_version: i64, s: &Subscription) -> Result<(), OpError> {
    crate::versioned::save(conn, "webhook", before_version, &to_row(s))
}

pub fn delete(conn: &mut DbConnection, id: WebhookId) -> Result<(), OpError> {
    let id = id.to_string();
    let deliveries = del::table
        .filter(del::subscription_id.eq(&id))
        .select(del::id);
    diesel::delete(att::table.filter(att::delivery_id.eq_any(deliveries))).execute(conn)?;
    diesel::delete(del::table.filter(del::subscription_id.eq(&id))).execute(conn)?;
    diesel::delete(sub::table.find(&id)).execute(conn)?;
    Ok(())
}

pub fn set_secret(conn: &mut DbConnection, id: WebhookId, secret: &str) -> Result<(), OpError> {
    diesel::update(sub::table.find(id.to_string()))
        .set(sub::secret.eq(secret))
        .execute(conn)?;
    Ok(())
}

pub fn secret(conn: &mut DbConnection, id: WebhookId) -> Result<String, OpError> {
    Ok(sub::table
        .find(id.to_string())
        .select(sub::secret)
        .first(conn)?)
}

/// Subscriptions in creation order; only `owner`'s when given.
pub fn list(
    conn: &mut DbConnection,
    owner: Option<UserId>,
    limit: i64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<Subscription>, Option<Cursor>), OpError> {
    let mut q = sub::table.select(SubscriptionRow::as_select()).into_boxed();
    if let Some(owner) = owner {
        q = q.filter(sub::owner_id.eq(owner.to_string()));
    }
    let rows: Vec<SubscriptionRow> = after_cursor!(q, sub, cursor, limit).load(conn)?;
    page_of(rows, limit, to_entity)
}

/// A subscription a worker holds for one delivery.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: WebhookId,
    pub url: String,
    pub event_types: Vec<String>,
    pub secret: String,
    pub cursor_seq: i64,
    pub lease_token: String,
    /// Whether it may carry the events only admins read (users, webhooks): made by an admin,
    /// or before owners were recorded.
    pub admin_events: bool,
}

/// Claims the active subscription that has waited longest and has something to send (a
/// pending delivery due, or events past its cursor), leasing it to `token` until
/// `lease_until`. On PostgreSQL the candidate row is locked with `SKIP LOCKED`, so racing
/// workers on any number of instances each take a different subscription; on SQLite the write
/// transaction already excludes every other writer.
pub fn claim(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    token: &str,
) -> Result<Option<Claimed>, OpError> {
    let newest = latest_seq(conn)?;
    let pending = del::table
        .filter(del::subscription_id.eq(sub::id))
        .filter(del::status.eq(WebhookDeliveryStatus::Pending.as_str()));
    let candidates = sub::table
        .filter(sub::status.eq(WebhookStatus::Active.as_str()))
        .filter(sub::lease_token.is_null().or(sub::lease_until.lt(now)))
        .filter(sub::retry_at.is_null().or(sub::retry_at.le(now)))
        .filter(sub::cursor_seq.lt(newest).or(diesel::dsl::exists(pending)))
        .order(sub::lease_until.asc())
        .select(sub::id)
        .limit(1);
    let id: Option<String> = match conn {
        DbConnection::Postgresql(pg) => {
            candidates.for_update().skip_locked().first(pg).optional()?
        }
        DbConnection::Sqlite(_) => candidates.first(conn).optional()?,
    };
    let Some(id) = id else { return Ok(None) };
    diesel::update(sub::table.find(&id))
        .set((
            sub::lease_until.eq(Some(lease_until)),
            sub::lease_token.eq(Some(token)),
        ))
        .execute(conn)?;
    let (url, types, secret, cursor_seq, owner): (String, String, String, i64, Option<String>) =
        sub::table
            .find(&id)
            .select((
                sub::url,
                sub::event_types_json,
                sub::secret,
                sub::cursor_seq,
                sub::owner_id,
            ))
            .first(conn)?;
    let admin_events = match owner {
        None => true,
        Some(owner) => crate::schema::users::table
            .find(owner)
            .select(crate::schema::users::role)
            .first::<String>(conn)
            .optional()?
            .is_some_and(|role| role == crate::domain::Role::Admin.as_str()),
    };
    Ok(Some(Claimed {
        id: parse::id(&id, "webhook_subscriptions.id")?,
        url,
        event_types: parse::json(&types, "webhook_subscriptions.event_types")?,
        secret,
        cursor_seq,
        lease_token: token.to_string(),
        admin_events,
    }))
}

/// Ends a worker's lease, if it still holds it, and sets when the subscription is next due.
pub fn release(
    conn: &mut DbConnection,
    id: WebhookId,
    token: &str,
    now: NaiveDateTime,
    retry_at: Option<NaiveDateTime>,
) -> Result<(), OpError> {
    diesel::update(
        sub::table
            .find(id.to_string())
            .filter(sub::lease_token.eq(token)),
    )
    .set((
        sub::lease_token.eq(None::<String>),
        sub::lease_until.eq(Some(now)),
        sub::retry_at.eq(retry_at),
    ))
    .execute(conn)?;
    Ok(())
}

pub fn advance_cursor(conn: &mut DbConnection, id: WebhookId, seq: i64) -> Result<(), OpError> {
    diesel::update(sub::table.find(id.to_string()))
        .set(sub::cursor_seq.eq(seq))
        .execute(conn)?;
    Ok(())
}

/// Clears a subscription's wait, so the worker takes it at once (after a redelivery or when
/// it is enabled again).
pub fn due_now(conn: &mut DbConnection, id: WebhookId) -> Result<(), OpError> {
    diesel::update(sub::table.find(id.to_string()))
        .set(sub::retry_at.eq(None::<NaiveDateTime>))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = del)]
pub struct DeliveryRow {
    pub id: String,
    pub subscription_id: String,
    pub event_seq: i64,
    pub event_id: String,
    pub event_type: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

crate::page::keyed_row!(DeliveryRow);

/// The pending delivery a subscription must send next: its oldest.
pub fn head(
    conn: &mut DbConnection,
    subscription: WebhookId,
) -> Result<Option<DeliveryRow>, OpError> {
    Ok(del::table
        .filter(del::subscription_id.eq(subscription.to_string()))
        .filter(del::status.eq(WebhookDeliveryStatus::Pending.as_str()))
        .order(del::event_seq.asc())
        .select(DeliveryRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_delivery(
    conn: &mut DbConnection,
    subscription: WebhookId,
    id: DeliveryId,
) -> Result<DeliveryRow, OpError> {
    del::table
        .find(id.to_string())
        .filter(del::subscription_id.eq(subscription.to_string()))
        .select(DeliveryRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| OpError::not_found("delivery"))
}

pub fn insert_delivery(conn: &mut DbConnection, row: &DeliveryRow) -> Result<(), OpError> {
    diesel::insert_into(del::table).values(row).execute(conn)?;
    Ok(())
}

/// Sets a delivery's status, attempt count and next try after an attempt.
pub fn update_delivery(
    conn: &mut DbConnection,
    id: &str,
    status: WebhookDeliveryStatus,
    attempts: i32,
    next_attempt_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(), OpError> {
    diesel::update(del::table.find(id))
        .set((
            del::status.eq(status.as_str()),
            del::attempts.eq(attempts),
            del::next_attempt_at.eq(next_attempt_at),
            del::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Puts a subscription's given-up deliveries back in line, due now with a fresh retry
/// schedule (their attempts stay in the log): enabling a subscription sends what stopped it
/// first, in order. Answers how many.
pub fn requeue_failed(
    conn: &mut DbConnection,
    subscription: WebhookId,
    now: NaiveDateTime,
) -> Result<usize, OpError> {
    Ok(diesel::update(
        del::table
            .filter(del::subscription_id.eq(subscription.to_string()))
            .filter(del::status.eq(WebhookDeliveryStatus::Failed.as_str())),
    )
    .set((
        del::status.eq(WebhookDeliveryStatus::Pending.as_str()),
        del::attempts.eq(0),
        del::next_attempt_at.eq(Some(now)),
        del::updated_at.eq(now),
    ))
    .execute(conn)?)
}

pub fn insert_attempt(
    conn: &mut DbConnection,
    delivery_id: &str,
    a: &WebhookAttempt,
) -> Result<(), OpError> {
    diesel::insert_into(att::table)
        .values((
            att::id.eq(uuid::Uuid::new_v4().to_string()),
            att::delivery_id.eq(delivery_id),
            att::attempted_at.eq(parse::naive(a.attempted_at)),
            att::response_status.eq(a.response_status),
            att::duration_ms.eq(a.duration_ms),
            att::error.eq(&a.error),
        ))
        .execute(conn)?;
    Ok(())
}

type AttemptRow = (String, NaiveDateTime, Option<i32>, i64, Option<String>);

/// A page of a subscription's deliveries, oldest first, each with its attempts.
pub fn deliveries(
    conn: &mut DbConnection,
    subscription: WebhookId,
    status: Option<WebhookDeliveryStatus>,
    limit: i64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<WebhookDelivery>, Option<Cursor>), OpError> {
    let mut q = del::table
        .filter(del::subscription_id.eq(subscription.to_string()))
        .select(DeliveryRow::as_select())
        .into_boxed();
    if let Some(s) = status {
        q = q.filter(del::status.eq(s.as_str()));
    }
    let rows: Vec<DeliveryRow> = after_cursor!(q, del, cursor, limit).load(conn)?;
    let (rows, next) = page_of(rows, limit, Ok)?;
    Ok((with_attempts(conn, rows)?, next))
}

/// One delivery with every attempt.
pub fn delivery(
    conn: &mut DbConnection,
    subscription: WebhookId,
    id: DeliveryId,
) -> Result<WebhookDelivery, OpError> {
    let row = find_delivery(conn, subscription, id)?;
    with_attempts(conn, vec![row])?
        .pop()
        .ok_or_else(|| OpError::not_found("delivery"))
}

fn with_attempts(
    conn: &mut DbConnection,
    rows: Vec<DeliveryRow>,
) -> Result<Vec<WebhookDelivery>, OpError> {
    let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
    let attempts: Vec<AttemptRow> = att::table
        .filter(att::delivery_id.eq_any(ids))
        .order((att::attempted_at.asc(), att::id.asc()))
        .select((
            att::delivery_id,
            att::attempted_at,
            att::response_status,
            att::duration_ms,
            att::error,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|r| {
            let log = attempts
                .iter()
                .filter(|a| a.0 == r.id)
                .map(|a| WebhookAttempt {
                    attempted_at: parse::utc(a.1),
                    response_status: a.2,
                    duration_ms: a.3,
                    error: a.4.clone(),
                    succeeded: a
                        .2
                        .and_then(|s| u16::try_from(s).ok())
                        .is_some_and(crate::domain::webhook::delivered),
                })
                .collect();
            to_delivery(r, log)
        })
        .collect()
}

pub fn to_delivery(
    r: DeliveryRow,
    attempt_log: Vec<WebhookAttempt>,
) -> Result<WebhookDelivery, OpError> {
    let id = parse::id(&r.id, "webhook_deliveries.id")?;
    Ok(WebhookDelivery {
        id,
        subscription_id: parse::id(&r.subscription_id, "webhook_deliveries.subscription_id")?,
        message_id: crate::domain::webhook::message_id(id),
        event_seq: r.event_seq,
        event_id: parse::uuid(&r.event_id, "webhook_deliveries.event_id")?,
        event_type: r.event_type,
        status: parse::status(
            &r.status,
            "webhook_deliveries.status",
            WebhookDeliveryStatus::parse,
        )?,
        attempts: r.attempts,
        next_attempt_at: r.next_attempt_at.map(parse::utc),
        created_at: parse::utc(r.created_at),
        updated_at: parse::utc(r.updated_at),
        attempt_log,
    })
}

/// One event by its sequence number.
pub fn event(conn: &mut DbConnection, seq: i64) -> Result<Event, OpError> {
    let filter = crate::feed::EventFilter::default();
    crate::feed::events(conn, &filter, seq - 1, 1)?
        .into_iter()
        .find(|e| e.seq == seq)
        .ok_or_else(|| OpError::not_found("event"))
}

/// What a worker walking the feed needs to choose an event, without its data.
#[derive(Debug, Clone, Queryable)]
pub struct EventHead {
    pub seq: i64,
    pub id: String,
    pub event_type: String,
    pub entity_type: String,
}

/// The next events after `seq`, at most `limit`, without their data: a worker reads only the
/// one it sends in full.
pub fn event_heads_after(
    conn: &mut DbConnection,
    seq: i64,
    limit: i64,
) -> Result<Vec<EventHead>, OpError> {
    Ok(events::table
        .filter(events::seq.gt(seq))
        .order(events::seq.asc())
        .limit(limit)
        .select((
            events::seq,
            events::id,
            events::event_type,
            events::entity_type,
        ))
        .load(conn)?)
}
