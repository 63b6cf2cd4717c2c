//! The one engine that moves stored resources: load, check the expected version, apply the
//! change, save it version-checked, and write its audit entry and event, in the caller's
//! transaction. Contracts, orders, shipments, licences, plans, users and master data all change
//! through it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::db::changes::{self, Change};
use crate::db::positions;
use crate::db::{now_utc, DbConnection};
use crate::domain::position::{self, PositionChange};
use crate::domain::{ContractId, EntityId, UserId};
use crate::error::OpError;
use crate::{Actor, Expect};

/// A stored resource the engine can load, save and record.
pub trait Tracked: Serialize + Clone + Sized {
    /// The entity name in the audit trail and the event feed (`order`, `contract`, …).
    const ENTITY: &'static str;
    /// The kind of id that names it.
    type Id: EntityId;
    fn id(&self) -> Self::Id;
    fn version(&self) -> i64;
    /// Marks a change: the new `updated_at` and the next version.
    fn touch(&mut self, at: DateTime<Utc>);
    fn load(conn: &mut DbConnection, id: Self::Id) -> Result<Self, OpError>;
    fn insert(conn: &mut DbConnection, entity: &Self) -> Result<(), OpError>;
    /// Writes `after` if the stored row is still at `before`'s version (412 otherwise).
    fn store(conn: &mut DbConnection, before: &Self, after: &Self) -> Result<(), OpError>;
    /// How the change from `before` (none when new) to `after` moves products' monthly
    /// positions; applied in the same transaction. Most resources move none.
    fn position_changes(_before: Option<&Self>, _after: &Self) -> Vec<PositionChange> {
        Vec::new()
    }
    /// Whether `after` is `self` in every stored member but the version and the instant: an
    /// edit to it is no change at all. By what it serialises to, unless the resource keeps
    /// members it never shows.
    fn same_as(&self, after: &Self) -> bool {
        crate::upsert::same(self, after)
    }
}

/// What a change carries into its audit entry and event beyond the entity itself.
#[derive(Debug, Default, Clone)]
pub struct Note {
    /// The instant of the change (set by the engine): the new `updated_at`.
    pub at: DateTime<Utc>,
    /// Why.
    pub reason: Option<String>,
    /// A planner or admin accepted a shortfall.
    pub atp_override: bool,
    /// Replaces the entity's snapshot as the event's data (a plan approval carries its impact).
    pub data: Option<serde_json::Value>,
    /// Replaces the action named to the engine, when only the change itself can tell (a
    /// schedule replacement is an amendment once the contract is active).
    pub action: Option<&'static str>,
}

impl Note {
    pub fn reason(reason: Option<String>) -> Note {
        Note {
            reason,
            ..Note::default()
        }
    }

    /// The entity's snapshot with the reason and override added.
    fn annotate<E: Serialize>(&self, entity: &E) -> Option<serde_json::Value> {
        if let Some(data) = &self.data {
            return Some(data.clone());
        }
        let mut snapshot = changes::snapshot(entity);
        if let Some(serde_json::Value::Object(map)) = &mut snapshot {
            if let Some(r) = &self.reason {
                map.insert("reason".into(), r.clone().into());
            }
            if self.atp_override {
                map.insert("atp_override".into(), true.into());
            }
        }
        snapshot
    }
}

/// Writes the audit entry and event of a change from `before` (none when created) to `after`.
pub fn record<E: Tracked>(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    before: Option<&E>,
    after: &E,
    note: &Note,
) -> Result<(), OpError> {
    let id = after.id().to_string();
    changes::record(
        conn,
        &actor.author(),
        Change {
            action,
            entity_type: E::ENTITY,
            entity_id: &id,
            before: before.and_then(changes::snapshot),
            after: note.annotate(after),
        },
    )?;
    Ok(())
}

/// Stores a new resource with its `created` audit entry and event.
pub fn create<E: Tracked>(conn: &mut DbConnection, actor: &Actor, entity: E) -> Result<E, OpError> {
    create_as(conn, actor, "created", entity, &Note::default())
}

/// Stores a new resource, recording it under `action` (`planned` for a shipment).
pub fn create_as<E: Tracked>(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    entity: E,
    note: &Note,
) -> Result<E, OpError> {
    E::insert(conn, &entity)?;
    positions::apply(conn, &E::position_changes(None, &entity))?;
    record(conn, actor, action, None, &entity, note)?;
    Ok(entity)
}

/// Changes a stored resource: loads it, checks `expect`, lets `apply` work out the new state
/// (and fill in the note), saves it if nobody changed it meanwhile, and records `action`.
pub fn change<E: Tracked>(
    conn: &mut DbConnection,
    actor: &Actor,
    id: E::Id,
    expect: &Expect,
    action: &str,
    apply: impl FnOnce(&mut DbConnection, &E, &mut Note) -> Result<E, OpError>,
) -> Result<E, OpError> {
    let before = E::load(conn, id)?;
    let mut note = Note {
        at: now_utc(),
        ..Note::default()
    };
    // What is wrong with the request itself is said first (422), then whether it was made
    // against the current version (412), then whether the change may happen now (409). The
    // change runs in the caller's transaction, so nothing it did stays when a check refuses.
    let applied = apply(conn, &before, &mut note);
    if let Err(OpError::Validation(_)) = &applied {
        return applied;
    }
    expect.check(before.version())?;
    let mut after = applied?;
    // An edit that leaves every member as it was changes nothing: no version, no audit entry,
    // no event (as a by-ref upsert that repeats what is stored).
    if action == "updated" && note.action.is_none() && before.same_as(&after) {
        return Ok(before);
    }
    after.touch(note.at);
    E::store(conn, &before, &after)?;
    positions::apply(conn, &E::position_changes(Some(&before), &after))?;
    record(
        conn,
        actor,
        note.action.unwrap_or(action),
        Some(&before),
        &after,
        &note,
    )?;
    Ok(after)
}

/// Implements [`Tracked`] for an entity with `id`, `updated_at` and `version` fields whose
/// table module has `find`, `insert` and `save(conn, before_version, entity)`.
macro_rules! tracked {
    ($entity:ty, $id:ty, $name:literal, $repo:path) => {
        tracked!($entity, $id, $name, $repo, |_, _| Vec::new());
    };
    ($entity:ty, $id:ty, $name:literal, $repo:path, $moves:expr) => {
        impl $crate::lifecycle::Tracked for $entity {
            const ENTITY: &'static str = $name;
            type Id = $id;
            fn id(&self) -> $id {
                self.id
            }
            fn version(&self) -> i64 {
                self.version
            }
            fn touch(&mut self, at: chrono::DateTime<chrono::Utc>) {
                self.updated_at = at;
                self.version += 1;
            }
            fn load(
                conn: &mut $crate::db::DbConnection,
                id: $id,
            ) -> Result<Self, $crate::error::OpError> {
                use $repo as repo;
                repo::find(conn, id)
            }
            fn insert(
                conn: &mut $crate::db::DbConnection,
                entity: &Self,
            ) -> Result<(), $crate::error::OpError> {
                use $repo as repo;
                repo::insert(conn, entity)
            }
            fn store(
                conn: &mut $crate::db::DbConnection,
                before: &Self,
                after: &Self,
            ) -> Result<(), $crate::error::OpError> {
                use $repo as repo;
                repo::save(conn, before.version, after)
            }
            fn position_changes(before: Option<&Self>, after: &Self) -> Vec<PositionChange> {
                let moves: fn(Option<&Self>, &Self) -> Vec<PositionChange> = $moves;
                moves(before, after)
            }
        }
    };
}

tracked!(
    crate::domain::customer::Customer,
    crate::domain::CustomerId,
    "customer",
    crate::db::customers
);
tracked!(
    crate::domain::product::Product,
    crate::domain::ProductId,
    "product",
    crate::db::products
);
tracked!(
    crate::domain::price_index::PriceIndex,
    crate::domain::PriceIndexId,
    "price_index",
    crate::db::price_indices
);
tracked!(
    crate::domain::order::Order,
    crate::domain::OrderId,
    "order",
    crate::db::orders,
    position::order_changes
);
tracked!(
    crate::domain::shipment::Shipment,
    crate::domain::ShipmentId,
    "shipment",
    crate::db::shipments
);
tracked!(
    crate::domain::licence::ExportLicence,
    crate::domain::LicenceId,
    "export_licence",
    crate::db::licences
);
tracked!(
    crate::domain::webhook::Subscription,
    crate::domain::WebhookId,
    "webhook",
    crate::db::webhooks
);
tracked!(
    crate::domain::production::ProductionPlan,
    crate::domain::PlanId,
    "production_plan",
    crate::db::plans,
    position::plan_changes
);

impl Tracked for crate::domain::contract::Contract {
    const ENTITY: &'static str = "contract";
    type Id = ContractId;
    fn id(&self) -> ContractId {
        self.id
    }
    fn version(&self) -> i64 {
        self.version
    }
    fn touch(&mut self, at: DateTime<Utc>) {
        self.updated_at = at;
        self.version += 1;
    }
    fn load(conn: &mut DbConnection, id: ContractId) -> Result<Self, OpError> {
        crate::db::contracts::find(conn, id)
    }
    fn insert(conn: &mut DbConnection, entity: &Self) -> Result<(), OpError> {
        crate::db::contracts::insert(conn, entity)
    }
    fn store(conn: &mut DbConnection, before: &Self, after: &Self) -> Result<(), OpError> {
        crate::db::contracts::save(
            conn,
            before.version,
            after,
            before.schedule != after.schedule,
        )
    }
    fn position_changes(before: Option<&Self>, after: &Self) -> Vec<PositionChange> {
        position::contract_changes(before, after)
    }
}

/// Users change with their password hash; their audit snapshots and events show the user
/// without it.
impl Tracked for crate::db::users::StoredUser {
    const ENTITY: &'static str = "user";
    type Id = UserId;
    fn id(&self) -> UserId {
        self.user.id
    }
    fn version(&self) -> i64 {
        self.user.version
    }
    fn touch(&mut self, at: DateTime<Utc>) {
        self.user.updated_at = at;
        self.user.version += 1;
    }
    fn load(conn: &mut DbConnection, id: UserId) -> Result<Self, OpError> {
        crate::db::users::find(conn, id)
    }
    fn insert(conn: &mut DbConnection, entity: &Self) -> Result<(), OpError> {
        crate::db::users::insert(conn, entity)
    }
    fn store(conn: &mut DbConnection, before: &Self, after: &Self) -> Result<(), OpError> {
        crate::db::users::save(conn, before.user.version, after)
    }
    /// The password and the token version are stored but never shown: a new password is a
    /// change.
    fn same_as(&self, after: &Self) -> bool {
        crate::upsert::same(self, after)
            && self.password_hash == after.password_hash
            && self.token_version == after.token_version
    }
}
