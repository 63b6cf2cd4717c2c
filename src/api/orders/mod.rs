//! `/api/v1/orders`: spot orders and add-on orders above a contract's plan.

mod create;
mod lifecycle;
mod list;
mod pricing;
mod read;
mod update;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::models::order::OrderRow;
use crate::db::scaled;
use crate::db::schema::orders;
use crate::db::DbConnection;
use crate::domain::lifecycle::{OrderStatus, OrderType};
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::{Kg, Period};
use crate::error::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list::list_orders)
        .service(create::create_order)
        .service(read::get_order)
        .service(pricing::get_order_pricing)
        .service(update::update_order)
        .service(lifecycle::submit_order)
        .service(lifecycle::confirm_order)
        .service(lifecycle::reject_order)
        .service(lifecycle::cancel_order);
}

/// Where an order's pricing comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PricingSource {
    /// Given with the order.
    Order,
    /// An add-on order without its own: the contract's terms plus its add-on premium.
    Contract,
}

/// A spot or add-on order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Order {
    pub id: uuid::Uuid,
    #[schema(example = "ORD-2027-000042")]
    pub number: String,
    pub order_type: OrderType,
    pub customer_id: uuid::Uuid,
    pub product_id: uuid::Uuid,
    /// The contract an add-on order adds to.
    pub contract_id: Option<uuid::Uuid>,
    /// Delivery month.
    #[schema(example = "2027-03")]
    pub period: Period,
    #[schema(example = "2000.000")]
    pub quantity_kg: Kg,
    /// The terms that price this order.
    pub pricing: PricingTerms,
    pub pricing_source: PricingSource,
    #[schema(example = "USD")]
    pub currency: String,
    #[schema(example = "CIF")]
    pub incoterm: String,
    #[schema(example = "Yokohama")]
    pub incoterm_place: String,
    pub status: OrderStatus,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub external_ref: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl From<&OrderRow> for Order {
    fn from(r: &OrderRow) -> Order {
        let uuid = |s: &str| uuid::Uuid::parse_str(s).unwrap_or_default();
        Order {
            id: uuid(&r.id),
            number: r.number.clone(),
            order_type: OrderType::parse(&r.order_type).unwrap_or(OrderType::Spot),
            customer_id: uuid(&r.customer_id),
            product_id: uuid(&r.product_id),
            contract_id: r.contract_id.as_deref().map(uuid),
            period: Period::parse(&r.period)
                .unwrap_or_else(|| Period::of_date(r.created_at.date())),
            quantity_kg: scaled::kg(r.quantity_g),
            pricing: crate::api::contracts::pricing_of(&r.pricing_json),
            pricing_source: if r.pricing_source == "contract" {
                PricingSource::Contract
            } else {
                PricingSource::Order
            },
            currency: r.currency.clone(),
            incoterm: r.incoterm.clone(),
            incoterm_place: r.incoterm_place.clone(),
            status: OrderStatus::parse(&r.status).unwrap_or(OrderStatus::Draft),
            confirmed_at: r.confirmed_at.map(|t| t.and_utc()),
            external_ref: r.external_ref.clone(),
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
            version: r.version,
        }
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<OrderRow, ApiError> {
    orders::table
        .find(id)
        .select(OrderRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("order"))
}

pub fn status(row: &OrderRow) -> OrderStatus {
    OrderStatus::parse(&row.status).unwrap_or(OrderStatus::Draft)
}

/// Writes a changed row if nobody changed it since it was read (else 412).
pub fn save(conn: &mut DbConnection, before: &OrderRow, after: &OrderRow) -> Result<(), ApiError> {
    let n = diesel::update(
        orders::table
            .filter(orders::id.eq(&before.id))
            .filter(orders::version.eq(before.version)),
    )
    .set(after)
    .execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed(
            "the order was changed concurrently; read it again".into(),
        ));
    }
    Ok(())
}

/// 409 when another order has this number or external_ref.
pub fn ensure_unique(conn: &mut DbConnection, row: &OrderRow) -> Result<(), ApiError> {
    let taken: i64 = orders::table
        .filter(orders::number.eq(&row.number))
        .filter(orders::id.ne(&row.id))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(ApiError::conflict(format!(
            "an order numbered {} exists",
            row.number
        )));
    }
    if let Some(ext) = &row.external_ref {
        let taken: i64 = orders::table
            .filter(orders::external_ref.eq(ext))
            .filter(orders::id.ne(&row.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::conflict(format!(
                "an order with external_ref {ext} exists"
            )));
        }
    }
    Ok(())
}
