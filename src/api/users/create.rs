use actix_web::{post, web, HttpResponse};

use crate::api::extract::ValidJson;
use crate::api::problem::{ApiError, WriteErrors};
use crate::api::respond;
use crate::db::connection::blocking;
use crate::domain::user::User;
use crate::ops::users::{self, NewUserRequest};
use crate::ops::Actor;
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
    actor: Actor,
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
