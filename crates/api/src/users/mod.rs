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
