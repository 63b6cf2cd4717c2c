//! The confirmed orders at risk, named: which orders would have to go to clear each short
//! month, with their number, customer and quantity — for a desk's table and for any client,
//! without one call per order.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::{product_position, products, DbConnection};
use crate::domain::customer::Customer;
use crate::domain::reconciliation::reconcile;
use crate::domain::{CustomerId, OrderId, ProductId};
use crate::domain::{KgAmount, Period};
use crate::error::OpError;

/// The most orders one answer names.
pub const MAX_AT_RISK: usize = 500;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AtRiskQuery {
    /// First month, YYYY-MM.
    #[param(value_type = String, example = "2027-01")]
    pub from: Period,
    /// Last month, YYYY-MM (at most 120 months after `from`).
    #[param(value_type = String, example = "2027-12")]
    pub to: Period,
    /// Only this product's orders.
    #[param(value_type = Option<uuid::Uuid>)]
    pub product_id: Option<ProductId>,
}

/// One confirmed order that a short month puts at risk.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderAtRisk {
    /// The short month that puts it at risk.
    #[schema(example = "2027-03")]
    pub short_period: Period,
    #[schema(value_type = uuid::Uuid)]
    pub order_id: OrderId,
    #[schema(example = "SO-2026-000042")]
    pub number: String,
    /// The order's own delivery month.
    #[schema(example = "2027-03")]
    pub period: Period,
    #[schema(value_type = uuid::Uuid)]
    pub customer_id: CustomerId,
    #[schema(example = "JP-MAGNETICS")]
    pub customer_code: String,
    pub customer_name: String,
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    #[schema(example = "NDPR-OXIDE")]
    pub product_code: String,
    #[schema(example = "5000.000")]
    pub quantity_kg: KgAmount,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrdersAtRisk {
    pub from: Period,
    pub to: Period,
    /// In product and month order, the latest confirmed first within a month; at most 500.
    pub items: Vec<OrderAtRisk>,
    /// Whether more orders are at risk than are named here.
    pub truncated: bool,
}

/// Names orders at risk one by one — number, customer, quantity — up to [`MAX_AT_RISK`],
/// reading each customer once.
#[derive(Default)]
pub struct AtRiskNames {
    customers: HashMap<CustomerId, Customer>,
    pub items: Vec<OrderAtRisk>,
    pub truncated: bool,
}

impl AtRiskNames {
    /// Names `order_id`, put at risk by `short_period`; false once the list is full.
    pub fn add(
        &mut self,
        conn: &mut DbConnection,
        short_period: Period,
        order_id: OrderId,
        product: (ProductId, &str),
    ) -> Result<bool, OpError> {
        if self.items.len() == MAX_AT_RISK {
            self.truncated = true;
            return Ok(false);
        }
        let order = crate::orders::get(conn, order_id)?;
        let customer = match self.customers.entry(order.customer_id) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => slot.insert(crate::master::get(conn, order.customer_id)?),
        };
        self.items.push(OrderAtRisk {
            short_period,
            order_id,
            number: order.number,
            period: order.period,
            customer_id: customer.id,
            customer_code: customer.code.clone(),
            customer_name: customer.name.clone(),
            product_id: product.0,
            product_code: product.1.to_string(),
            quantity_kg: KgAmount::from_grams(order.quantity_kg.grams().unwrap_or(0)),
        });
        Ok(true)
    }
}

/// The orders at risk in `from`–`to`, for every active product or one.
pub fn orders_at_risk(conn: &mut DbConnection, q: &AtRiskQuery) -> Result<OrdersAtRisk, OpError> {
    super::check_range(Some(q.from), Some(q.to))?;
    let mut names = AtRiskNames::default();
    let products = match q.product_id {
        Some(id) => vec![(id, products::find(conn, id)?.code)],
        None => products::active_codes(conn)?,
    };
    'products: for (product_id, product_code) in products {
        let pos =
            product_position::load_with_risk(conn, product_id, None, Some(q.from), Some(q.to))?;
        for row in reconcile(&pos, Some(q.from), Some(q.to)) {
            for &order_id in &row.orders_at_risk {
                if !names.add(conn, row.period, order_id, (product_id, &product_code))? {
                    break 'products;
                }
            }
        }
    }
    Ok(OrdersAtRisk {
        from: q.from,
        to: q.to,
        items: names.items,
        truncated: names.truncated,
    })
}

impl OrdersAtRisk {
    /// The same rows as CSV (`GET /api/v1/reconciliation/orders-at-risk.csv`).
    pub fn csv(&self) -> crate::report::Csv {
        crate::report::Csv::new(
            "orders-at-risk.csv",
            &[
                "short_period",
                "number",
                "period",
                "customer_code",
                "customer_name",
                "product_code",
                "quantity_kg",
                "order_id",
            ],
            self.items.iter().map(|o| {
                vec![
                    o.short_period.to_string(),
                    o.number.clone(),
                    o.period.to_string(),
                    o.customer_code.clone(),
                    o.customer_name.clone(),
                    o.product_code.clone(),
                    o.quantity_kg.display().to_string(),
                    o.order_id.to_string(),
                ]
            }),
        )
    }
}
