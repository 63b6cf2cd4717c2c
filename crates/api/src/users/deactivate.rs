use actix_web::{post, web, HttpResponse};

use crate::domain::user::User;
use crate::domain::UserId;
use crate::extract::Caller;
use crate::extract::{IfMatch, OptionalJson};
use crate::ops::action::ActionBody;
use crate::ops::users;
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

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
#[post("/{id}/deactivate")]
pub async fn deactivate_user(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<UserId>,
    if_match: IfMatch,
    _body: OptionalJson<ActionBody>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let user = state
        .db
        .write(move |c| users::deactivate(c, &actor, id, &if_match.0))
        .await?;
    state.users.forget(user.id);
    Ok(respond::ok(user.version, &user))
}
