//! `/api/v1/production-actuals`: output recorded after a month closes; it replaces the plan.

use actix_web::http::StatusCode;
use actix_web::{get, put, web, HttpResponse};

use crate::domain::production::{MonthlyKind, ProductionActual};
use crate::domain::Period;
use crate::domain::ProductId;
use crate::extract::Caller;
use crate::extract::{IfMatch, ValidJson};
use crate::ops::monthly::{self, ActualOutput, MonthlyQuery, ProductionActualList};
use crate::problem::{ApiError, ReadErrors, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Record a month's output
///
/// Creates (201) or replaces (200) the actual output of the product in the month; from then on
/// it is the month's supply instead of the plan. Roles: admin, planner.
#[utoipa::path(
    tag = "production",
    request_body = ActualOutput,
    params(
        ("product_id" = uuid::Uuid, Path, description = "Product id"),
        ("period" = String, Path, description = "Month, YYYY-MM", example = "2026-10"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 200, description = "Replaced", body = ProductionActual),
        (status = 201, description = "Recorded", body = ProductionActual),
        WriteErrors,
    ),
)]
#[put("/production-actuals/{product_id}/{period}")]
pub async fn put_production_actual(
    state: web::Data<AppState>,
    actor: Caller,
    path: web::Path<(ProductId, String)>,
    if_match: IfMatch,
    body: ValidJson<ActualOutput>,
) -> Result<HttpResponse, ApiError> {
    let (product_id, period) = path.into_inner();
    let period = Period::parse(&period)
        .ok_or_else(|| ApiError::field("period", "must be a month YYYY-MM"))?;
    let kg = body.0.actual_kg;
    let recorded = state
        .db
        .write(move |c| {
            monthly::record(
                c,
                &actor,
                MonthlyKind::Actual,
                product_id,
                period,
                kg,
                &if_match.0,
            )
        })
        .await?;
    let status = if recorded.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let view = ProductionActual::from(&recorded.quantity);
    Ok(respond::with_etag(status, view.version, &view))
}

/// List recorded output
///
/// By product and month range, in month order.
#[utoipa::path(
    tag = "production",
    params(MonthlyQuery),
    responses((status = 200, description = "Recorded output", body = ProductionActualList), ReadErrors),
)]
#[get("/production-actuals")]
pub async fn list_production_actuals(
    state: web::Data<AppState>,
    _actor: Caller,
    query: crate::extract::ValidQuery<MonthlyQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let rows = state
        .db
        .read(move |c| monthly::list(c, MonthlyKind::Actual, &q))
        .await?;
    Ok(HttpResponse::Ok().json(ProductionActualList {
        items: rows.iter().map(ProductionActual::from).collect(),
    }))
}
