//! `GET/POST /price-indices/{id}/quotes` and `GET /price-indices/{id}/averages`.

use actix_web::{get, post, web, HttpResponse};

use crate::domain::PriceIndexId;
use crate::extract::Caller;
use crate::extract::ValidJson;
use crate::ops::quotes::{
    self, AverageList, AverageRange, QuoteBatch, QuoteList, QuoteRange, QuoteUpsertResult,
};
use crate::problem::{ApiError, ReadErrors, WriteErrors};
use crate::state::AppState;

/// List quotes
///
/// Quotes of the index by date, oldest first, optionally within `from`–`to`.
#[utoipa::path(
    tag = "price-indices",
    params(("id" = uuid::Uuid, Path, description = "Price index id"), QuoteRange),
    responses((status = 200, description = "The quotes", body = QuoteList), ReadErrors),
)]
#[get("/{id}/quotes")]
pub async fn list_price_quotes(
    state: web::Data<AppState>,
    _actor: Caller,
    id: web::Path<PriceIndexId>,
    range: crate::extract::ValidQuery<QuoteRange>,
) -> Result<HttpResponse, ApiError> {
    let (id, range) = (id.into_inner(), range.into_inner());
    let list = state.db.read(move |c| quotes::list(c, id, &range)).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Upsert quotes
///
/// Adds or replaces the quotes of the given dates in one transaction. Roles: admin, planner,
/// sales, integration.
#[utoipa::path(
    tag = "price-indices",
    request_body(content = QuoteBatch, example = json!([{"date": "2026-10-14", "price": "61.25"}, {"date": "2026-10-15", "price": "61.80"}])),
    params(
        ("id" = uuid::Uuid, Path, description = "Price index id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request"),
    ),
    responses((status = 200, description = "What changed", body = QuoteUpsertResult), WriteErrors),
)]
#[post("/{id}/quotes")]
pub async fn upsert_price_quotes(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<PriceIndexId>,
    body: ValidJson<QuoteBatch>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = state
        .db
        .write(move |c| quotes::upsert(c, &actor, id, &body.0 .0))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Monthly averages
///
/// The mean of each month's quotes (4 dp) — what index-linked prices are computed from.
#[utoipa::path(
    tag = "price-indices",
    params(("id" = uuid::Uuid, Path, description = "Price index id"), AverageRange),
    responses((status = 200, description = "Averages by month", body = AverageList), ReadErrors),
)]
#[get("/{id}/averages")]
pub async fn list_price_averages(
    state: web::Data<AppState>,
    _actor: Caller,
    id: web::Path<PriceIndexId>,
    range: crate::extract::ValidQuery<AverageRange>,
) -> Result<HttpResponse, ApiError> {
    let (id, range) = (id.into_inner(), range.into_inner());
    let list = state
        .db
        .read(move |c| quotes::averages(c, id, &range))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}
