use actix_web::{patch, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::extract::{IfMatch, ValidJson};
use crate::api::respond;
use crate::auth::{password, Principal};
use crate::change::Actor;
use crate::db::now;
use crate::domain::{Permission, Role};
use crate::error::ApiError;
use crate::openapi::WriteErrors;
use crate::startup::AppState;
use crate::users::store::{self, User, MIN_PASSWORD_CHARS};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"role": "planner"}))]
pub struct UserPatch {
    pub role: Option<Role>,
    /// A new password (at least 12 characters).
    pub password: Option<String>,
    /// Reactivates a deactivated user when `true`.
    pub active: Option<bool>,
}

/// Change a user's role, password or activity
///
/// Admin only. Takes effect on every instance within seconds, also for tokens already issued.
#[utoipa::path(
    tag = "users",
    request_body = UserPatch,
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The updated user", body = User), WriteErrors),
)]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: ValidJson<UserPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ManageUsers)?;
    let id = id.into_inner().to_string();
    let patch = body.0;
    let new_hash = match patch.password {
        Some(pw) if pw.chars().count() < MIN_PASSWORD_CHARS || pw.len() > 1024 => {
            return Err(ApiError::field(
                "password",
                format!("must be {MIN_PASSWORD_CHARS} characters to 1024 bytes"),
            ))
        }
        Some(pw) => Some(
            web::block(move || password::hash(&pw))
                .await
                .map_err(ApiError::unexpected)??,
        ),
        None => None,
    };
    let actor = Actor::from(&caller);
    let self_id = caller.user_id.clone();
    let row = state
        .db
        .write(move |conn| {
            let before = store::find(conn, &id)?;
            if_match.check(before.version)?;
            if before.id == self_id && patch.role.is_some_and(|r| r != Role::Admin) {
                return Err(ApiError::conflict(
                    "admins may not remove their own admin role",
                ));
            }
            let mut after = before.clone();
            if let Some(role) = patch.role {
                after.role = role.as_str().into();
            }
            if let Some(active) = patch.active {
                after.active = active;
            }
            if let Some(h) = new_hash {
                after.password_hash = h;
            }
            after.updated_at = now();
            after.version += 1;
            super::save(conn, &actor, "updated", &before, &after)?;
            Ok(after)
        })
        .await?;
    state.users.forget(&row.id);
    Ok(respond::ok(row.version, &User::from(&row)))
}
