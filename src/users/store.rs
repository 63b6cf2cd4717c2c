//! Reading and writing users; shared by the API, bootstrap and the command line.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::change::{self, Actor, Change};
use crate::db::schema::users;
use crate::db::{now, DbConnection};
use crate::domain::Role;
use crate::error::ApiError;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

/// A user as the API shows it (never the password hash).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    #[schema(example = "0b9f6c39-5d8e-4a53-9a43-5f1f2d3c4b5a")]
    pub id: uuid::Uuid,
    #[schema(example = "akiko")]
    pub username: String,
    pub role: Role,
    pub active: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i64,
}

crate::db::models::versioned!(UserRow);

impl From<&UserRow> for User {
    fn from(r: &UserRow) -> User {
        User {
            id: uuid::Uuid::parse_str(&r.id).unwrap_or_default(),
            username: r.username.clone(),
            role: Role::parse(&r.role).unwrap_or(Role::Viewer),
            active: r.active,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
            version: r.version,
        }
    }
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
}

/// Usernames: 3–64 of a–z, 0–9, `.`, `_`, `-`, starting with a letter.
pub fn is_username(s: &str) -> bool {
    (3..=64).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

pub const MIN_PASSWORD_CHARS: usize = 12;

pub fn find_by_username(
    conn: &mut DbConnection,
    username: &str,
) -> Result<Option<UserRow>, ApiError> {
    Ok(users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<UserRow, ApiError> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("user"))
}

/// Creates a user; 409 when the username is taken.
pub fn insert_user(
    conn: &mut DbConnection,
    new: NewUser<'_>,
    actor: &Actor,
) -> Result<UserRow, ApiError> {
    if find_by_username(conn, new.username)?.is_some() {
        return Err(ApiError::conflict(format!(
            "the username {} is taken",
            new.username
        )));
    }
    let at = now();
    let row = UserRow {
        id: uuid::Uuid::new_v4().to_string(),
        username: new.username.to_string(),
        password_hash: new.password_hash.to_string(),
        role: new.role.as_str().to_string(),
        active: true,
        created_at: at,
        updated_at: at,
        version: 1,
    };
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&row.id),
            users::username.eq(&row.username),
            users::password_hash.eq(&row.password_hash),
            users::role.eq(&row.role),
            users::active.eq(row.active),
            users::created_at.eq(row.created_at),
            users::updated_at.eq(row.updated_at),
            users::version.eq(row.version),
        ))
        .execute(conn)?;
    change::record(
        conn,
        actor,
        Change {
            action: "created",
            entity_type: "user",
            entity_id: &row.id,
            before: None,
            after: change::snapshot(&User::from(&row)),
        },
    )?;
    Ok(row)
}
