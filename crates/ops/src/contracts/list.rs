pub use crate::domain::contract::ContractFilter;

use crate::db::worklist::ListSearch;
use crate::db::{contracts, DbConnection};
use crate::domain::contract::Contract;
use crate::domain::worklist::{ContractSort, Worklist};
use crate::error::OpError;
use crate::names::{Names, Party};
use crate::page::{Page, PageRequest};

/// Contracts in creation order, filtered.
pub fn list(conn: &mut DbConnection, f: &ContractFilter) -> Result<Page<Contract>, OpError> {
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    let (mut items, next) = contracts::list(conn, f, page.limit, page.cursor.as_ref())?;
    for c in &mut items {
        with_totals(conn, c)?;
    }
    Ok(Page::new(items, next))
}

fn with_totals(conn: &mut DbConnection, c: &mut Contract) -> Result<(), OpError> {
    c.fulfilment = Some(super::fulfilment::totals(&super::fulfilment::fulfilment(
        conn, c.id,
    )?));
    Ok(())
}

/// A contract as a worklist row shows it.
#[derive(Debug, Clone)]
pub struct ContractListing {
    pub contract: Contract,
    pub customer: Party,
    pub product_code: String,
}

pub type ContractSearch = ListSearch<ContractSort>;

/// One page of the contract worklist, each with its fulfilment totals and names.
pub fn worklist(
    conn: &mut DbConnection,
    f: &ContractFilter,
    s: &ContractSearch,
) -> Result<Worklist<ContractListing>, OpError> {
    let page = contracts::worklist(conn, f, s)?;
    let mut names = Names::default();
    page.try_map(|mut contract| {
        with_totals(conn, &mut contract)?;
        Ok(ContractListing {
            customer: names.customer(conn, contract.customer_id)?,
            product_code: names.product(conn, contract.product_id)?,
            contract,
        })
    })
}

pub use crate::db::contracts::ContractLabel;

/// Contracts as choices name them (of one status when given), by number: no schedule, no
/// totals, one query.
pub fn labels(
    conn: &mut DbConnection,
    status: Option<crate::domain::lifecycle::ContractStatus>,
) -> Result<Vec<ContractLabel>, OpError> {
    contracts::labels(conn, status)
}
