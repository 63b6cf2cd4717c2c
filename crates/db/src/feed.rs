//! Reading the `audit_entries` and `events` tables.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::feed::{AuditEntry, Event};
use crate::error::OpError;
use crate::parse;
use crate::schema::{audit_entries, events};
use crate::DbConnection;

type AuditRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    NaiveDateTime,
);

/// Filters of the audit trail.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    /// Leave out these entity types.
    pub hide: Vec<&'static str>,
}

/// Audit entries after `after`, oldest first, at most `limit`.
pub fn audit(
    conn: &mut DbConnection,
    f: &AuditFilter,
    after: i64,
    limit: i64,
) -> Result<Vec<AuditEntry>, OpError> {
    let mut q = audit_entries::table.into_boxed();
    if let Some(t) = &f.entity_type {
        q = q.filter(audit_entries::entity_type.eq(t.clone()));
    }
    if let Some(id) = &f.entity_id {
        q = q.filter(audit_entries::entity_id.eq(id.clone()));
    }
    if let Some(a) = &f.actor {
        q = q.filter(audit_entries::actor.eq(a.clone()));
    }
    if !f.hide.is_empty() {
        q = q.filter(audit_entries::entity_type.ne_all(f.hide.clone()));
    }
    let rows: Vec<AuditRow> = q
        .filter(audit_entries::seq.gt(after))
        .order(audit_entries::seq.asc())
        .limit(limit)
        .load(conn)?;
    rows.into_iter()
        .map(|r| {
            Ok(AuditEntry {
                seq: r.0,
                actor: r.1,
                action: r.2,
                entity_type: r.3,
                entity_id: r.4,
                before: r
                    .5
                    .map(|s| parse::json(&s, "audit_entries.before_json"))
                    .transpose()?,
                after: r
                    .6
                    .map(|s| parse::json(&s, "audit_entries.after_json"))
                    .transpose()?,
                request_id: r.7,
                at: parse::utc(r.8),
            })
        })
        .collect()
}

/// Filters of the change feed.
#[derive(Debug, Default, Clone)]
pub struct EventFilter {
    pub event_type: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// Leave out these entity types.
    pub hide: Vec<&'static str>,
}

type EventRow = (i64, String, String, String, String, NaiveDateTime, String);

/// Events after `after`, in sequence order, at most `limit`.
pub fn events(
    conn: &mut DbConnection,
    f: &EventFilter,
    after: i64,
    limit: i64,
) -> Result<Vec<Event>, OpError> {
    events_until(conn, f, after, i64::MAX, limit)
}

/// The newest sequence number handed out, 0 for an empty feed. The events counter is taken in
/// the same transaction as each event, so every number up to it is committed; after a restore
/// it stays past the numbers the replaced database handed out (see `backup::restore`).
pub fn newest_seq(conn: &mut DbConnection) -> Result<i64, OpError> {
    crate::counters::current(conn, "events")
}

/// Events after `after` and up to `until`, in sequence order, at most `limit`.
pub fn events_until(
    conn: &mut DbConnection,
    f: &EventFilter,
    after: i64,
    until: i64,
    limit: i64,
) -> Result<Vec<Event>, OpError> {
    let mut q = events::table.into_boxed();
    if let Some(t) = &f.event_type {
        q = q.filter(events::event_type.eq(t.clone()));
    }
    if let Some(t) = &f.entity_type {
        q = q.filter(events::entity_type.eq(t.clone()));
    }
    if let Some(id) = &f.entity_id {
        q = q.filter(events::entity_id.eq(id.clone()));
    }
    if !f.hide.is_empty() {
        q = q.filter(events::entity_type.ne_all(f.hide.clone()));
    }
    let rows: Vec<EventRow> = q
        .filter(events::seq.gt(after))
        .filter(events::seq.le(until))
        .order(events::seq.asc())
        .limit(limit)
        .load(conn)?;
    rows.into_iter()
        .map(|r| {
            Ok(Event {
                seq: r.0,
                id: parse::uuid(&r.1, "events.id")?,
                event_type: r.2,
                entity_type: r.3,
                entity_id: r.4,
                occurred_at: parse::utc(r.5),
                data: parse::json(&r.6, "events.data_json")?,
            })
        })
        .collect()
}
