//! `/api/v1/export-licences`: licences that export-controlled shipments draw down.

mod create;
mod list;
mod read;
mod revoke;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list::list_export_licences)
        .service(create::create_export_licence)
        .service(read::get_export_licence)
        .service(revoke::revoke_export_licence);
}
