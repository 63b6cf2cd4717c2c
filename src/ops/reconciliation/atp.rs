use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::{position, products, DbConnection};
use crate::domain::reconciliation::available_to_promise;
use crate::domain::{KgAmount, Period};
use crate::error::OpError;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AtpQuery {
    pub product_id: uuid::Uuid,
    #[param(value_type = String, example = "2027-03")]
    pub period: Period,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Atp {
    pub product_id: uuid::Uuid,
    #[schema(example = "2027-03")]
    pub period: Period,
    #[schema(example = "7000.000")]
    pub atp_kg: KgAmount,
}

/// What can still be confirmed for the product in the month without creating or deepening a
/// shortfall in that or any later month.
pub fn atp(conn: &mut DbConnection, q: &AtpQuery) -> Result<Atp, OpError> {
    products::find(conn, q.product_id)?;
    let pos = position::load(conn, q.product_id, None)?;
    Ok(Atp {
        product_id: q.product_id,
        period: q.period,
        atp_kg: KgAmount::from_grams(available_to_promise(&pos, q.period)),
    })
}
