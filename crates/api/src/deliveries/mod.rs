//! Delivery visibility: contract fulfilment (registered in the contracts scope) and the
//! delivery schedule across commitments.

pub(crate) mod fulfilment;
mod schedule;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(schedule::list_deliveries_csv)
        .service(schedule::list_deliveries);
}
