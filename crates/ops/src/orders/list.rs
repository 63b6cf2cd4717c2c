use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::db::{orders, DbConnection};
use crate::domain::lifecycle::{OrderStatus, OrderType};
use crate::domain::order::Order;
use crate::domain::Period;
use crate::domain::{ContractId, CustomerId, ProductId};
use crate::error::OpError;
use crate::page::{Page, PageRequest};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrderFilter {
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only orders changed at or after this instant (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
    pub status: Option<OrderStatus>,
    pub order_type: Option<OrderType>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub customer_id: Option<CustomerId>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub product_id: Option<ProductId>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub contract_id: Option<ContractId>,
    /// Delivery months from (YYYY-MM, inclusive).
    #[param(value_type = Option<String>, example = "2027-01")]
    pub from: Option<Period>,
    /// Delivery months to (YYYY-MM, inclusive).
    #[param(value_type = Option<String>, example = "2027-12")]
    pub to: Option<Period>,
    pub number: Option<String>,
    pub external_ref: Option<String>,
}

pub fn list(conn: &mut DbConnection, f: &OrderFilter) -> Result<Page<Order>, OpError> {
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    let filter = orders::Filter {
        status: f.status,
        order_type: f.order_type,
        customer_id: f.customer_id,
        product_id: f.product_id,
        contract_id: f.contract_id,
        from: f.from,
        to: f.to,
        number: f.number.clone(),
        external_ref: f.external_ref.clone(),
        updated_since: f.updated_since,
    };
    let (items, next) = orders::list(conn, &filter, page.limit, page.cursor.as_ref())?;
    Ok(Page::new(items, next))
}
