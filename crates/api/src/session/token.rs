use actix_web::{post, web, HttpRequest, HttpResponse};

use crate::client::client_address;
use crate::db::connection::blocking;
use crate::extract::ValidJson;
use crate::ops::session::{self, AccessToken, Credentials};
use crate::problem::{ApiError, WriteErrors};
use crate::state::AppState;

/// Log in
///
/// Exchanges a username and password for a bearer token (JWT, HS256). Failed attempts are
/// counted per username and client address: from the fifth in a row on, that pair is locked
/// for 30 s, doubling with each further failure up to an hour (429 with `Retry-After`).
#[utoipa::path(
    tag = "auth",
    request_body = Credentials,
    security(()),
    responses(
        (status = 200, description = "Access granted", body = AccessToken),
        (status = 429, description = "Too many failed logins", body = crate::problem::Problem, content_type = "application/problem+json"),
        WriteErrors,
    ),
)]
#[post("/auth/token")]
pub async fn issue_token(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: ValidJson<Credentials>,
) -> Result<HttpResponse, ApiError> {
    let creds = body.0;
    let client = client_address(&req, &state.trusted_proxies);
    let app = state.clone();
    let logged_in =
        blocking(move || session::login(&app.db, &app.keys, &app.hashing, &creds, &client)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(logged_in.token))
}
