//! A resolved price as clients see it, and the value of a quantity at that price.

use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::pricing::{round, PriceOutcome, PriceStatus};
use crate::domain::{Period, PriceAmount};

/// A resolved unit price.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PriceView {
    /// Per kg, 2 dp; null when unpriced.
    #[schema(example = "60.85")]
    pub unit_price: Option<PriceAmount>,
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
            unit_price: o.unit_price.map(PriceAmount::new),
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

/// unit price × quantity, 2 dp, as a string; `None` when unpriced or out of range.
pub fn value(unit_price: Option<Decimal>, quantity_kg: Decimal) -> Option<String> {
    let v = unit_price?.checked_mul(quantity_kg)?;
    let mut v = round(v, 2);
    v.rescale(2);
    Some(v.to_string())
}
