pub use crate::domain::order::OrderFilter;

use crate::db::{orders, DbConnection};
use crate::domain::order::Order;
use crate::error::OpError;
use crate::page::{Page, PageRequest};

pub fn list(conn: &mut DbConnection, f: &OrderFilter) -> Result<Page<Order>, OpError> {
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    let (items, next) = orders::list(conn, f, page.limit, page.cursor.as_ref())?;
    Ok(Page::new(items, next))
}
