use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::ValidJson;
use crate::auth::{password, throttle};
use crate::domain::Role;
use crate::error::ApiError;
use crate::openapi::WriteErrors;
use crate::startup::AppState;
use crate::users::store;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "admin", "password": "change-me-please"}))]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessToken {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the token expires.
    #[schema(example = 3600)]
    pub expires_in: u64,
}

/// Log in
///
/// Exchanges a username and password for a bearer token (JWT, HS256). After five failed
/// attempts a username is locked for a minute (429).
#[utoipa::path(
    tag = "auth",
    request_body = Credentials,
    security(()),
    responses(
        (status = 200, description = "Access granted", body = AccessToken),
        (status = 429, description = "Too many failed logins", body = crate::error::Problem, content_type = "application/problem+json"),
        WriteErrors,
    ),
)]
#[post("/auth/token")]
pub async fn issue_token(
    state: web::Data<AppState>,
    body: ValidJson<Credentials>,
) -> Result<HttpResponse, ApiError> {
    let creds = body.0;
    let invalid = || ApiError::Unauthorized("wrong username or password".into());
    let username = creds.username.clone();
    let user = state
        .db
        .read(move |conn| {
            throttle::check(conn, &username)?;
            store::find_by_username(conn, &username)
        })
        .await?;
    let hash = user
        .as_ref()
        .filter(|u| u.active)
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| password::decoy_hash().to_string());
    let pw = creds.password;
    let matches = web::block(move || password::verify(&pw, &hash))
        .await
        .map_err(ApiError::unexpected)?;
    let user = user.filter(|u| u.active && matches);
    let username = creds.username;
    let succeeded = user.is_some();
    state
        .db
        .write(move |conn| {
            if succeeded {
                throttle::record_success(conn, &username)
            } else {
                throttle::record_failure(conn, &username)
            }
        })
        .await?;
    let user = user.ok_or_else(invalid)?;
    let role = Role::parse(&user.role).unwrap_or(Role::Viewer);
    let token = state.keys.issue(&user.id, &user.username, role)?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(AccessToken {
            access_token: token,
            token_type: "Bearer".into(),
            expires_in: state.keys.ttl_secs,
        }))
}
