//! The OpenAPI document: built from the same route registrations the server uses.

use std::collections::BTreeMap;
use std::sync::Arc;

use actix_web::dev::ResourceDef;
use actix_web::http::{header, Method};
use actix_web::{web, App, HttpRequest, HttpResponse};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::error::ApiError;

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
    components(schemas(crate::error::Problem, crate::error::FieldError)),
    modifiers(&Security),
    security(("bearer" = [])),
    tags(
        (name = "auth", description = "Access tokens and the current user"),
        (name = "users", description = "User administration (admin only)"),
        (name = "customers", description = "Buyers"),
        (name = "products", description = "Rare-earth products"),
        (name = "price-indices", description = "Market price indices and their quotes"),
        (name = "contracts", description = "Long-term contracts: schedules, amendments, lifecycle"),
        (name = "orders", description = "Spot and add-on orders, confirmed against available-to-promise"),
        (name = "production", description = "Production plans, actual output and stock snapshots"),
        (name = "reconciliation", description = "Supply against demand per product and month: ATP, shortfalls, orders at risk"),
        (name = "pricing", description = "Price previews and pricing exposure"),
        (name = "shipments", description = "Shipments, lots and delivery"),
        (name = "export-licences", description = "Export licences for controlled products"),
        (name = "deliveries", description = "Fulfilment and the delivery schedule"),
        (name = "audit", description = "Who changed what"),
        (name = "events", description = "The change feed (outbox)"),
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
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::api::configure)
        .split_for_parts();
    doc
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

/// Which methods each documented path answers, to tell 405 from 404.
pub struct RouteTable(Vec<(ResourceDef, Vec<Method>)>);

impl RouteTable {
    pub fn from_document(doc: &utoipa::openapi::OpenApi) -> RouteTable {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let mut methods = Vec::new();
                let ops = [
                    (Method::GET, &item.get),
                    (Method::POST, &item.post),
                    (Method::PUT, &item.put),
                    (Method::PATCH, &item.patch),
                    (Method::DELETE, &item.delete),
                ];
                for (m, op) in ops {
                    if op.is_some() {
                        methods.push(m);
                    }
                }
                (ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        RouteTable(routes)
    }

    fn allowed(&self, path: &str) -> Option<&[Method]> {
        self.0
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, m)| m.as_slice())
    }
}

/// The answer for a request no route took: 405 with `Allow` when the path exists, else 404.
pub async fn unmatched_route(req: HttpRequest) -> HttpResponse {
    use actix_web::ResponseError;
    let state = req.app_data::<web::Data<crate::startup::AppState>>();
    if let Some(methods) = state.and_then(|s| s.routes.allowed(req.path())) {
        if !methods.is_empty() {
            let allow = methods
                .iter()
                .map(Method::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            let mut res = ApiError::MethodNotAllowed(format!(
                "{} is not allowed here; allowed: {allow}",
                req.method()
            ))
            .error_response();
            if let Ok(v) = header::HeaderValue::from_str(&allow) {
                res.headers_mut().insert(header::ALLOW, v);
            }
            return res;
        }
    }
    ApiError::NotFound(format!("no route for {} {}", req.method(), req.path())).error_response()
}

fn problem_response(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                crate::error::PROBLEM_JSON,
                Content::new(Some(Ref::from_schema_name("Problem"))),
            )
            .build(),
    )
}

fn problems(codes: &[(u16, &str)]) -> BTreeMap<String, RefOr<Response>> {
    codes
        .iter()
        .map(|(code, text)| (code.to_string(), problem_response(text)))
        .collect()
}

const READ_ERRORS: [(u16, &str); 5] = [
    (400, "Malformed request"),
    (401, "Missing, invalid or expired access token"),
    (404, "Not found"),
    (422, "Invalid parameters; `errors` names each field"),
    (503, "Database unavailable"),
];

const WRITE_ERRORS: [(u16, &str); 6] = [
    (403, "The caller's role may not do this"),
    (409, "Conflicts with the current state (duplicate, wrong lifecycle state, idempotency key in use)"),
    (412, "If-Match does not match the current version"),
    (413, "Request body too large"),
    (415, "Request body is not application/json"),
    (422, "Invalid input; `errors` names each field"),
];

/// The error answers of every read operation.
pub struct ReadErrors;

impl utoipa::IntoResponses for ReadErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problems(&READ_ERRORS)
    }
}

/// The error answers of every change operation.
pub struct WriteErrors;

impl utoipa::IntoResponses for WriteErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut all = problems(&READ_ERRORS);
        all.extend(problems(&WRITE_ERRORS));
        all
    }
}
