//! `/api/v1/contracts`: long-term contracts, their monthly schedules and lifecycle.

mod amendments;
mod create;
mod lifecycle;
mod list;
mod pricing;
mod read;
mod schedule;
mod update;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // By reference first: its literal segment must win over `/{id}/…`.
    cfg.service(crate::by_ref::upsert_contract)
        .service(list::list_contracts)
        .service(create::create_contract)
        .service(read::get_contract)
        .service(update::update_contract)
        .service(schedule::replace_contract_schedule)
        .service(amendments::list_contract_amendments_csv)
        .service(amendments::list_contract_amendments)
        .service(pricing::get_contract_pricing_csv)
        .service(pricing::get_contract_pricing)
        .service(crate::deliveries::fulfilment::get_contract_fulfilment_csv)
        .service(crate::deliveries::fulfilment::get_contract_fulfilment)
        .service(lifecycle::activate_contract)
        .service(lifecycle::suspend_contract)
        .service(lifecycle::resume_contract)
        .service(lifecycle::complete_contract)
        .service(lifecycle::terminate_contract);
}
