//! The audit trail and the change feed, as readers see them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    #[schema(example = 42)]
    pub seq: i64,
    #[schema(example = "akiko")]
    pub actor: String,
    #[schema(example = "updated")]
    pub action: String,
    #[schema(example = "customer")]
    pub entity_type: String,
    pub entity_id: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Event {
    /// Monotonic position in the feed.
    #[schema(example = 1017)]
    pub seq: i64,
    pub id: uuid::Uuid,
    #[serde(rename = "type")]
    #[schema(example = "customer.created")]
    pub event_type: String,
    #[schema(example = "customer")]
    pub entity_type: String,
    pub entity_id: String,
    pub occurred_at: DateTime<Utc>,
    /// The entity as it was after the change.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// Entity types whose changes only admins may read (user names and roles, webhook targets).
pub const ADMIN_ONLY_ENTITIES: [&str; 2] = ["user", "webhook"];
