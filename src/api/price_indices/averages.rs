use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::db::quotes;
use crate::domain::Period;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct MonthlyAverage {
    #[schema(example = "2026-10")]
    pub period: Period,
    /// Mean of the month's quotes, 4 dp.
    #[schema(example = "62.3450")]
    pub average: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AverageList {
    pub index_id: uuid::Uuid,
    #[schema(example = "USD")]
    pub currency: String,
    pub averages: Vec<MonthlyAverage>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AverageRange {
    #[param(value_type = Option<String>, example = "2026-01")]
    from: Option<Period>,
    #[param(value_type = Option<String>, example = "2026-12")]
    to: Option<Period>,
}

/// Monthly averages
///
/// The mean of each month's quotes (4 dp) — what index-linked prices are computed from.
#[utoipa::path(
    tag = "price-indices",
    params(("id" = uuid::Uuid, Path, description = "Price index id"), AverageRange),
    responses((status = 200, description = "Averages by month", body = AverageList), ReadErrors),
)]
#[get("/price-indices/{id}/averages")]
pub async fn list_price_averages(
    state: web::Data<AppState>,
    _caller: Principal,
    id: web::Path<uuid::Uuid>,
    range: web::Query<AverageRange>,
) -> Result<HttpResponse, ApiError> {
    let AverageRange { from, to } = range.into_inner();
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(ApiError::field("from", "must not be after `to`"));
        }
    }
    let id = id.into_inner().to_string();
    let (index, averages) = state
        .db
        .read(move |conn| {
            let index = super::find(conn, &id)?;
            Ok((index, quotes::averages(conn, &id)?))
        })
        .await?;
    let averages = averages
        .into_iter()
        .filter(|(p, _)| from.is_none_or(|f| *p >= f) && to.is_none_or(|t| *p <= t))
        .map(|(period, mut avg)| {
            avg.rescale(4);
            MonthlyAverage {
                period,
                average: avg.to_string(),
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(AverageList {
        index_id: uuid::Uuid::parse_str(&index.id).unwrap_or_default(),
        currency: index.currency,
        averages,
    }))
}
