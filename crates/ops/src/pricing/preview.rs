use serde::Deserialize;
use utoipa::ToSchema;

use super::PriceView;
use crate::db::DbConnection;
use crate::domain::pricing::{price, IndexSeries};
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::reference::{is_currency, CURRENCIES};
use crate::domain::Period;
use crate::error::{FieldError, OpError};
use crate::references::index_problem;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"pricing": {"type": "index", "index_id": "6aab728c-5d25-46c0-b1b1-b708c14db466", "qp_offset_months": -1, "multiplier": "1", "premium": "-1.50", "floor": "55", "ceiling": "80"}, "period": "2027-01", "currency": "USD"}))]
pub struct PricePreviewRequest {
    pub pricing: PricingTerms,
    /// Delivery month.
    #[schema(example = "2027-01")]
    pub period: Period,
    #[schema(example = "USD", min_length = 3, max_length = 3)]
    pub currency: String,
}

/// What the terms give for a delivery month today: unit price, status and the index average.
pub fn preview(conn: &mut DbConnection, req: &PricePreviewRequest) -> Result<PriceView, OpError> {
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
        return Err(OpError::Validation(errors));
    }
    if let Some(e) = index_problem(conn, &req.pricing, "pricing.index_id")? {
        return Err(OpError::Validation(vec![e]));
    }
    let series = match req.pricing.index_id() {
        Some(id) => Some(crate::fx::index_series(conn, id, &req.currency)?),
        None => None,
    };
    let outcome = price(
        &req.pricing,
        req.period,
        series.as_ref().unwrap_or(&IndexSeries::default()),
        crate::domain::clock::current_period(),
    );
    Ok(PriceView::new(&outcome, series.as_ref()))
}
