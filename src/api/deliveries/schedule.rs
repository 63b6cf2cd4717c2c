use actix_web::{get, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::csv;
use crate::auth::Principal;
use crate::db::scaled::kg;
use crate::db::schema::{contract_lines, contracts, orders};
use crate::domain::fulfilment::band;
use crate::domain::{Kg, Period};
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    #[param(value_type = String, example = "2027-01")]
    from: Period,
    #[param(value_type = String, example = "2027-06")]
    to: Period,
    customer_id: Option<uuid::Uuid>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Due,
    PartiallyShipped,
    Shipped,
    Delivered,
    /// The month is over and less than the tolerance band has shipped.
    Late,
}

/// Something due in a month: a contract's scheduled quantity, or an order.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    /// `contract` for a schedule month, `spot` or `add_on` for an order.
    #[schema(example = "contract")]
    pub kind: String,
    #[schema(example = "LTC-2027-00001")]
    pub number: String,
    pub contract_id: Option<uuid::Uuid>,
    pub order_id: Option<uuid::Uuid>,
    pub customer_id: uuid::Uuid,
    pub product_id: uuid::Uuid,
    #[schema(example = "2027-01")]
    pub period: Period,
    pub due_kg: Kg,
    pub shipped_kg: Kg,
    pub delivered_kg: Kg,
    pub status: DeliveryStatus,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliverySchedule {
    pub items: Vec<Delivery>,
}

fn delivery_status(
    due: i64,
    shipped: i64,
    delivered: i64,
    tolerance: i64,
    period: Period,
    current: Period,
) -> DeliveryStatus {
    let (lower, _) = band(due, tolerance);
    if delivered >= lower && delivered > 0 {
        DeliveryStatus::Delivered
    } else if shipped >= lower && shipped > 0 {
        DeliveryStatus::Shipped
    } else if period < current {
        DeliveryStatus::Late
    } else if shipped > 0 {
        DeliveryStatus::PartiallyShipped
    } else {
        DeliveryStatus::Due
    }
}

type ContractMonth = (String, String, String, String, i64, String, i64);
type OrderDue = (
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    Option<String>,
);

/// The delivery schedule
///
/// Everything due in `from`–`to` across contracts and orders, optionally for one customer:
/// due, shipped and delivered kilograms and whether it is due, partially shipped, shipped,
/// delivered or late. For a sales dashboard; `Accept: text/csv` too.
#[utoipa::path(
    tag = "deliveries",
    params(DeliveryQuery),
    responses(
        (status = 200, description = "Deliveries by month", content(
            (DeliverySchedule = "application/json"),
            (String = "text/csv"),
        )),
        ReadErrors,
    ),
)]
#[get("/deliveries")]
pub async fn list_deliveries(
    req: HttpRequest,
    state: web::Data<AppState>,
    _caller: Principal,
    query: web::Query<DeliveryQuery>,
) -> Result<HttpResponse, ApiError> {
    let DeliveryQuery {
        from,
        to,
        customer_id,
    } = query.into_inner();
    crate::api::reconciliation::check_range(Some(from), Some(to))?;
    let items = state
        .db
        .read(move |conn| {
            let mut cq = contract_lines::table
                .inner_join(contracts::table)
                .filter(contracts::status.ne("draft"))
                .filter(contract_lines::period.ge(from.to_string()))
                .filter(contract_lines::period.le(to.to_string()))
                .select((
                    contracts::id,
                    contracts::number,
                    contracts::customer_id,
                    contracts::product_id,
                    contracts::tolerance_milli_pct,
                    contract_lines::period,
                    contract_lines::quantity_g,
                ))
                .into_boxed();
            let mut oq = orders::table
                .filter(orders::status.eq_any(super::committed_order_statuses()))
                .filter(orders::period.ge(from.to_string()))
                .filter(orders::period.le(to.to_string()))
                .select((
                    orders::id,
                    orders::number,
                    orders::order_type,
                    orders::customer_id,
                    orders::product_id,
                    orders::quantity_g,
                    orders::period,
                    orders::contract_id,
                ))
                .into_boxed();
            if let Some(c) = customer_id {
                cq = cq.filter(contracts::customer_id.eq(c.to_string()));
                oq = oq.filter(orders::customer_id.eq(c.to_string()));
            }
            let months: Vec<ContractMonth> = cq.load(conn)?;
            let order_rows: Vec<OrderDue> = oq.load(conn)?;
            let contract_ids: Vec<String> = months.iter().map(|m| m.0.clone()).collect();
            let order_ids: Vec<String> = order_rows.iter().map(|o| o.0.clone()).collect();
            let moved = super::moved(conn, &contract_ids, &order_ids)?;
            let current = crate::clock::current_period();
            let uuid = |s: &str| uuid::Uuid::parse_str(s).unwrap_or_default();
            let mut items = Vec::new();
            for (id, number, customer, product, tolerance, period, due) in months {
                let Some(p) = Period::parse(&period) else {
                    continue;
                };
                let (shipped, delivered) = moved
                    .contract_months
                    .get(&(id.clone(), period))
                    .copied()
                    .unwrap_or((0, 0));
                items.push(Delivery {
                    kind: "contract".into(),
                    number,
                    contract_id: Some(uuid(&id)),
                    order_id: None,
                    customer_id: uuid(&customer),
                    product_id: uuid(&product),
                    period: p,
                    due_kg: kg(due),
                    shipped_kg: kg(shipped),
                    delivered_kg: kg(delivered),
                    status: delivery_status(due, shipped, delivered, tolerance, p, current),
                });
            }
            for (id, number, kind, customer, product, due, period, contract) in order_rows {
                let Some(p) = Period::parse(&period) else {
                    continue;
                };
                let (shipped, delivered) = moved.orders.get(&id).copied().unwrap_or((0, 0));
                items.push(Delivery {
                    kind,
                    number,
                    contract_id: contract.as_deref().map(uuid),
                    order_id: Some(uuid(&id)),
                    customer_id: uuid(&customer),
                    product_id: uuid(&product),
                    period: p,
                    due_kg: kg(due),
                    shipped_kg: kg(shipped),
                    delivered_kg: kg(delivered),
                    status: delivery_status(due, shipped, delivered, 0, p, current),
                });
            }
            items.sort_by(|a, b| a.period.cmp(&b.period).then(a.number.cmp(&b.number)));
            Ok(items)
        })
        .await?;
    if csv::wanted(&req) {
        let status = |s: DeliveryStatus| {
            serde_json::to_value(s)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        let rows = items.iter().map(|d| {
            vec![
                d.period.to_string(),
                d.kind.clone(),
                d.number.clone(),
                d.customer_id.to_string(),
                d.product_id.to_string(),
                d.due_kg.display().to_string(),
                d.shipped_kg.display().to_string(),
                d.delivered_kg.display().to_string(),
                status(d.status),
            ]
        });
        return Ok(csv::response(
            "deliveries.csv",
            &[
                "period",
                "kind",
                "number",
                "customer_id",
                "product_id",
                "due_kg",
                "shipped_kg",
                "delivered_kg",
                "status",
            ],
            rows.collect::<Vec<_>>(),
        ));
    }
    Ok(HttpResponse::Ok().json(DeliverySchedule { items }))
}
