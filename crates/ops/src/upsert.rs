//! Upsert by the ERP's reference: create the resource under its `external_ref`, or bring the
//! stored one in line with the request — through the same create and update operations as
//! everything else, so validation, authorisation, audit and events are exactly theirs.
//!
//! Racing upserts of one reference never create two rows: `external_ref` is unique in the
//! database, the create runs in a savepoint, and when a racing request committed the same
//! reference first, the create's unique violation is rolled back to the savepoint and the
//! upsert carries on as an update of the row that won.

use diesel::Connection;

use crate::db::DbConnection;
use crate::error::{OpError, Stale};
use crate::lifecycle::Tracked;
use crate::Expect;

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    /// The stored resource already said what the request says: nothing was written.
    Unchanged,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
        }
    }
}

/// How one kind of resource is found, created and updated under a reference.
pub struct ByRef<'a, E, F, C, U>
where
    F: Fn(&mut DbConnection) -> Result<Option<E>, OpError>,
    C: FnOnce(&mut DbConnection) -> Result<E, OpError>,
    U: FnOnce(&mut DbConnection, &E) -> Result<Option<E>, OpError>,
{
    pub expect: &'a Expect,
    /// The stored resource with this reference, if any.
    pub find: F,
    pub create: C,
    /// Brings `stored` in line with the request: `None` when it already is, else the updated
    /// resource (through the kind's update operation).
    pub update: U,
}

/// Creates or updates the resource with this reference, in the caller's transaction.
///
/// `If-Match` applies to the stored resource; when there is none, any `If-Match` fails (412),
/// as HTTP says it must.
pub fn upsert<E, F, C, U>(
    conn: &mut DbConnection,
    how: ByRef<'_, E, F, C, U>,
) -> Result<(E, Outcome), OpError>
where
    E: Tracked,
    F: Fn(&mut DbConnection) -> Result<Option<E>, OpError>,
    C: FnOnce(&mut DbConnection) -> Result<E, OpError>,
    U: FnOnce(&mut DbConnection, &E) -> Result<Option<E>, OpError>,
{
    let ByRef {
        expect,
        find,
        create,
        update,
    } = how;
    if let Some(stored) = find(conn)? {
        return bring_in_line(conn, expect, stored, update);
    }
    if expect.is_set() {
        return Err(OpError::PreconditionFailed(Stale::NothingStored));
    }
    match conn.transaction::<E, OpError, _>(create) {
        Ok(created) => Ok((created, Outcome::Created)),
        Err(refused @ OpError::Conflict { .. }) => match find(conn)? {
            // A racing request created it first: this one becomes the update.
            Some(stored) => bring_in_line(conn, expect, stored, update),
            None => Err(refused),
        },
        Err(e) => Err(e),
    }
}

fn bring_in_line<E: Tracked>(
    conn: &mut DbConnection,
    expect: &Expect,
    stored: E,
    update: impl FnOnce(&mut DbConnection, &E) -> Result<Option<E>, OpError>,
) -> Result<(E, Outcome), OpError> {
    // As for every change: a request wrong in itself is told so (422) before a stale version
    // (412); the caller's transaction keeps nothing when either refuses.
    let done = unless_same(conn, &stored, update);
    if let Err(OpError::Validation(errors)) = done {
        return Err(OpError::Validation(errors));
    }
    expect.check(stored.version())?;
    match done? {
        Some(updated) => Ok((updated, Outcome::Updated)),
        None => Ok((stored, Outcome::Unchanged)),
    }
}

/// Why a savepoint was rolled back.
enum Undo {
    Same,
    Failed(OpError),
}

impl From<diesel::result::Error> for Undo {
    fn from(e: diesel::result::Error) -> Undo {
        Undo::Failed(e.into())
    }
}

/// Runs the update in a savepoint and rolls it back, audit entry and event included, when it
/// changed nothing but the version: an upsert that repeats what is stored writes nothing.
fn unless_same<E: Tracked>(
    conn: &mut DbConnection,
    stored: &E,
    update: impl FnOnce(&mut DbConnection, &E) -> Result<Option<E>, OpError>,
) -> Result<Option<E>, OpError> {
    let attempt = conn.transaction::<E, Undo, _>(|conn| match update(conn, stored) {
        Ok(Some(updated)) if !same(stored, &updated) => Ok(updated),
        Ok(_) => Err(Undo::Same),
        Err(e) => Err(Undo::Failed(e)),
    });
    match attempt {
        Ok(updated) => Ok(Some(updated)),
        Err(Undo::Same) => Ok(None),
        Err(Undo::Failed(e)) => Err(e),
    }
}

/// Whether two versions of a resource say the same, apart from their version and instant.
pub fn same<E: serde::Serialize>(a: &E, b: &E) -> bool {
    let strip = |e: &E| {
        let mut v = serde_json::to_value(e).unwrap_or_default();
        if let serde_json::Value::Object(m) = &mut v {
            m.remove("version");
            m.remove("updated_at");
        }
        v
    };
    strip(a) == strip(b)
}

/// 422 when the body names another reference than the path.
pub fn check_body_ref(body_ref: Option<&str>, path_ref: &str) -> Result<(), OpError> {
    match body_ref {
        Some(r) if r != path_ref => Err(OpError::field(
            "external_ref",
            "must be absent or equal to the reference in the path",
        )),
        _ => Ok(()),
    }
}

/// 422 naming `external_ref` when the path's reference is empty or too long.
pub fn check_path_ref(path_ref: &str) -> Result<(), OpError> {
    if path_ref.trim().is_empty() || path_ref.chars().count() > 100 {
        Err(OpError::field("external_ref", "must be 1–100 characters"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Thing {
        name: &'static str,
        version: i64,
        updated_at: &'static str,
    }

    #[test]
    fn sameness_ignores_only_version_and_instant() {
        let a = Thing {
            name: "a",
            version: 1,
            updated_at: "t1",
        };
        let b = Thing {
            name: "a",
            version: 2,
            updated_at: "t2",
        };
        let c = Thing {
            name: "c",
            version: 1,
            updated_at: "t1",
        };
        assert!(same(&a, &b));
        assert!(!same(&a, &c));
    }

    #[test]
    fn references() {
        assert!(check_path_ref("SAP-1").is_ok());
        assert!(check_path_ref(" ").is_err());
        assert!(check_path_ref(&"x".repeat(101)).is_err());
        assert!(check_body_ref(None, "A").is_ok());
        assert!(check_body_ref(Some("A"), "A").is_ok());
        assert!(check_body_ref(Some("B"), "A").is_err());
    }
}
