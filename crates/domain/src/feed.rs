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

/// One entity's events in the feed: their types are `<entity>.<action>`, and `data` is the
/// entity as it was after the change (before it, for a deletion), unless the action names a
/// data shape of its own.
#[derive(Debug, Clone, Copy)]
pub struct EventFamily {
    pub entity: &'static str,
    /// The schema of `data`.
    pub data: &'static str,
    pub actions: &'static [&'static str],
    /// Actions whose `data` has another schema: (action, schema).
    pub special: &'static [(&'static str, &'static str)],
}

/// Every event the service writes. The OpenAPI document's `Event` is built from this, and the
/// tests check that every event they see is listed here.
pub const EVENT_FAMILIES: &[EventFamily] = &[
    EventFamily {
        entity: "customer",
        data: "Customer",
        actions: &["created", "updated", "archived"],
        special: &[],
    },
    EventFamily {
        entity: "product",
        data: "Product",
        actions: &["created", "updated", "archived"],
        special: &[],
    },
    EventFamily {
        entity: "price_index",
        data: "PriceIndex",
        actions: &["created", "updated", "archived"],
        special: &[("quotes_upserted", "QuotesUpserted")],
    },
    EventFamily {
        entity: "fx_rate",
        data: "FxRatesUpserted",
        actions: &[],
        special: &[("upserted", "FxRatesUpserted")],
    },
    EventFamily {
        entity: "contract",
        data: "Contract",
        actions: &[
            "created",
            "updated",
            "schedule_replaced",
            "amended",
            "activated",
            "suspended",
            "resumed",
            "completed",
            "terminated",
        ],
        special: &[],
    },
    EventFamily {
        entity: "order",
        data: "Order",
        actions: &[
            "created",
            "updated",
            "submitted",
            "confirmed",
            "rejected",
            "cancelled",
            "split",
            "moved",
            "partially_shipped",
            "shipped",
            "delivered",
        ],
        special: &[],
    },
    EventFamily {
        entity: "shipment",
        data: "Shipment",
        actions: &["planned", "updated", "shipped", "delivered", "cancelled"],
        special: &[],
    },
    EventFamily {
        entity: "settlement",
        data: "Settlement",
        actions: &["provisional", "final"],
        special: &[],
    },
    EventFamily {
        entity: "export_licence",
        data: "ExportLicence",
        actions: &["created", "revoked"],
        special: &[],
    },
    EventFamily {
        entity: "production_plan",
        data: "ProductionPlan",
        actions: &["created", "superseded"],
        special: &[("approved", "PlanApproved")],
    },
    EventFamily {
        entity: "production_actual",
        data: "ProductionActual",
        actions: &["recorded"],
        special: &[],
    },
    EventFamily {
        entity: "stock_snapshot",
        data: "StockSnapshot",
        actions: &["recorded"],
        special: &[],
    },
    EventFamily {
        entity: "user",
        data: "User",
        actions: &["created", "updated", "deactivated"],
        special: &[],
    },
    EventFamily {
        entity: "webhook",
        data: "Subscription",
        actions: &[
            "created",
            "updated",
            "disabled",
            "enabled",
            "secret_rotated",
            "deleted",
        ],
        special: &[],
    },
];

/// Whether the service documents events of this type.
pub fn is_documented(event_type: &str) -> bool {
    event_type.split_once('.').is_some_and(|(entity, action)| {
        EVENT_FAMILIES.iter().any(|f| {
            f.entity == entity
                && (f.actions.contains(&action) || f.special.iter().any(|(a, _)| *a == action))
        })
    })
}
