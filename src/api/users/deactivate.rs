use actix_web::{post, web, HttpResponse};

use crate::api::extract::{IfMatch, OptionalJson};
use crate::api::respond;
use crate::api::validate::ActionBody;
use crate::auth::Principal;
use crate::change::Actor;
use crate::db::now;
use crate::domain::Permission;
use crate::error::ApiError;
use crate::openapi::WriteErrors;
use crate::startup::AppState;
use crate::users::store::{self, User};

/// Deactivate a user
///
/// Admin only. The user can no longer log in, and tokens already issued stop working within
/// seconds on every instance.
#[utoipa::path(
    tag = "users",
    request_body(content = Option<ActionBody>, description = "Optional reason"),
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The deactivated user", body = User), WriteErrors),
)]
#[post("/users/{id}/deactivate")]
pub async fn deactivate_user(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    _body: OptionalJson<ActionBody>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ManageUsers)?;
    let id = id.into_inner().to_string();
    let actor = Actor::from(&caller);
    let self_id = caller.user_id.clone();
    let row = state
        .db
        .write(move |conn| {
            let before = store::find(conn, &id)?;
            if_match.check(before.version)?;
            if before.id == self_id {
                return Err(ApiError::conflict("admins may not deactivate themselves"));
            }
            if !before.active {
                return Err(ApiError::conflict("the user is already deactivated"));
            }
            let mut after = before.clone();
            after.active = false;
            after.updated_at = now();
            after.version += 1;
            super::save(conn, &actor, "deactivated", &before, &after)?;
            Ok(after)
        })
        .await?;
    state.users.forget(&row.id);
    Ok(respond::ok(row.version, &User::from(&row)))
}
