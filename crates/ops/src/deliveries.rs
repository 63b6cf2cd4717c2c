//! The delivery schedule: everything due across contracts and orders, and where it stands.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::{deliveries, DbConnection};
use crate::domain::fulfilment::{delivery_status, DeliveryStatus};
use crate::domain::{ContractId, CustomerId, OrderId, ProductId};
use crate::domain::{KgAmount, Period};
use crate::error::OpError;
use crate::names::Names;
use crate::report::{text, Csv};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    #[param(value_type = String, example = "2027-01")]
    pub from: Period,
    #[param(value_type = String, example = "2027-06")]
    pub to: Period,
    #[param(value_type = Option<uuid::Uuid>)]
    pub customer_id: Option<CustomerId>,
    /// Only this product's commitments.
    #[param(value_type = Option<uuid::Uuid>)]
    pub product_id: Option<ProductId>,
    /// Only rows in this state (`late` for what is overdue).
    pub status: Option<DeliveryStatus>,
}

/// Something due in a month: a contract's scheduled quantity, or an order.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    /// `contract` for a schedule month, `spot` or `add_on` for an order.
    #[schema(example = "contract")]
    pub kind: String,
    #[schema(example = "LTC-2027-00001")]
    pub number: String,
    #[schema(value_type = Option<uuid::Uuid>)]
    pub contract_id: Option<ContractId>,
    #[schema(value_type = Option<uuid::Uuid>)]
    pub order_id: Option<OrderId>,
    #[schema(value_type = uuid::Uuid)]
    pub customer_id: CustomerId,
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    #[schema(example = "2027-01")]
    pub period: Period,
    pub due_kg: KgAmount,
    pub shipped_kg: KgAmount,
    pub delivered_kg: KgAmount,
    pub status: DeliveryStatus,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliverySchedule {
    pub items: Vec<Delivery>,
}

/// Everything due in `from`–`to` across contracts and orders, optionally for one customer.
pub fn schedule(conn: &mut DbConnection, q: &DeliveryQuery) -> Result<DeliverySchedule, OpError> {
    crate::reconciliation::check_range(Some(q.from), Some(q.to))?;
    let (months, orders) = deliveries::due(conn, q.from, q.to, q.customer_id, q.product_id)?;
    let moved = deliveries::moved_in(conn, q.from, q.to, q.customer_id, q.product_id)?;
    let current = crate::domain::clock::current_period();
    let mut items = Vec::with_capacity(months.len() + orders.len());
    for m in months {
        let (shipped, delivered) = moved.contract_month(&m.contract_id, m.period);
        items.push(Delivery {
            kind: "contract".into(),
            contract_id: Some(crate::db::parse::id(&m.contract_id, "contracts.id")?),
            number: m.number,
            order_id: None,
            customer_id: m.customer_id,
            product_id: m.product_id,
            period: m.period,
            due_kg: KgAmount::from_grams(m.grams),
            shipped_kg: KgAmount::from_grams(shipped),
            delivered_kg: KgAmount::from_grams(delivered),
            status: delivery_status(
                m.grams,
                shipped,
                delivered,
                m.tolerance_milli_pct,
                m.period,
                current,
            ),
        });
    }
    for o in orders {
        let (shipped, delivered) = moved.order(&o.order_id);
        items.push(Delivery {
            kind: o.order_type.as_str().into(),
            order_id: Some(crate::db::parse::id(&o.order_id, "orders.id")?),
            number: o.number,
            contract_id: o.contract_id,
            customer_id: o.customer_id,
            product_id: o.product_id,
            period: o.period,
            due_kg: KgAmount::from_grams(o.grams),
            shipped_kg: KgAmount::from_grams(shipped),
            delivered_kg: KgAmount::from_grams(delivered),
            status: delivery_status(o.grams, shipped, delivered, 0, o.period, current),
        });
    }
    if let Some(status) = q.status {
        items.retain(|d| d.status == status);
    }
    items.sort_by(|a, b| a.period.cmp(&b.period).then(a.number.cmp(&b.number)));
    Ok(DeliverySchedule { items })
}

impl DeliverySchedule {
    /// The schedule with the order or contract, the customer and the product named beside
    /// their ids.
    pub fn csv(&self, conn: &mut DbConnection) -> Result<Csv, OpError> {
        let mut names = Names::default();
        let rows = self
            .items
            .iter()
            .map(|d| {
                let customer = names.customer(conn, d.customer_id)?;
                Ok(vec![
                    d.period.to_string(),
                    d.kind.clone(),
                    d.number.clone(),
                    text(&d.order_id),
                    text(&d.contract_id),
                    d.customer_id.to_string(),
                    customer.code,
                    customer.name,
                    d.product_id.to_string(),
                    names.product(conn, d.product_id)?,
                    d.due_kg.display().to_string(),
                    d.shipped_kg.display().to_string(),
                    d.delivered_kg.display().to_string(),
                    d.status.as_str().to_string(),
                ])
            })
            .collect::<Result<Vec<_>, OpError>>()?;
        Ok(Csv::new(
            "deliveries.csv",
            &[
                "period",
                "kind",
                "number",
                "order_id",
                "contract_id",
                "customer_id",
                "customer_code",
                "customer_name",
                "product_id",
                "product_code",
                "due_kg",
                "shipped_kg",
                "delivered_kg",
                "status",
            ],
            rows,
        ))
    }
}
