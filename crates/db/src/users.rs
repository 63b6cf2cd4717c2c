//! The `users` table.

use diesel::prelude::*;

use crate::domain::user::User;
use crate::domain::Role;
use crate::domain::UserId;
use crate::error::OpError;
use crate::page::{after_cursor, page_of, Cursor};
use crate::parse;
use crate::rows::UserRow;
use crate::schema::users;
use crate::DbConnection;

/// A user with what only the service itself sees. It serialises as the [`User`], so the hash
/// never reaches an audit entry or an event.
#[derive(Debug, Clone)]
pub struct StoredUser {
    pub user: User,
    pub password_hash: String,
    /// Tokens carry the version they were issued at; raising it ends them all.
    pub token_version: i64,
}

impl serde::Serialize for StoredUser {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.user.serialize(s)
    }
}

fn to_entity(r: UserRow) -> Result<StoredUser, OpError> {
    Ok(StoredUser {
        user: User {
            id: parse::id(&r.id, "users.id")?,
            role: parse::status(&r.role, "users.role", Role::parse)?,
            username: r.username,
            active: r.active,
            created_at: parse::utc(r.created_at),
            updated_at: parse::utc(r.updated_at),
            version: r.version,
        },
        password_hash: r.password_hash,
        token_version: r.token_version,
    })
}

fn to_row(s: &StoredUser) -> UserRow {
    let u = &s.user;
    UserRow {
        id: u.id.to_string(),
        username: u.username.clone(),
        password_hash: s.password_hash.clone(),
        role: u.role.as_str().into(),
        active: u.active,
        created_at: parse::naive(u.created_at),
        updated_at: parse::naive(u.updated_at),
        version: u.version,
        token_version: s.token_version,
    }
}

pub fn find(conn: &mut DbConnection, id: UserId) -> Result<StoredUser, OpError> {
    let row = users::table
        .find(id.to_string())
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| OpError::not_found("user"))?;
    to_entity(row)
}

pub fn find_by_username(
    conn: &mut DbConnection,
    username: &str,
) -> Result<Option<StoredUser>, OpError> {
    users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .map(to_entity)
        .transpose()
}

pub fn insert(conn: &mut DbConnection, u: &StoredUser) -> Result<(), OpError> {
    diesel::insert_into(users::table)
        .values(&to_row(u))
        .execute(conn)?;
    Ok(())
}

pub fn save(conn: &mut DbConnection, before_version: i64, u: &StoredUser) -> Result<(), OpError> {
    crate::versioned::save(conn, "user", before_version, &to_row(u))
}

pub fn count(conn: &mut DbConnection) -> Result<i64, OpError> {
    Ok(users::table.count().get_result(conn)?)
}

/// Active users with the role, other than `except`.
pub fn count_active_with_role(
    conn: &mut DbConnection,
    role: Role,
    except: UserId,
) -> Result<i64, OpError> {
    Ok(users::table
        .filter(users::role.eq(role.as_str()))
        .filter(users::active.eq(true))
        .filter(users::id.ne(except.to_string()))
        .count()
        .get_result(conn)?)
}

/// What the per-instance cache keeps of a user.
#[derive(Debug, Clone)]
pub struct Standing {
    pub username: String,
    pub role: Role,
    pub active: bool,
    pub token_version: i64,
}

/// Username, role, whether the user is active and their token version, for the cache.
pub fn standing(conn: &mut DbConnection, id: UserId) -> Result<Option<Standing>, OpError> {
    let row: Option<(String, String, bool, i64)> = users::table
        .find(id.to_string())
        .select((
            users::username,
            users::role,
            users::active,
            users::token_version,
        ))
        .first(conn)
        .optional()?;
    row.map(|(username, role, active, token_version)| {
        Ok(Standing {
            username,
            role: parse::status(&role, "users.role", Role::parse)?,
            active,
            token_version,
        })
    })
    .transpose()
}

pub fn list(
    conn: &mut DbConnection,
    active: Option<bool>,
    updated_since: Option<chrono::DateTime<chrono::Utc>>,
    limit: i64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<User>, Option<Cursor>), OpError> {
    let mut q = users::table.select(UserRow::as_select()).into_boxed();
    if let Some(a) = active {
        q = q.filter(users::active.eq(a));
    }
    if let Some(t) = updated_since {
        q = q.filter(users::updated_at.ge(t.naive_utc()));
    }
    let rows: Vec<UserRow> = after_cursor!(q, users, cursor, limit).load(conn)?;
    page_of(rows, limit, |r| to_entity(r).map(|s| s.user))
}
