//! `/login` (a form with `username` and `password`) and `POST /logout`. Logging in goes through
//! the same operation as `POST /api/v1/auth/token`, throttling included; integration users work
//! through the API and cannot log in here.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::page;
use super::session::{self, cross_origin, csrf_matches};
use crate::api::client::client_address;
use crate::db::connection::blocking;
use crate::domain::Role;
use crate::error::OpError;
use crate::ops::session::{self as login_op, Credentials};
use crate::state::AppState;

#[derive(askama::Template)]
#[template(path = "login.html")]
struct LoginPage {
    username: String,
    error: Option<String>,
}

fn form(status: StatusCode, username: String, error: Option<String>) -> HttpResponse {
    page::render(status, &LoginPage { username, error })
}

#[get("/login")]
pub async fn login_form(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if session::current(&req, &state).await.is_some() {
        return page::see_other("/").finish();
    }
    form(StatusCode::OK, String::new(), None)
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

#[post("/login")]
pub async fn log_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Form<LoginForm>,
) -> HttpResponse {
    if let Some(why) = cross_origin(&req) {
        return page::forbidden(why);
    }
    let LoginForm { username, password } = body.into_inner();
    let creds = Credentials {
        username: username.trim().to_string(),
        password,
    };
    let client = client_address(&req, &state.trusted_proxies);
    let app = state.clone();
    let outcome =
        blocking(move || login_op::login(&app.db, &app.keys, &app.hashing, &creds, &client)).await;
    match outcome {
        Ok(logged_in) if logged_in.role == Role::Integration => form(
            StatusCode::FORBIDDEN,
            username,
            Some("Integration users work through the API and cannot log in to the desk.".into()),
        ),
        Ok(logged_in) => page::see_other("/")
            .cookie(session::cookie(
                &req,
                logged_in.token.access_token,
                logged_in.token.expires_in,
            ))
            .finish(),
        Err(OpError::Unauthenticated(_)) => form(
            StatusCode::UNAUTHORIZED,
            username,
            Some("Wrong username or password.".into()),
        ),
        Err(OpError::TooManyRequests { detail, .. }) => {
            form(StatusCode::TOO_MANY_REQUESTS, username, Some(detail))
        }
        Err(OpError::Validation(_)) => form(
            StatusCode::UNPROCESSABLE_ENTITY,
            username,
            Some("The username or password is too long.".into()),
        ),
        Err(e) if e.connection_lost() || matches!(e, OpError::Unavailable { .. }) => form(
            StatusCode::SERVICE_UNAVAILABLE,
            username,
            Some("The database is unavailable; please try again shortly.".into()),
        ),
        Err(e) => {
            tracing::error!(error = %e, "desk login failed");
            form(
                StatusCode::INTERNAL_SERVER_ERROR,
                username,
                Some("Logging in failed; please try again.".into()),
            )
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

#[post("/logout")]
pub async fn log_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Form<CsrfForm>,
) -> HttpResponse {
    if let Some(why) = cross_origin(&req) {
        return page::forbidden(why);
    }
    match session::current(&req, &state).await {
        Some(s) if !csrf_matches(&s, &body.csrf) => {
            page::forbidden("the form's CSRF token is missing or stale; reload the page")
        }
        _ => page::see_other("/login")
            .cookie(session::cleared(&req))
            .finish(),
    }
}
