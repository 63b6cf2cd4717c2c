//! `/api/v1/webhooks`: admin-managed subscriptions to the change feed, signed per Standard
//! Webhooks 1.0, and the record of every delivery attempt.

mod actions;
mod deliveries;
mod manage;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(manage::list_webhooks)
        .service(manage::create_webhook)
        .service(manage::get_webhook)
        .service(manage::update_webhook)
        .service(manage::delete_webhook)
        .service(actions::disable_webhook)
        .service(actions::enable_webhook)
        .service(actions::rotate_webhook_secret)
        .service(deliveries::list_webhook_deliveries)
        .service(deliveries::redeliver_webhook_delivery);
}
