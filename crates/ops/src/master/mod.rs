//! Master data — customers, products and price indices — share one shape: create, read, list,
//! update and archive, each with its own field rules and unique codes.

pub mod customer;
pub mod price_index;
pub mod product;

use crate::action::ActionBody;
use crate::db::{now_utc, DbConnection};
use crate::domain::reference::MasterStatus;
use crate::domain::{EntityId, Permission};
use crate::error::{FieldError, OpError};
use crate::lifecycle::{self, Tracked};
use crate::upsert::{self, check_body_ref, check_path_ref, ByRef, Outcome};
use crate::{Actor, Expect};

/// A kind of master data.
pub trait MasterData: Tracked {
    /// The permission that creates, changes and archives it.
    const WRITE: Permission;
    /// How the service names one in messages (`customer`, `price index`).
    const LABEL: &'static str;
    type New;
    type Patch;
    /// A new record from its creation request.
    fn build(new: Self::New, id: Self::Id, at: chrono::DateTime<chrono::Utc>) -> Self;
    fn apply(&mut self, patch: Self::Patch);
    /// The field rules (pure).
    fn problems(&self) -> Vec<FieldError>;
    /// The unique business code, and the ERP's reference where the kind has one.
    fn keys(&self) -> (&str, Option<&str>);
    /// The record holding this code, if any.
    fn by_code(conn: &mut DbConnection, code: &str) -> Result<Option<Self>, OpError>;
    /// The record holding this external reference, if any.
    fn by_ref(conn: &mut DbConnection, external_ref: &str) -> Result<Option<Self>, OpError>;
    /// Whether another record than `id` has this code.
    fn code_taken(conn: &mut DbConnection, code: &str, id: Self::Id) -> Result<bool, OpError>;
    /// Whether another record than `id` has this external reference.
    fn ref_taken(
        conn: &mut DbConnection,
        external_ref: &str,
        id: Self::Id,
    ) -> Result<bool, OpError>;
    fn status(&self) -> MasterStatus;
    fn set_status(&mut self, status: MasterStatus);
}

/// 409 naming what is taken, and the record holding it, when another record has this one's
/// code or external reference.
fn ensure_unique<K: MasterData>(conn: &mut DbConnection, record: &K) -> Result<(), OpError> {
    let (code, external_ref) = record.keys();
    if K::code_taken(conn, code, record.id())? {
        let holder = K::by_code(conn, code)?;
        return Err(taken("code", code, holder.as_ref()));
    }
    if let Some(ext) = external_ref {
        if K::ref_taken(conn, ext, record.id())? {
            let holder = K::by_ref(conn, ext)?;
            return Err(taken("external_ref", ext, holder.as_ref()));
        }
    }
    Ok(())
}

/// The 409 of a taken key: `urn:ndpr:problem:duplicate`, with the holder's `holder_id`,
/// `holder_code` and `holder_external_ref`, so the caller can look it up or adopt it.
fn taken<K: MasterData>(key: &str, value: &str, holder: Option<&K>) -> OpError {
    let mut extensions = serde_json::Map::new();
    extensions.insert("field".into(), key.into());
    let detail = match holder {
        Some(h) => {
            let (code, ext) = h.keys();
            extensions.insert("holder_id".into(), h.id().to_string().into());
            extensions.insert("holder_code".into(), code.into());
            extensions.insert("holder_external_ref".into(), ext.into());
            format!(
                "a {} with {key} {value} exists: {} {} ({}){}",
                K::LABEL,
                K::LABEL,
                code,
                h.id(),
                ext.map(|e| format!(", external_ref {e}"))
                    .unwrap_or_else(|| ", no external_ref".into())
            )
        }
        None => format!("a {} with {key} {value} exists", K::LABEL),
    };
    OpError::Conflict {
        kind: "duplicate",
        detail,
        extensions,
    }
}

fn validate<K: MasterData>(record: &K) -> Result<(), OpError> {
    let problems = record.problems();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(OpError::Validation(problems))
    }
}

pub fn create<K: MasterData>(
    conn: &mut DbConnection,
    actor: &Actor,
    new: K::New,
) -> Result<K, OpError> {
    actor.require(K::WRITE)?;
    let record = K::build(new, K::Id::fresh(), now_utc());
    validate(&record)?;
    ensure_unique(conn, &record)?;
    lifecycle::create(conn, actor, record)
}

pub fn get<K: MasterData>(conn: &mut DbConnection, id: K::Id) -> Result<K, OpError> {
    K::load(conn, id)
}

pub fn update<K: MasterData>(
    conn: &mut DbConnection,
    actor: &Actor,
    id: K::Id,
    expect: &Expect,
    patch: K::Patch,
) -> Result<K, OpError> {
    actor.require(K::WRITE)?;
    lifecycle::change(conn, actor, id, expect, "updated", |conn, before: &K, _| {
        let mut after = before.clone();
        after.apply(patch);
        validate(&after)?;
        ensure_unique(conn, &after)?;
        Ok(after)
    })
}

pub fn archive<K: MasterData>(
    conn: &mut DbConnection,
    actor: &Actor,
    id: K::Id,
    expect: &Expect,
    body: &ActionBody,
) -> Result<K, OpError> {
    actor.require(K::WRITE)?;
    let reason = body.reason()?;
    lifecycle::change(
        conn,
        actor,
        id,
        expect,
        "archived",
        |_, before: &K, note| {
            if before.status() == MasterStatus::Archived {
                return Err(OpError::conflict(format!(
                    "the {} is already archived",
                    K::LABEL
                )));
            }
            note.reason = reason;
            let mut after = before.clone();
            after.set_status(MasterStatus::Archived);
            Ok(after)
        },
    )
}

/// Master data the ERP keeps under its own reference (customers and products).
pub trait Referenced: MasterData {
    fn find_by_ref(conn: &mut DbConnection, external_ref: &str) -> Result<Option<Self>, OpError>;
    /// The reference a creation request carries, if any.
    fn body_ref(new: &Self::New) -> Option<&str>;
    /// The creation request under this reference.
    fn with_ref(new: Self::New, external_ref: &str) -> Self::New;
    /// The patch that makes a stored record say what the creation request says.
    fn as_patch(new: &Self::New) -> Self::Patch;
    fn find_by_code(conn: &mut DbConnection, code: &str) -> Result<Option<Self>, OpError>;
    /// The code a creation request carries.
    fn code_of(new: &Self::New) -> &str;
}

/// An import row without an ERP reference: the record with its code is brought in line with
/// it, or created. A stored ERP reference is kept.
pub fn upsert_by_code<K: Referenced>(
    conn: &mut DbConnection,
    actor: &Actor,
    new: K::New,
) -> Result<(K, Outcome), OpError> {
    actor.require(K::WRITE)?;
    let code = K::code_of(&new).to_string();
    let stored_ref = K::find_by_code(conn, &code)?.and_then(|s| s.keys().1.map(str::to_string));
    let new = match stored_ref {
        Some(r) => K::with_ref(new, &r),
        None => new,
    };
    let patch = K::as_patch(&new);
    upsert::upsert(
        conn,
        ByRef {
            expect: &Expect::any(),
            find: |c: &mut DbConnection| K::find_by_code(c, &code),
            create: |c: &mut DbConnection| create::<K>(c, actor, new),
            update: |c: &mut DbConnection, stored: &K| {
                update::<K>(
                    c,
                    actor,
                    stored.id(),
                    &Expect::version(stored.version()),
                    patch,
                )
                .map(Some)
            },
        },
    )
}

/// `PUT …/by-ref/{external_ref}`: creates the record under the ERP's reference, or brings the
/// stored one in line with the request (see [`crate::upsert`]).
pub fn upsert<K: Referenced>(
    conn: &mut DbConnection,
    actor: &Actor,
    external_ref: &str,
    expect: &Expect,
    new: K::New,
) -> Result<(K, Outcome), OpError> {
    actor.require(K::WRITE)?;
    check_path_ref(external_ref)?;
    check_body_ref(K::body_ref(&new), external_ref)?;
    let new = K::with_ref(new, external_ref);
    let patch = K::as_patch(&new);
    upsert::upsert(
        conn,
        ByRef {
            expect,
            find: |c: &mut DbConnection| K::find_by_ref(c, external_ref),
            create: |c: &mut DbConnection| create::<K>(c, actor, new),
            update: |c: &mut DbConnection, stored: &K| {
                update::<K>(
                    c,
                    actor,
                    stored.id(),
                    &Expect::version(stored.version()),
                    patch,
                )
                .map(Some)
            },
        },
    )
}
