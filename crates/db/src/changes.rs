//! Every change writes its audit entry and its event in the same transaction as the change.

use diesel::prelude::*;
use serde::Serialize;

use crate::error::OpError;
use crate::schema::{audit_entries, events};
use crate::{now, DbConnection};

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

/// Who made a change, and in answer to which request.
pub struct Author<'a> {
    pub username: &'a str,
    pub request_id: Option<&'a str>,
}

/// A resource's JSON for the audit trail and the event feed.
pub fn snapshot<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

/// Appends the audit entry and the event (`<entity_type>.<action>`) for `change`.
/// Returns the event's sequence number.
pub fn record(
    conn: &mut DbConnection,
    author: &Author<'_>,
    change: Change<'_>,
) -> Result<i64, OpError> {
    let at = now();
    let to_text = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
    diesel::insert_into(audit_entries::table)
        .values((
            audit_entries::actor.eq(author.username),
            audit_entries::action.eq(change.action),
            audit_entries::entity_type.eq(change.entity_type),
            audit_entries::entity_id.eq(change.entity_id),
            audit_entries::before_json.eq(to_text(&change.before)),
            audit_entries::after_json.eq(to_text(&change.after)),
            audit_entries::request_id.eq(author.request_id),
            audit_entries::at.eq(at),
        ))
        .execute(conn)?;
    // The counter row is locked until commit, so sequence numbers follow commit order and
    // a consumer reading `after=seq` never skips an event committed later with a lower seq.
    let seq = crate::counters::next(conn, "events")?;
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
