use actix_web::{patch, web, HttpResponse};

use crate::db::connection::blocking;
use crate::domain::user::User;
use crate::domain::UserId;
use crate::extract::Caller;
use crate::extract::{IfMatch, ValidJson};
use crate::ops::users::{self, UserPatch};
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

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
#[patch("/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<UserId>,
    if_match: IfMatch,
    body: ValidJson<UserPatch>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let who = actor.clone();
    let prepared = blocking(move || users::prepare_patch(&who, body.0)).await?;
    let user = state
        .db
        .write(move |c| users::update(c, &actor, id, &if_match.0, prepared))
        .await?;
    state.users.forget(user.id);
    Ok(respond::ok(user.version, &user))
}
