pub use crate::domain::shipment::ShipmentFilter;

use crate::db::{shipments, DbConnection};
use crate::domain::shipment::Shipment;
use crate::domain::ShipmentId;
use crate::error::OpError;
use crate::page::{Page, PageRequest};

pub fn list(conn: &mut DbConnection, f: &ShipmentFilter) -> Result<Page<Shipment>, OpError> {
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    let (items, next) = shipments::list(conn, f, page.limit, page.cursor.as_ref())?;
    Ok(Page::new(items, next))
}

pub fn get(conn: &mut DbConnection, id: ShipmentId) -> Result<Shipment, OpError> {
    shipments::find(conn, id)
}
