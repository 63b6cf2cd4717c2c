//! The OpenAPI document: built from the same route registrations the server uses, then
//! finished for client generators (`for_generators`).

mod bounds;
mod events;
mod for_generators;
mod headers;
mod imports;
mod links;

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{web, App, HttpResponse};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config, SwaggerUi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ndpr-contracts",
        description = "Long-term contracts, spot and add-on orders, production reconciliation, \
pricing and delivery visibility for an NdPr rare-earth exporter.\n\n\
Every decimal is a JSON string (\"12000.000\", \"62.50\"); JSON numbers are refused for decimals. \
Errors are RFC 9457 `application/problem+json`. Authenticate with `POST /api/v1/auth/token` and \
send `Authorization: Bearer <access_token>`.",
        license(name = "Apache-2.0"),
    ),
    components(schemas(
        crate::problem::Problem,
        crate::error::FieldError,
        crate::ops::imports::ImportKind,
        crate::ops::imports::ImportMode
    )),
    modifiers(&Security),
    security(("bearer" = [])),
    tags(
        (name = "auth", description = "Access tokens and the current user"),
        (name = "users", description = "User administration (admin only)"),
        (name = "customers", description = "Buyers"),
        (name = "products", description = "Rare-earth products"),
        (name = "price-indices", description = "Market price indices and their quotes"),
        (name = "fx-rates", description = "Daily FX fixings that convert an index's quotes into the terms' currency"),
        (name = "contracts", description = "Long-term contracts: schedules, amendments, lifecycle"),
        (name = "orders", description = "Spot and add-on orders, confirmed against available-to-promise"),
        (name = "production", description = "Production plans, actual output and stock snapshots"),
        (name = "reconciliation", description = "Supply against demand per product and month: ATP, shortfalls, orders at risk"),
        (name = "pricing", description = "Price previews and pricing exposure"),
        (name = "shipments", description = "Shipments, lots and delivery"),
        (name = "settlements", description = "What each shipment is worth: provisional at shipment, final when the price is"),
        (name = "export-licences", description = "Export licences for controlled products"),
        (name = "deliveries", description = "Fulfilment and the delivery schedule"),
        (name = "audit", description = "Who changed what"),
        (name = "events", description = "The change feed (outbox)"),
        (name = "imports", description = "Bulk upserts from the ERP: CSV or JSON, all or nothing by default"),
        (name = "webhooks", description = "Signed pushes of the change feed (Standard Webhooks 1.0), admin only"),
        (name = "health", description = "Liveness, readiness and metrics"),
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The document the server serves, generated from the route registrations.
pub fn document() -> serde_json::Value {
    let (_, doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::configure)
        .split_for_parts();
    // Finished as JSON and kept as JSON: utoipa's own types cannot hold every finishing touch
    // (a round trip through them failed silently and served the unfinished document).
    let mut value = serde_json::to_value(&doc).unwrap_or_default();
    for_generators::finish(&mut value);
    value
}

/// The document as served, kept as text.
pub struct ServedDocument(pub Arc<String>);

async fn serve_document(doc: web::Data<ServedDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.0.as_str().to_owned())
}

/// `/api-docs/openapi.json` and Swagger UI at `/docs/`.
pub fn configure_docs(cfg: &mut web::ServiceConfig) {
    cfg.route("/api-docs/openapi.json", web::get().to(serve_document))
        .route(
            "/docs",
            web::get().to(|| async {
                HttpResponse::PermanentRedirect()
                    .insert_header((header::LOCATION, "/docs/"))
                    .finish()
            }),
        )
        .service(
            SwaggerUi::new("/docs/{_:.*}")
                .config(Config::from("/api-docs/openapi.json").persist_authorization(true)),
        );
}
