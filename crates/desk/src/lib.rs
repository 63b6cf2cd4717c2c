#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]
//! The sales desk in the browser, served by the same binary at the site root: pages rendered on
//! the server (askama templates, checked at compile time) over the same operations as the API,
//! a cookie session carrying the API's signed token, CSRF tokens and Origin checks on every
//! form, a strict Content-Security-Policy, and htmx embedded in the binary (no CDN, no node).

pub use ndpr_api as api;
pub use ndpr_api::{db, domain, ops, state};

mod assets;
mod charts;
mod contract;
mod contract_actions;
mod contracts;
mod deliveries;
mod desk;
pub mod error;
pub mod extract;
mod form;
mod fulfilment_chart;
mod layout;
mod list_csv;
mod login;
mod master;
mod master_forms;
mod order_form;
mod orders;
mod page;
mod plan_editor;
mod plans;
mod price_chart;
mod prices;
mod reconciliation;
mod session;
mod shipments;
pub mod view;

pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(desk::desk)
        .service(list_csv::customers_csv)
        .service(list_csv::products_csv)
        .service(list_csv::licences_csv)
        .service(list_csv::shipments_csv)
        .service(list_csv::contracts_csv)
        .service(list_csv::plans_csv)
        .service(list_csv::orders_csv)
        .service(list_csv::users_csv)
        .service(list_csv::audit_csv)
        .service(login::login_form)
        .service(login::log_in)
        .service(login::log_out)
        .service(orders::new_order)
        .service(orders::atp_panel)
        .service(orders::create_order)
        .service(orders::order_page)
        .service(orders::confirm_order)
        .service(contracts::contracts_page)
        .service(contract::fulfilment_csv)
        .service(contract::pricing_csv)
        .service(contract::amendments_csv)
        .service(contract::contract_page)
        .service(contract_actions::save_contract)
        .service(contract_actions::replace_schedule)
        .service(contract_actions::contract_action)
        .service(deliveries::deliveries_csv)
        .service(deliveries::deliveries_page)
        .service(prices::exposure_csv)
        .service(prices::prices_page)
        .service(prices::enter_quote)
        .service(master::customers_page)
        .service(master::products_page)
        .service(master::licences_page)
        .service(master::users_page)
        .service(master_forms::create_customer)
        .service(master_forms::create_product)
        .service(master_forms::create_licence)
        .service(master_forms::create_user)
        .service(shipments::shipments_page)
        .service(shipments::plan_shipment)
        .service(shipments::lots_csv)
        .service(shipments::shipment)
        .service(shipments::shipment_step)
        .service(plans::plans_page)
        .service(plan_editor::new_plan)
        .service(plan_editor::create_plan)
        .service(plans::impact_csv)
        .service(plans::orders_at_risk_csv)
        .service(plans::lines_csv)
        .service(plans::plan_page)
        .service(plans::approve_plan)
        .service(reconciliation::summary_csv)
        .service(reconciliation::orders_at_risk_csv)
        .service(reconciliation::reconciliation_csv)
        .service(reconciliation::reconciliation_page)
        .service(assets::asset);
}
