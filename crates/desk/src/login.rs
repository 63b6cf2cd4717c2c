//! `/login` (a form with `username` and `password`) and `POST /logout`. Logging in goes through
//! the same operation as `POST /api/v1/auth/token`, throttling included; integration users work
//! through the API and cannot log in here. A login sent from a page the session ended on goes
//! back to that page afterwards, and the login page says why the session ended.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, FromRequest, HttpRequest, HttpResponse, ResponseError};

use crate::api::client::client_address;
use crate::domain::Role;
use crate::error::{DeskError, Ended, OpError};
use crate::extract::{field, DeskForm, DeskQuery, DeskSession, Fields, PublicForm};
use crate::ops::session::{self as login_op, Credentials};
use crate::page;
use crate::resume::{Resume, ENDED_ON_FORM, KEEP};
use crate::session::{self, local, NOTICE};
use crate::state::AppState;

#[derive(askama::Template)]
#[template(path = "login.html")]
struct LoginPage {
    username: String,
    error: Option<String>,
    /// Why the last session ended, when it did.
    notice: Option<&'static str>,
    /// Where to go after logging in.
    next: String,
    /// What a form held when its session ended, to fill it in again afterwards.
    kept: Vec<(String, String)>,
}

/// The login form again after a failed attempt, still keeping what a form held.
fn form(
    status: StatusCode,
    username: String,
    error: Option<String>,
    next: &str,
    posted: &Fields,
) -> HttpResponse {
    let mut kept: Vec<(String, String)> = posted
        .iter()
        .filter(|(k, _)| k.starts_with(KEEP))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    kept.sort();
    page::render(
        status,
        &LoginPage {
            username,
            error,
            notice: None,
            next: next.to_string(),
            kept,
        },
    )
}

/// The login page for a form sent after its session ended: it says so, and keeps what was
/// typed for the form it goes back to.
pub fn login_to_resume(status: StatusCode, resume: &Resume) -> HttpResponse {
    page::render(
        status,
        &LoginPage {
            username: String::new(),
            error: None,
            notice: Some(ENDED_ON_FORM),
            next: resume.page.clone(),
            kept: resume
                .typed
                .iter()
                .map(|(k, v)| (format!("{KEEP}{k}"), v.clone()))
                .collect(),
        },
    )
}

/// Where a login goes afterwards: the page it came from, when that is a page of this site.
fn next_of(fields: &crate::extract::Fields) -> &str {
    local(field(fields, "next")).unwrap_or("/")
}

#[get("/login")]
pub async fn login_form(req: HttpRequest, query: DeskQuery) -> HttpResponse {
    let next = next_of(&query.0).to_string();
    if DeskSession::extract(&req).await.is_ok() {
        return page::see_other(&next).finish();
    }
    let ended = req
        .cookie(NOTICE)
        .is_some_and(|c| c.value() == "session-ended");
    let mut res = page::render(
        StatusCode::OK,
        &LoginPage {
            username: String::new(),
            error: None,
            notice: ended.then(|| Ended::Expired.message()),
            next,
            kept: Vec::new(),
        },
    );
    if ended {
        let mut gone = actix_web::cookie::Cookie::build(NOTICE, "")
            .path("/login")
            .finish();
        gone.make_removal();
        let _ = res.add_cookie(&gone);
    }
    res
}

#[post("/login")]
pub async fn log_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    form_in: PublicForm,
) -> HttpResponse {
    let fields = form_in.0;
    let username = field(&fields, "username").to_string();
    let next = next_of(&fields).to_string();
    let creds = Credentials {
        username: username.clone(),
        password: fields.get("password").cloned().unwrap_or_default(),
    };
    let client = client_address(&req, &state.trusted_proxies);
    let app = state.clone();
    let outcome = crate::ops::blocking(move || {
        login_op::login(&app.db, &app.keys, &app.hashing, &creds, &client)
    })
    .await;
    match outcome {
        Ok(logged_in) if logged_in.role == Role::Integration => form(
            StatusCode::FORBIDDEN,
            username,
            Some("Integration users work through the API and cannot log in to the desk.".into()),
            &next,
            &fields,
        ),
        Ok(logged_in) => {
            let session = session::cookie(
                &req,
                logged_in.token.access_token,
                logged_in.token.expires_in,
            );
            match Resume::from_login(&fields, &next) {
                Some(resume) => {
                    let mut back = crate::flash::done(
                        &resume.location(),
                        "Logged in again. What you typed is back in the form: check it, then send it.",
                    );
                    let _ = back.add_cookie(&session);
                    back
                }
                None => page::see_other(&next).cookie(session).finish(),
            }
        }
        Err(OpError::Unauthenticated(_)) => form(
            StatusCode::UNAUTHORIZED,
            username,
            Some("Wrong username or password.".into()),
            &next,
            &fields,
        ),
        Err(OpError::TooManyRequests { detail, .. }) => form(
            StatusCode::TOO_MANY_REQUESTS,
            username,
            Some(detail),
            &next,
            &fields,
        ),
        Err(OpError::Validation(_)) => form(
            StatusCode::UNPROCESSABLE_ENTITY,
            username,
            Some("The username or password is too long.".into()),
            &next,
            &fields,
        ),
        Err(OpError::Unavailable(_)) => form(
            StatusCode::SERVICE_UNAVAILABLE,
            username,
            Some("The database is unavailable; please try again shortly.".into()),
            &next,
            &fields,
        ),
        Err(e) => {
            let shown = DeskError::from(e);
            form(
                shown.status_code(),
                username,
                Some(shown.message()),
                &next,
                &fields,
            )
        }
    }
}

#[post("/logout")]
pub async fn log_out(req: HttpRequest, _form: DeskForm<()>) -> HttpResponse {
    page::see_other("/login")
        .cookie(session::cleared(&req))
        .finish()
}
