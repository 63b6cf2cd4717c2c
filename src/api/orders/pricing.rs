use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::Order;
use crate::api::pricing::{value, PriceView};
use crate::auth::Principal;
use crate::db::quotes;
use crate::domain::pricing::price;
use crate::domain::{Kg, Period};
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderPricing {
    pub order_id: uuid::Uuid,
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

/// Price an order
///
/// The order's resolved unit price, status, basis month and value, as for contracts.
#[utoipa::path(
    tag = "orders",
    params(("id" = uuid::Uuid, Path, description = "Order id")),
    responses((status = 200, description = "The priced order", body = OrderPricing), ReadErrors),
)]
#[get("/orders/{id}/pricing")]
pub async fn get_order_pricing(
    state: web::Data<AppState>,
    _caller: Principal,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let (row, averages) = state
        .db
        .read(move |conn| {
            let row = super::find(conn, &id)?;
            let terms = crate::api::contracts::pricing_of(&row.pricing_json);
            let averages = match terms.index_id() {
                Some(index) => quotes::averages(conn, &index.to_string())?,
                None => Default::default(),
            };
            Ok((row, averages))
        })
        .await?;
    let order = Order::from(&row);
    let outcome = price(
        &order.pricing,
        order.period,
        &averages,
        crate::clock::current_period(),
    );
    Ok(HttpResponse::Ok().json(OrderPricing {
        order_id: order.id,
        period: order.period,
        quantity_kg: order.quantity_kg,
        currency: order.currency,
        value: value(outcome.unit_price, order.quantity_kg.value()),
        price: PriceView::from(&outcome),
    }))
}
