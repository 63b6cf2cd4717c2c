use actix_web::{get, web, HttpResponse};

use crate::domain::user::User;
use crate::extract::Caller;
use crate::ops::page::Page;
use crate::ops::users::{self, UserFilter};
use crate::problem::{ApiError, ReadErrors};
use crate::state::AppState;

/// List users
///
/// Admin only. `status` filters by `active` or `inactive`.
#[utoipa::path(
    tag = "users",
    params(UserFilter),
    responses(
        (status = 200, description = "One page of users", body = Page<User>),
        (status = 403, description = "Admin only", body = crate::problem::Problem, content_type = "application/problem+json"),
        ReadErrors,
    ),
)]
#[get("")]
pub async fn list_users(
    state: web::Data<AppState>,
    actor: Caller,
    filter: crate::extract::ValidQuery<UserFilter>,
) -> Result<HttpResponse, ApiError> {
    let f = filter.into_inner();
    let page = state.db.read(move |c| users::list(c, &actor, &f)).await?;
    Ok(HttpResponse::Ok().json(page))
}
