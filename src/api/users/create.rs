use actix_web::{post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::extract::ValidJson;
use crate::api::respond;
use crate::api::validate::Checks;
use crate::auth::{password, Principal};
use crate::change::Actor;
use crate::domain::{Permission, Role};
use crate::error::ApiError;
use crate::openapi::WriteErrors;
use crate::startup::AppState;
use crate::users::store::{self, is_username, NewUser, User, MIN_PASSWORD_CHARS};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "akiko", "password": "a long passphrase", "role": "sales"}))]
pub struct NewUserRequest {
    pub username: String,
    /// At least 12 characters.
    pub password: String,
    pub role: Role,
}

/// Create a user
///
/// Admin only.
#[utoipa::path(
    tag = "users",
    request_body = NewUserRequest,
    responses((status = 201, description = "Created", body = User), WriteErrors),
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    caller: Principal,
    body: ValidJson<NewUserRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ManageUsers)?;
    let req = body.0;
    Checks::default()
        .check(
            is_username(&req.username),
            "username",
            "must be 3–64 of a–z, 0–9, '.', '_', '-', starting with a letter",
        )
        .check(
            req.password.chars().count() >= MIN_PASSWORD_CHARS,
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        )
        .check(
            req.password.len() <= 1024,
            "password",
            "must be at most 1024 bytes",
        )
        .finish()?;
    let pw = req.password;
    let hash = web::block(move || password::hash(&pw))
        .await
        .map_err(ApiError::unexpected)??;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .write(move |conn| {
            store::insert_user(
                conn,
                NewUser {
                    username: &req.username,
                    password_hash: &hash,
                    role: req.role,
                },
                &actor,
            )
        })
        .await?;
    Ok(respond::created(
        row.version,
        format!("/api/v1/users/{}", row.id),
        &User::from(&row),
    ))
}
