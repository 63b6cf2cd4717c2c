//! The desk's order worklist: the list's filters, any of several statuses, a search by number
//! or external reference, sorting by any column, numbered pages — each order with the names a
//! person reads (customer, product, contract) beside its ids.

use crate::db::{self, DbConnection};
use crate::domain::order::{Order, OrderFilter};
use crate::domain::worklist::Worklist;
use crate::error::OpError;
use crate::names::{Names, Party};

pub use crate::db::orders::Search as OrderSearch;

/// An order as a worklist row shows it.
#[derive(Debug, Clone)]
pub struct OrderListing {
    pub order: Order,
    pub customer: Party,
    pub product_code: String,
    /// The contract an add-on order adds to.
    pub contract_number: Option<String>,
}

impl OrderListing {
    pub fn of(
        conn: &mut DbConnection,
        names: &mut Names,
        order: Order,
    ) -> Result<OrderListing, OpError> {
        Ok(OrderListing {
            customer: names.customer(conn, order.customer_id)?,
            product_code: names.product(conn, order.product_id)?,
            contract_number: order
                .contract_id
                .map(|id| names.contract(conn, id))
                .transpose()?,
            order,
        })
    }
}

/// One page of the order worklist.
pub fn worklist(
    conn: &mut DbConnection,
    f: &OrderFilter,
    s: &OrderSearch,
) -> Result<Worklist<OrderListing>, OpError> {
    let page = db::orders::worklist(conn, f, s)?;
    let mut names = Names::default();
    page.try_map(|o| OrderListing::of(conn, &mut names, o))
}
