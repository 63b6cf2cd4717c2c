pub use crate::domain::shipment::ShipmentFilter;

use crate::db::worklist::ListSearch;
use crate::db::{shipments, DbConnection};
use crate::domain::shipment::Shipment;
use crate::domain::worklist::{ShipmentSort, Worklist};
use crate::domain::ShipmentId;
use crate::error::OpError;
use crate::names::{Names, Party};
use crate::page::{Page, PageRequest};

pub fn list(conn: &mut DbConnection, f: &ShipmentFilter) -> Result<Page<Shipment>, OpError> {
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    let (items, next) = shipments::list(conn, f, page.limit, page.cursor.as_ref())?;
    Ok(Page::new(items, next))
}

pub fn get(conn: &mut DbConnection, id: ShipmentId) -> Result<Shipment, OpError> {
    shipments::find(conn, id)
}

/// A shipment as a worklist row shows it: its customer, product, and the order or contract it
/// delivers, by name.
#[derive(Debug, Clone)]
pub struct ShipmentListing {
    pub shipment: Shipment,
    pub customer: Party,
    pub product_code: String,
    /// The order's or the contract's number.
    pub delivers: String,
}

pub type ShipmentSearch = ListSearch<ShipmentSort>;

/// One page of the shipment worklist.
pub fn worklist(
    conn: &mut DbConnection,
    f: &ShipmentFilter,
    s: &ShipmentSearch,
) -> Result<Worklist<ShipmentListing>, OpError> {
    let page = shipments::worklist(conn, f, s)?;
    let mut names = Names::default();
    page.try_map(|shipment| {
        let delivers = match (shipment.order_id, shipment.contract_id) {
            (Some(o), _) => names.order(conn, o)?,
            (None, Some(c)) => names.contract(conn, c)?,
            (None, None) => String::new(),
        };
        Ok(ShipmentListing {
            customer: names.customer(conn, shipment.customer_id)?,
            product_code: names.product(conn, shipment.product_id)?,
            delivers,
            shipment,
        })
    })
}
