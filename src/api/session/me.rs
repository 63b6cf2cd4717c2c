use actix_web::{get, web, HttpResponse};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;
use crate::users::store::{self, User};

/// Who am I
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "The calling user", body = User), ReadErrors),
)]
#[get("/me")]
pub async fn get_me(
    state: web::Data<AppState>,
    caller: Principal,
) -> Result<HttpResponse, ApiError> {
    let id = caller.user_id.clone();
    let row = state.db.read(move |conn| store::find(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(User::from(&row)))
}
