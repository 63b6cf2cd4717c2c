//! Every change writes its audit entry and its event in the same transaction as the change.

use diesel::prelude::*;
use serde::Serialize;

use crate::auth::Principal;
use crate::db::schema::{audit_entries, events};
use crate::db::{now, DbConnection};
use crate::error::ApiError;

/// Who made a change, and in answer to which request.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: String,
    pub username: String,
    pub request_id: Option<String>,
}

impl Actor {
    /// The service itself (first-start bootstrap, command-line tools).
    pub fn system() -> Actor {
        Actor {
            user_id: "system".into(),
            username: "system".into(),
            request_id: None,
        }
    }
}

impl From<&Principal> for Actor {
    fn from(p: &Principal) -> Actor {
        Actor {
            user_id: p.user_id.clone(),
            username: p.username.clone(),
            request_id: p.request_id.clone(),
        }
    }
}

/// One change to one entity.
pub struct Change<'a> {
    /// What happened, in the past tense: `created`, `updated`, `archived`, `quotes_upserted`.
    pub action: &'a str,
    /// `customer`, `product`, `price_index`, `user`, …
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// A resource's JSON for the audit trail and the event feed.
pub fn snapshot<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

/// Appends the audit entry and the event (`<entity_type>.<action>`) for `change`.
/// Returns the event's sequence number.
pub fn record(conn: &mut DbConnection, actor: &Actor, change: Change<'_>) -> Result<i64, ApiError> {
    let at = now();
    let to_text = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
    diesel::insert_into(audit_entries::table)
        .values((
            audit_entries::actor.eq(&actor.username),
            audit_entries::action.eq(change.action),
            audit_entries::entity_type.eq(change.entity_type),
            audit_entries::entity_id.eq(change.entity_id),
            audit_entries::before_json.eq(to_text(&change.before)),
            audit_entries::after_json.eq(to_text(&change.after)),
            audit_entries::request_id.eq(&actor.request_id),
            audit_entries::at.eq(at),
        ))
        .execute(conn)?;
    // The counter row is locked until commit, so sequence numbers follow commit order and
    // a consumer reading `after=seq` never skips an event committed later with a lower seq.
    let seq = crate::db::counters::next(conn, "events")?;
    let data = change
        .after
        .or(change.before)
        .unwrap_or(serde_json::Value::Null);
    diesel::insert_into(events::table)
        .values((
            events::seq.eq(seq),
            events::id.eq(uuid::Uuid::new_v4().to_string()),
            events::event_type.eq(format!("{}.{}", change.entity_type, change.action)),
            events::entity_type.eq(change.entity_type),
            events::entity_id.eq(change.entity_id),
            events::occurred_at.eq(at),
            events::data_json.eq(data.to_string()),
        ))
        .execute(conn)?;
    Ok(seq)
}
