use actix_web::{get, web, HttpResponse};

use crate::domain::user::User;
use crate::extract::Caller;
use crate::ops::users;
use crate::problem::{ApiError, ReadErrors};
use crate::state::AppState;

/// Who am I
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "The calling user", body = User), ReadErrors),
)]
#[get("/me")]
pub async fn get_me(state: web::Data<AppState>, actor: Caller) -> Result<HttpResponse, ApiError> {
    let me = state.db.read(move |c| users::me(c, &actor)).await?;
    Ok(HttpResponse::Ok().json(me))
}
