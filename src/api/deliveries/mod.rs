//! Delivery visibility: contract fulfilment and the delivery schedule across commitments.

mod fulfilment;
mod schedule;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(fulfilment::get_contract_fulfilment)
        .service(schedule::list_deliveries);
}
