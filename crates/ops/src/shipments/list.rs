use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::db::{shipments, DbConnection};
use crate::domain::lifecycle::ShipmentStatus;
use crate::domain::shipment::Shipment;
use crate::domain::Period;
use crate::domain::{ContractId, CustomerId, OrderId, ProductId, ShipmentId};
use crate::error::OpError;
use crate::page::{Page, PageRequest};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ShipmentFilter {
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only shipments changed at or after this instant (RFC 3339), for incremental sync.
    pub updated_since: Option<DateTime<Utc>>,
    pub status: Option<ShipmentStatus>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub order_id: Option<OrderId>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub contract_id: Option<ContractId>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub customer_id: Option<CustomerId>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub product_id: Option<ProductId>,
    #[param(value_type = Option<String>, example = "2027-01")]
    pub from: Option<Period>,
    #[param(value_type = Option<String>, example = "2027-12")]
    pub to: Option<Period>,
}

pub fn list(conn: &mut DbConnection, f: &ShipmentFilter) -> Result<Page<Shipment>, OpError> {
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    let filter = shipments::Filter {
        status: f.status,
        order_id: f.order_id,
        contract_id: f.contract_id,
        customer_id: f.customer_id,
        product_id: f.product_id,
        from: f.from,
        to: f.to,
        updated_since: f.updated_since,
    };
    let (items, next) = shipments::list(conn, &filter, page.limit, page.cursor.as_ref())?;
    Ok(Page::new(items, next))
}

pub fn get(conn: &mut DbConnection, id: ShipmentId) -> Result<Shipment, OpError> {
    shipments::find(conn, id)
}
