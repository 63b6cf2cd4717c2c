use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{orders, DbConnection};
use crate::domain::pricing::{price, IndexSeries};
use crate::domain::OrderId;
use crate::domain::{Kg, Period};
use crate::error::OpError;
use crate::pricing::{value, PriceView};

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderPricing {
    #[schema(value_type = uuid::Uuid)]
    pub order_id: OrderId,
    #[schema(example = "2027-03")]
    pub period: Period,
    #[schema(example = "2000.000")]
    pub quantity_kg: Kg,
    #[schema(example = "USD")]
    pub currency: String,
    #[serde(flatten)]
    pub price: PriceView,
    #[schema(example = "129000.00")]
    pub value: Option<String>,
}

/// The order's resolved unit price, status, basis month and value.
pub fn pricing(conn: &mut DbConnection, id: OrderId) -> Result<OrderPricing, OpError> {
    let order = orders::find(conn, id)?;
    let series = match order.pricing.index_id() {
        Some(index) => Some(crate::fx::index_series(conn, index, &order.currency)?),
        None => None,
    };
    let outcome = price(
        &order.pricing,
        order.period,
        series.as_ref().unwrap_or(&IndexSeries::default()),
        crate::domain::clock::current_period(),
    );
    Ok(OrderPricing {
        order_id: order.id,
        period: order.period,
        quantity_kg: order.quantity_kg,
        currency: order.currency,
        value: value(outcome.unit_price, order.quantity_kg.value()),
        price: PriceView::new(&outcome, series.as_ref()),
    })
}
