use actix_web::{post, web, HttpResponse};

use crate::db::connection::blocking;
use crate::domain::user::User;
use crate::extract::Caller;
use crate::extract::ValidJson;
use crate::ops::users::{self, NewUserRequest};
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Create a user
///
/// Admin only.
#[utoipa::path(
    tag = "users",
    request_body = NewUserRequest,
    responses((status = 201, description = "Created", body = User), WriteErrors),
)]
#[post("")]
pub async fn create_user(
    state: web::Data<AppState>,
    actor: Caller,
    body: ValidJson<NewUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let who = actor.clone();
    let prepared = blocking(move || users::prepare(&who, body.0)).await?;
    let user = state
        .db
        .write(move |c| users::create(c, &actor, prepared))
        .await?;
    Ok(respond::created(
        user.version,
        format!("/api/v1/users/{}", user.id),
        &user,
    ))
}
