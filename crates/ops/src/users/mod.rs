//! User administration (admin only), and who the caller is.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::db::users::{self, StoredUser};
use crate::db::{now_utc, DbConnection};
use crate::domain::user::{is_username, password_problem, User};
use crate::domain::EntityId;
use crate::domain::UserId;
use crate::domain::{Permission, Role};
use crate::error::{Checks, OpError};
use crate::page::{Page, PageRequest};
use crate::{lifecycle, Actor, Expect};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "akiko", "password": "a long passphrase", "role": "sales"}))]
pub struct NewUserRequest {
    #[schema(min_length = 3, max_length = 64)]
    pub username: String,
    /// At least 12 characters.
    #[schema(min_length = 12, max_length = 1024)]
    pub password: String,
    pub role: Role,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"role": "planner"}))]
pub struct UserPatch {
    pub role: Option<Role>,
    /// A new password (at least 12 characters).
    #[schema(min_length = 12, max_length = 1024)]
    pub password: Option<String>,
    /// Reactivates a deactivated user when `true`.
    pub active: Option<bool>,
}

/// A new user checked and with the password hashed, ready to store. Hashing is slow on
/// purpose, so it happens before any database work.
#[derive(Debug)]
pub struct PreparedUser {
    username: String,
    role: Role,
    password_hash: String,
}

/// Checks a new user and hashes the password. Admin only.
pub fn prepare(actor: &Actor, req: NewUserRequest) -> Result<PreparedUser, OpError> {
    actor.require(Permission::ManageUsers)?;
    let mut checks = Checks::default();
    checks.check(
        is_username(&req.username),
        "username",
        "must be 3–64 of a–z, 0–9, '.', '_', '-', starting with a letter",
    );
    if let Some(problem) = password_problem(&req.password) {
        checks.check(false, "password", problem);
    }
    checks.finish()?;
    Ok(PreparedUser {
        password_hash: crate::auth::password::hash(&req.password)?,
        username: req.username,
        role: req.role,
    })
}

/// Stores a prepared user; 409 when the username is taken.
pub fn create(conn: &mut DbConnection, actor: &Actor, new: PreparedUser) -> Result<User, OpError> {
    actor.require(Permission::ManageUsers)?;
    if users::find_by_username(conn, &new.username)?.is_some() {
        return Err(OpError::conflict(format!(
            "the username {} is taken",
            new.username
        )));
    }
    let at = now_utc();
    let stored = StoredUser {
        user: User {
            id: EntityId::fresh(),
            username: new.username,
            role: new.role,
            active: true,
            created_at: at,
            updated_at: at,
            version: 1,
        },
        password_hash: new.password_hash,
        token_version: 0,
    };
    Ok(lifecycle::create(conn, actor, stored)?.user)
}

/// A checked change to a user, with a new password already hashed.
#[derive(Debug)]
pub struct PreparedPatch {
    role: Option<Role>,
    active: Option<bool>,
    password_hash: Option<String>,
}

/// Checks a change and hashes a new password. Admin only.
pub fn prepare_patch(actor: &Actor, p: UserPatch) -> Result<PreparedPatch, OpError> {
    actor.require(Permission::ManageUsers)?;
    let password_hash = match p.password {
        Some(pw) => {
            if password_problem(&pw).is_some() {
                return Err(OpError::field(
                    "password",
                    "must be 12 characters to 1024 bytes",
                ));
            }
            Some(crate::auth::password::hash(&pw)?)
        }
        None => None,
    };
    Ok(PreparedPatch {
        role: p.role,
        active: p.active,
        password_hash,
    })
}

/// 409 when the change would leave no active admin.
fn keep_an_admin(conn: &mut DbConnection, before: &User, after: &User) -> Result<(), OpError> {
    let was_admin = before.role == Role::Admin && before.active;
    let is_admin = after.role == Role::Admin && after.active;
    if was_admin && !is_admin && users::count_active_with_role(conn, Role::Admin, before.id)? == 0 {
        return Err(OpError::conflict(
            "this is the last active admin; make another user admin first",
        ));
    }
    Ok(())
}

/// Changes a user's role, password or activity. Admin only; an admin may not demote or
/// deactivate themselves, and the last active admin stays an admin.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: UserId,
    expect: &Expect,
    p: PreparedPatch,
) -> Result<User, OpError> {
    actor.require(Permission::ManageUsers)?;
    let stored = lifecycle::change(
        conn,
        actor,
        id,
        expect,
        "updated",
        |conn, before: &StoredUser, _| {
            let own = before.user.id == actor.user_id;
            if own && p.role.is_some_and(|r| r != Role::Admin) {
                return Err(OpError::conflict(
                    "admins may not remove their own admin role",
                ));
            }
            if own && p.active == Some(false) {
                return Err(OpError::conflict("admins may not deactivate themselves"));
            }
            let mut after = before.clone();
            if let Some(role) = p.role {
                after.user.role = role;
            }
            if let Some(active) = p.active {
                after.user.active = active;
            }
            if let Some(h) = p.password_hash {
                after.password_hash = h;
                after.token_version += 1;
            }
            if before.user.active && !after.user.active {
                after.token_version += 1;
            }
            keep_an_admin(conn, &before.user, &after.user)?;
            Ok(after)
        },
    )?;
    Ok(stored.user)
}

/// The user can no longer log in, and tokens already issued stop working. Admin only.
pub fn deactivate(
    conn: &mut DbConnection,
    actor: &Actor,
    id: UserId,
    expect: &Expect,
) -> Result<User, OpError> {
    actor.require(Permission::ManageUsers)?;
    let stored = lifecycle::change(
        conn,
        actor,
        id,
        expect,
        "deactivated",
        |conn, before: &StoredUser, _| {
            if before.user.id == actor.user_id {
                return Err(OpError::conflict("admins may not deactivate themselves"));
            }
            if !before.user.active {
                return Err(OpError::conflict("the user is already deactivated"));
            }
            let mut after = before.clone();
            after.user.active = false;
            after.token_version += 1;
            keep_an_admin(conn, &before.user, &after.user)?;
            Ok(after)
        },
    )?;
    Ok(stored.user)
}

/// Filters every list accepts.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only items changed at or after this instant (RFC 3339), for incremental sync.
    pub updated_since: Option<DateTime<Utc>>,
    /// Only items with this status: `active` or `inactive`.
    #[param(pattern = "^(active|inactive)$")]
    pub status: Option<String>,
}

/// Users in creation order; `status` filters by `active` or `inactive`. Admin only.
pub fn list(conn: &mut DbConnection, actor: &Actor, f: &UserFilter) -> Result<Page<User>, OpError> {
    actor.require(Permission::ManageUsers)?;
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    let active = match f.status.as_deref() {
        None => None,
        Some("active") => Some(true),
        Some("inactive") => Some(false),
        Some(_) => return Err(OpError::field("status", "must be active or inactive")),
    };
    let (items, next) = users::list(
        conn,
        active,
        f.updated_since,
        page.limit,
        page.cursor.as_ref(),
    )?;
    Ok(Page::new(items, next))
}

/// The calling user.
pub fn me(conn: &mut DbConnection, actor: &Actor) -> Result<User, OpError> {
    Ok(users::find(conn, actor.user_id)?.user)
}

/// Creates a user from the service itself (first start, command line): the same checks and
/// audit as an admin's, as the system actor.
pub fn add(conn: &mut DbConnection, req: NewUserRequest) -> Result<User, OpError> {
    let actor = Actor::system();
    let prepared = prepare(&actor, req)?;
    create(conn, &actor, prepared)
}
