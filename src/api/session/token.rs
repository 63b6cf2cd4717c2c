use actix_web::{post, web, HttpResponse};

use crate::api::extract::ValidJson;
use crate::api::problem::{ApiError, WriteErrors};
use crate::db::connection::blocking;
use crate::ops::session::{self, AccessToken, Credentials};
use crate::state::AppState;

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
        (status = 429, description = "Too many failed logins", body = crate::api::problem::Problem, content_type = "application/problem+json"),
        WriteErrors,
    ),
)]
#[post("/auth/token")]
pub async fn issue_token(
    state: web::Data<AppState>,
    body: ValidJson<Credentials>,
) -> Result<HttpResponse, ApiError> {
    let creds = body.0;
    let app = state.clone();
    let token = blocking(move || session::login(&app.db, &app.keys, &creds)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(token))
}
