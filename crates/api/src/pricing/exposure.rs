use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::csv_twin::csv_twin;
use crate::extract::Caller;
use crate::ops::pricing::{self, ExposureQuery, PricingExposure};
use crate::problem::{ApiError, ReadErrors};
use crate::respond;
use crate::state::AppState;

/// Pricing exposure
///
/// For each product and month of `from`–`to`, the committed kilograms (active and suspended
/// contracts, confirmed orders) by pricing status — fixed, final, provisional, unpriced — with
/// the priced value and volume-weighted average price per currency. The same rows as CSV: `GET /api/v1/reports/pricing-exposure.csv`.
#[utoipa::path(
    tag = "pricing",
    params(ExposureQuery),
    responses(
        (status = 200, description = "Exposure per product and month", body = PricingExposure),
        ReadErrors,
    ),
)]
#[get("/reports/pricing-exposure")]
pub async fn get_pricing_exposure(
    req: HttpRequest,
    state: web::Data<AppState>,
    _actor: Caller,
    query: crate::extract::ValidQuery<ExposureQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let report = state.db.read(move |c| pricing::exposure(c, &q)).await?;
    Ok(respond::report(&req, &report, PricingExposure::csv))
}

csv_twin!(
    name: get_pricing_exposure_csv,
    path: "/reports/pricing-exposure.csv",
    tag: "pricing",
    query: ExposureQuery,
    op: pricing::exposure,
    csv: PricingExposure::csv,
    summary: "Pricing exposure as CSV",
);
