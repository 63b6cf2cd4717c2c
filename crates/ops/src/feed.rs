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

#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    pub items: Vec<Event>,
    /// Pass as `after` to continue; equals the request's `after` when nothing is new.
    #[schema(example = 1017)]
    pub last_seq: i64,
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
    let items = store::events(conn, &filter, after, limit)?;
    let last_seq = items.last().map_or(after, |e| e.seq);
    Ok(EventPage { items, last_seq })
}
