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
mod customer;
mod deliveries;
mod desk;
pub mod error;
mod exposure_table;
pub mod extract;
pub mod flash;
mod form;
mod fulfilment_chart;
mod layout;
mod list_csv;
pub(crate) mod login;
mod master;
mod master_actions;
mod master_forms;
mod numbers;
mod order_actions;
mod order_entry;
mod order_form;
mod order_list;
mod order_page;
mod page;
mod plan_editor;
mod plans;
mod price_chart;
mod prices;
mod reconciliation;
mod resume;
mod session;
mod settlement;
mod settlement_list;
mod shipment_list;
mod shipment_plan;
mod shipments;
pub mod view;
mod worklist;

/// Whether a request no route took is a person's browser asking for a desk page (a `GET` or
/// `HEAD` outside `/api/`, accepting HTML): it gets the desk's "not found" page, not the API's
/// problem document.
pub fn wants_a_page(req: &actix_web::HttpRequest) -> bool {
    let method = req.method();
    let reads = method == actix_web::http::Method::GET || method == actix_web::http::Method::HEAD;
    let accepts_html = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    reads && accepts_html && !req.path().starts_with("/api/")
}

/// The desk's "not found" page for an address no page has.
pub fn unknown_page(req: &actix_web::HttpRequest) -> actix_web::HttpResponse {
    use actix_web::ResponseError;
    error::DeskError::NotFound(format!("there is no page at {}", req.path())).error_response()
}

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
        .service(order_list::orders_page)
        .service(order_entry::new_order)
        .service(order_entry::atp_panel)
        .service(order_entry::create_order)
        .service(order_page::order_page)
        .service(order_actions::edit_order)
        .service(order_actions::move_order)
        .service(order_actions::split_order)
        .service(order_actions::order_action)
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
        .service(customer::customer_page)
        .service(master::products_page)
        .service(master::licences_page)
        .service(master::users_page)
        .service(master_forms::create_customer)
        .service(master_forms::create_product)
        .service(master_forms::create_licence)
        .service(master_forms::create_user)
        .service(master_actions::revoke_licence)
        .service(master_actions::deactivate_user)
        .service(shipment_list::shipments_page)
        .service(shipment_plan::new_shipment)
        .service(shipment_plan::plan_shipment)
        .service(shipments::lots_csv)
        .service(shipments::shipment)
        .service(settlement_list::settlements_page)
        .service(shipments::finalise_settlement)
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
