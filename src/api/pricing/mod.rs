//! Pricing visibility: previews, priced schedules and the exposure report.

mod exposure;
mod preview;

use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::pricing::{PriceOutcome, PriceStatus};
use crate::domain::{Period, Price};

pub use exposure::get_pricing_exposure;
pub use preview::preview_price;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(preview::preview_price)
        .service(exposure::get_pricing_exposure);
}

/// A resolved unit price.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PriceView {
    /// Per kg, 2 dp; null when unpriced.
    #[schema(example = "60.85")]
    pub unit_price: Option<Price>,
    pub status: PriceStatus,
    /// The month whose index average was used.
    #[schema(example = "2026-10")]
    pub basis_period: Option<Period>,
    /// That month's index average, 4 dp.
    #[schema(value_type = Option<String>, example = "62.3450")]
    pub index_average: Option<String>,
}

impl From<&PriceOutcome> for PriceView {
    fn from(o: &PriceOutcome) -> PriceView {
        PriceView {
            unit_price: o.unit_price.and_then(Price::new),
            status: o.status,
            basis_period: o.basis_period,
            index_average: o.index_average.map(|a| {
                let mut a = a;
                a.rescale(4);
                a.to_string()
            }),
        }
    }
}

/// unit price × quantity, 2 dp, as a string; `None` when unpriced.
pub fn value(unit_price: Option<Decimal>, quantity_kg: Decimal) -> Option<String> {
    unit_price.map(|p| {
        let mut v = crate::domain::pricing::round(p * quantity_kg, 2);
        v.rescale(2);
        v.to_string()
    })
}
