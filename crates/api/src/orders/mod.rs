//! `/api/v1/orders`: spot orders and add-on orders above a contract's plan.

mod create;
mod lifecycle;
mod list;
mod pricing;
mod read;
mod split;
mod update;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // By reference first: its literal segment must win over `/{id}/…`.
    cfg.service(crate::by_ref::upsert_order)
        .service(list::list_orders)
        .service(create::create_order)
        .service(read::get_order)
        .service(pricing::get_order_pricing)
        .service(update::update_order)
        .service(lifecycle::submit_order)
        .service(lifecycle::confirm_order)
        .service(lifecycle::reject_order)
        .service(lifecycle::cancel_order)
        .service(split::split_order)
        .service(split::move_order);
}
