use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::{product_position, products, DbConnection};
use crate::domain::reconciliation::available_to_promise;
use crate::domain::ProductId;
use crate::domain::{KgAmount, Period};
use crate::error::OpError;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AtpQuery {
    #[param(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    #[param(value_type = String, example = "2027-03")]
    pub period: Period,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Atp {
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    #[schema(example = "2027-03")]
    pub period: Period,
    #[schema(example = "7000.000")]
    pub atp_kg: KgAmount,
}

/// What can still be confirmed for the product in the month without creating or deepening a
/// shortfall in that or any later month.
pub fn atp(conn: &mut DbConnection, q: &AtpQuery) -> Result<Atp, OpError> {
    products::find(conn, q.product_id)?;
    let pos = product_position::load(conn, q.product_id, None)?;
    Ok(Atp {
        product_id: q.product_id,
        period: q.period,
        atp_kg: KgAmount::from_grams(available_to_promise(&pos, q.period)),
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HorizonQuery {
    #[param(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    /// The quantity being considered.
    #[param(value_type = String, example = "5000")]
    pub quantity_kg: crate::domain::Kg,
    /// First month, YYYY-MM.
    #[param(value_type = String, example = "2027-01")]
    pub from: Period,
    /// Last month, YYYY-MM (at most 120 months after `from`).
    #[param(value_type = String, example = "2027-12")]
    pub to: Period,
}

/// One month of a what-if.
#[derive(Debug, Serialize, ToSchema)]
pub struct AtpMonth {
    #[schema(example = "2027-03")]
    pub period: Period,
    #[schema(example = "7000.000")]
    pub atp_kg: KgAmount,
    /// Whether the month's ATP covers the quantity.
    pub covers: bool,
}

/// ATP month by month for a quantity being considered, and the first month that covers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AtpHorizon {
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    #[schema(example = "5000.000")]
    pub quantity_kg: KgAmount,
    pub months: Vec<AtpMonth>,
    /// The first month in range whose ATP covers the quantity; absent when none does.
    #[schema(example = "2027-04")]
    pub first_fit_period: Option<Period>,
}

/// What-if ATP: for each month of `from`–`to`, what can still be confirmed, and the first month
/// whose ATP covers `quantity_kg`. One position read, whatever the range.
pub fn horizon(conn: &mut DbConnection, q: &HorizonQuery) -> Result<AtpHorizon, OpError> {
    super::check_range(Some(q.from), Some(q.to))?;
    let grams = q
        .quantity_kg
        .grams()
        .filter(|g| *g > 0)
        .ok_or_else(|| OpError::field("quantity_kg", "must be greater than 0"))?;
    products::find(conn, q.product_id)?;
    let pos = product_position::load(conn, q.product_id, None)?;
    let months: Vec<AtpMonth> = q
        .from
        .through(q.to)
        .map(|period| {
            let atp = available_to_promise(&pos, period);
            AtpMonth {
                period,
                atp_kg: KgAmount::from_grams(atp),
                covers: atp >= grams,
            }
        })
        .collect();
    Ok(AtpHorizon {
        product_id: q.product_id,
        quantity_kg: KgAmount::from_grams(grams),
        first_fit_period: months.iter().find(|m| m.covers).map(|m| m.period),
        months,
    })
}
