//! Liveness, readiness and Prometheus metrics.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: String,
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(live).service(ready).service(metrics);
}

/// Liveness
///
/// The process is up and answering.
#[utoipa::path(tag = "health", security(()), responses((status = 200, description = "Alive", body = Health)))]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
    })
}

/// Readiness
///
/// The database answers; 503 otherwise, so a load balancer routes around this instance.
#[utoipa::path(
    tag = "health",
    security(()),
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "The database is unreachable", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    use actix_web::ResponseError;
    if state.db.ping().await {
        HttpResponse::Ok().json(Health {
            status: "ok".into(),
        })
    } else {
        crate::problem::ApiError::Op(crate::error::OpError::unavailable(
            "the database is unreachable",
        ))
        .error_response()
    }
}

/// Metrics
///
/// Prometheus text: request counts and latency histograms by route and status, pool usage.
#[utoipa::path(
    tag = "health",
    security(()),
    responses((status = 200, description = "Prometheus exposition format", body = String, content_type = "text/plain"))
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render(&state.db.pool_states()))
}
