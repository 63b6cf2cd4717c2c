#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]
//! The HTTP API: one module per resource, one file per action. Handlers only extract, call an
//! operation and respond; the operations live in `crate::ops`.

pub use ndpr_ops as ops;
pub use ndpr_ops::{auth, db, delivery, domain, error};

pub mod audit;
pub mod by_ref;
pub mod client;
pub mod contracts;
pub mod csv_twin;
pub mod customers;
pub mod deliveries;
pub mod events;
pub mod extract;
pub mod fallback;
pub mod fx_rates;
pub mod health;
pub mod imports;
pub mod licences;
pub mod lifecycle;
mod list_csv;
pub mod master;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod orders;
pub mod price_indices;
pub mod pricing;
pub mod problem;
pub mod production;
pub mod products;
pub mod reconciliation;
pub mod respond;
pub mod route_table;
pub mod session;
pub mod settlements;
pub mod shipments;
pub mod state;
pub mod users;
pub mod webhooks;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

pub use problem::{ApiError, ReadErrors, WriteErrors};

/// Registers every documented route; the OpenAPI document is generated from this same call.
pub fn configure(cfg: &mut ServiceConfig) {
    // One scope per resource with ids in its paths: the router compares a literal prefix and
    // tries only that resource's patterns, not every pattern of the API.
    cfg.configure(health::configure).service(
        scope("/api/v1")
            .configure(session::configure)
            .configure(list_csv::configure)
            .configure(fx_rates::configure)
            .configure(settlements::configure)
            .service(scope("/users").configure(users::configure))
            // The upserts by ERP reference come first: their literal segment must win over `/{id}/…`.
            .service(
                scope("/customers")
                    .service(by_ref::upsert_customer)
                    .configure(customers::configure),
            )
            .service(
                scope("/products")
                    .service(by_ref::upsert_product)
                    .configure(products::configure),
            )
            .service(scope("/price-indices").configure(price_indices::configure))
            .service(scope("/fx-rates").configure(fx_rates::configure_scope))
            .service(scope("/contracts").configure(contracts::configure))
            .service(scope("/orders").configure(orders::configure))
            .service(scope("/production-plans").configure(production::configure_plans))
            .configure(production::configure)
            .configure(reconciliation::configure)
            .configure(pricing::configure)
            .service(scope("/shipments").configure(shipments::configure))
            .service(scope("/export-licences").configure(licences::configure))
            .service(scope("/webhooks").configure(webhooks::configure))
            .service(scope("/imports").configure(imports::configure))
            .configure(deliveries::configure)
            .configure(audit::configure)
            .configure(events::configure),
    );
}
