//! `/api/v1/users`: admin-only user administration.

mod create;
mod deactivate;
mod list;
mod update;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list::list_users)
        .service(create::create_user)
        .service(update::update_user)
        .service(deactivate::deactivate_user);
}

use diesel::prelude::*;

use crate::change::{self, Actor, Change};
use crate::db::schema::users;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::users::store::{User, UserRow};

/// Writes a changed user (version-checked) with its audit entry and event.
fn save(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    before: &UserRow,
    after: &UserRow,
) -> Result<(), ApiError> {
    let n = diesel::update(
        users::table
            .filter(users::id.eq(&before.id))
            .filter(users::version.eq(before.version)),
    )
    .set((
        users::role.eq(&after.role),
        users::active.eq(after.active),
        users::password_hash.eq(&after.password_hash),
        users::updated_at.eq(after.updated_at),
        users::version.eq(after.version),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed(
            "the user was changed concurrently; read it again".into(),
        ));
    }
    change::record(
        conn,
        actor,
        Change {
            action,
            entity_type: "user",
            entity_id: &after.id,
            before: change::snapshot(&User::from(before)),
            after: change::snapshot(&User::from(after)),
        },
    )?;
    Ok(())
}
