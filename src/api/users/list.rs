use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;

use crate::api::page::{self, Cursor, ListParams, Page};
use crate::auth::Principal;
use crate::db::schema::users;
use crate::domain::Permission;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;
use crate::users::store::{User, UserRow};

/// List users
///
/// Admin only. `status` filters by `active` or `inactive`.
#[utoipa::path(
    tag = "users",
    params(ListParams),
    responses(
        (status = 200, description = "One page of users", body = Page<User>),
        (status = 403, description = "Admin only", body = crate::error::Problem, content_type = "application/problem+json"),
        ReadErrors,
    ),
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    caller: Principal,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ManageUsers)?;
    let p = params.into_inner();
    let limit = page::limit(p.limit)?;
    let cursor = p.cursor.as_deref().map(Cursor::decode).transpose()?;
    let active = match p.status.as_deref() {
        None => None,
        Some("active") => Some(true),
        Some("inactive") => Some(false),
        Some(_) => return Err(ApiError::field("status", "must be active or inactive")),
    };
    let rows = state
        .db
        .read(move |conn| {
            let mut q = users::table.select(UserRow::as_select()).into_boxed();
            if let Some(a) = active {
                q = q.filter(users::active.eq(a));
            }
            if let Some(t) = p.updated_since {
                q = q.filter(users::updated_at.ge(t.naive_utc()));
            }
            Ok(crate::api::page::after_cursor!(q, users, cursor, limit).load::<UserRow>(conn)?)
        })
        .await?;
    let page = page::paginate::<_, User>(rows, limit);
    Ok(HttpResponse::Ok().json(page))
}
