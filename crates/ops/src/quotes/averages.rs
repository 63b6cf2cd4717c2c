use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::{price_indices, quotes, DbConnection};
use crate::domain::price_index::MonthlyAverage;
use crate::domain::Period;
use crate::domain::PriceIndexId;
use crate::error::OpError;

#[derive(Debug, Serialize, ToSchema)]
pub struct AverageList {
    #[schema(value_type = uuid::Uuid)]
    pub index_id: PriceIndexId,
    #[schema(example = "USD")]
    pub currency: String,
    pub averages: Vec<MonthlyAverage>,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AverageRange {
    #[param(value_type = Option<String>, example = "2026-01")]
    pub from: Option<Period>,
    #[param(value_type = Option<String>, example = "2026-12")]
    pub to: Option<Period>,
}

/// The mean of each month's quotes (4 dp), within `from`–`to`.
pub fn averages(
    conn: &mut DbConnection,
    index_id: PriceIndexId,
    range: &AverageRange,
) -> Result<AverageList, OpError> {
    let (from, to) = (range.from, range.to);
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(OpError::field("from", "must not be after `to`"));
        }
    }
    let index = price_indices::find(conn, index_id)?;
    let averages = quotes::averages(conn, index_id)?
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
    Ok(AverageList {
        index_id: index.id,
        currency: index.currency,
        averages,
    })
}
