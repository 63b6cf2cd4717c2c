//! Reading the audit trail and the change feed. User data in either is for admins only.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::feed::{self as store, AuditFilter as StoreAudit, EventFilter as StoreEvents};
use crate::db::DbConnection;
use crate::domain::feed::{AuditEntry, Event, ADMIN_ONLY_ENTITIES};
use crate::domain::Permission;
use crate::error::OpError;
use crate::Actor;

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    #[param(example = "customer")]
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// What a non-admin may not see.
fn hidden(actor: &Actor) -> Vec<&'static str> {
    if actor.is_admin() {
        Vec::new()
    } else {
        ADMIN_ONLY_ENTITIES.to_vec()
    }
}

/// Who changed what, oldest first. Admin, planner and sales; entries about users are for
/// admins only.
pub fn audit(
    conn: &mut DbConnection,
    actor: &Actor,
    f: &AuditFilter,
) -> Result<AuditPage, OpError> {
    actor.require(Permission::ReadAudit)?;
    let limit = crate::page::PageRequest::parse(f.limit, None)?.limit;
    let after: i64 = match f.cursor.as_deref() {
        None => 0,
        Some(c) => c
            .parse()
            .map_err(|_| OpError::field("cursor", "is not a cursor this service gave out"))?,
    };
    let filter = StoreAudit {
        entity_type: f.entity_type.clone(),
        entity_id: f.entity_id.clone(),
        actor: f.actor.clone(),
        hide: hidden(actor),
    };
    let mut items = store::audit(conn, &filter, after, limit + 1)?;
    let more = items.len() as i64 > limit;
    items.truncate(usize::try_from(limit).unwrap_or(0));
    let next_cursor = if more {
        items.last().map(|e| e.seq.to_string())
    } else {
        None
    };
    Ok(AuditPage { items, next_cursor })
}

/// A page of the change feed. Continue with `after=last_seq`: nothing is ever skipped that the
/// reader may see.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    pub items: Vec<Event>,
    /// Pass as `after` to continue: the last event on the page, or — when the page holds every
    /// event there is for this reader — the newest event of the feed (the ones between were
    /// filtered out or are not for this reader's role).
    #[schema(example = 1017)]
    pub last_seq: i64,
    /// Whether more events are there now: read again at once with `after=last_seq`. `false`:
    /// the reader has everything up to `latest_seq`, so wait and poll.
    pub has_more: bool,
    /// The newest event's sequence number in the whole feed when the page was read.
    #[schema(example = 1017)]
    pub latest_seq: i64,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventFilter {
    /// Only events after this sequence number (default 0: from the start).
    #[param(example = 0)]
    pub after: Option<i64>,
    /// At most this many, 1–1000 (default 100).
    pub limit: Option<i64>,
    /// Only events of this type, e.g. `order.confirmed`.
    #[serde(rename = "type")]
    #[param(rename = "type", max_length = 100, example = "order.confirmed")]
    pub event_type: Option<String>,
    /// Only events about this kind of resource, e.g. `order`.
    #[param(max_length = 100, example = "order")]
    pub entity_type: Option<String>,
    /// Only events about this resource (its id).
    #[param(max_length = 100)]
    pub entity_id: Option<String>,
}

/// 422 naming the filter that is longer than any stored value can be.
fn bounded(value: &Option<String>, field: &str) -> Result<(), OpError> {
    match value {
        Some(v) if v.len() > 100 => Err(OpError::field(field, "must be at most 100 characters")),
        _ => Ok(()),
    }
}

/// The change feed in commit order. Events about users are for admins only.
pub fn events(
    conn: &mut DbConnection,
    actor: &Actor,
    f: &EventFilter,
) -> Result<EventPage, OpError> {
    let after = f.after.unwrap_or(0);
    if after < 0 {
        return Err(OpError::field("after", "must not be negative"));
    }
    let limit = f.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(OpError::field("limit", "must be between 1 and 1000"));
    }
    bounded(&f.event_type, "type")?;
    bounded(&f.entity_type, "entity_type")?;
    bounded(&f.entity_id, "entity_id")?;
    let filter = StoreEvents {
        event_type: f.event_type.clone(),
        entity_type: f.entity_type.clone(),
        entity_id: f.entity_id.clone(),
        hide: hidden(actor),
    };
    // The newest sequence number first: every event up to it is committed (numbers follow
    // commit order), so a page that reads all of them may continue from it.
    let latest_seq = store::newest_seq(conn)?;
    if after > latest_seq {
        return Err(OpError::field(
            "after",
            format!(
                "is beyond the newest event, {latest_seq}: this feed never had event {after}. A \
                 reader ahead of the feed is reading another database (or one restored from a \
                 backup); continue from a sequence number this feed gave out"
            ),
        ));
    }
    let mut items = store::events_until(conn, &filter, after, latest_seq, limit + 1)?;
    let has_more = items.len() as i64 > limit;
    items.truncate(usize::try_from(limit).unwrap_or(0));
    let last_seq = if has_more {
        items.last().map_or(after, |e| e.seq)
    } else {
        latest_seq
    };
    Ok(EventPage {
        items,
        last_seq,
        has_more,
        latest_seq,
    })
}
