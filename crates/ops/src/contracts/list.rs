pub use crate::domain::contract::ContractFilter;

use crate::db::{contracts, DbConnection};
use crate::domain::contract::Contract;
use crate::error::OpError;
use crate::page::{Page, PageRequest};

/// Contracts in creation order, filtered.
pub fn list(conn: &mut DbConnection, f: &ContractFilter) -> Result<Page<Contract>, OpError> {
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    let (mut items, next) = contracts::list(conn, f, page.limit, page.cursor.as_ref())?;
    for c in &mut items {
        c.fulfilment = Some(super::fulfilment::totals(&super::fulfilment::fulfilment(
            conn, c.id,
        )?));
    }
    Ok(Page::new(items, next))
}
