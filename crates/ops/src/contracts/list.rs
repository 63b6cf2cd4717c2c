use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::db::{contracts, DbConnection};
use crate::domain::contract::Contract;
use crate::domain::lifecycle::ContractStatus;
use crate::domain::Period;
use crate::domain::{CustomerId, ProductId};
use crate::error::OpError;
use crate::page::{Page, PageRequest};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ContractFilter {
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only contracts changed at or after this instant (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
    pub status: Option<ContractStatus>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub customer_id: Option<CustomerId>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub product_id: Option<ProductId>,
    /// Only contracts whose term overlaps `from`–`to` (YYYY-MM).
    #[param(value_type = Option<String>, example = "2027-01")]
    pub from: Option<Period>,
    #[param(value_type = Option<String>, example = "2027-12")]
    pub to: Option<Period>,
    pub number: Option<String>,
    pub external_ref: Option<String>,
}

/// Contracts in creation order, filtered.
pub fn list(conn: &mut DbConnection, f: &ContractFilter) -> Result<Page<Contract>, OpError> {
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    let filter = contracts::Filter {
        status: f.status,
        customer_id: f.customer_id,
        product_id: f.product_id,
        from: f.from,
        to: f.to,
        number: f.number.clone(),
        external_ref: f.external_ref.clone(),
        updated_since: f.updated_since,
    };
    let (mut items, next) = contracts::list(conn, &filter, page.limit, page.cursor.as_ref())?;
    for c in &mut items {
        c.fulfilment = Some(super::fulfilment::totals(&super::fulfilment::fulfilment(
            conn, c.id,
        )?));
    }
    Ok(Page::new(items, next))
}
