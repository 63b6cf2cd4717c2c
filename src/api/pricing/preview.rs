use actix_web::{post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::PriceView;
use crate::api::contracts::check_index;
use crate::api::extract::ValidJson;
use crate::auth::Principal;
use crate::db::quotes;
use crate::domain::pricing::price;
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::reference::{is_currency, CURRENCIES};
use crate::domain::Period;
use crate::error::{ApiError, FieldError};
use crate::openapi::WriteErrors;
use crate::startup::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"pricing": {"type": "index", "index_id": "6aab728c-5d25-46c0-b1b1-b708c14db466", "qp_offset_months": -1, "multiplier": "1", "premium": "-1.50", "floor": "55", "ceiling": "80"}, "period": "2027-01", "currency": "USD"}))]
pub struct PricePreviewRequest {
    pub pricing: PricingTerms,
    /// Delivery month.
    #[schema(example = "2027-01")]
    pub period: Period,
    #[schema(example = "USD")]
    pub currency: String,
}

/// Preview a price
///
/// What the terms give for a delivery month today: unit price, status (fixed, final,
/// provisional with its basis month, unpriced) and the index average used. The index must be
/// in the given currency (422 otherwise).
#[utoipa::path(
    tag = "pricing",
    request_body = PricePreviewRequest,
    responses((status = 200, description = "The price", body = PriceView), WriteErrors),
)]
#[post("/pricing/preview")]
pub async fn preview_price(
    state: web::Data<AppState>,
    _caller: Principal,
    body: ValidJson<PricePreviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let req = body.0;
    let mut errors: Vec<FieldError> = req
        .pricing
        .problems()
        .into_iter()
        .map(|(f, m)| FieldError::new(format!("pricing.{f}"), m))
        .collect();
    if !is_currency(&req.currency) {
        errors.push(FieldError::new(
            "currency",
            format!("must be one of {}", CURRENCIES.join(", ")),
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let outcome = state
        .db
        .read(move |conn| {
            if let Some(e) = check_index(conn, &req.pricing, &req.currency, "pricing.index_id")? {
                return Err(ApiError::Validation(vec![e]));
            }
            let averages = match req.pricing.index_id() {
                Some(id) => quotes::averages(conn, &id.to_string())?,
                None => Default::default(),
            };
            Ok(price(
                &req.pricing,
                req.period,
                &averages,
                crate::clock::current_period(),
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(PriceView::from(&outcome)))
}
