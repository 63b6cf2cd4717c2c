//! Contract terms checked as a whole: the pure rules, then the references they make.

use crate::db::{contracts, DbConnection};
use crate::domain::contract::{Contract, ContractTerms};
use crate::error::OpError;
use crate::references::{customer_problem, index_problem, product_problem};

/// All rules, including that the customer, product and price index exist and fit.
pub fn validate(conn: &mut DbConnection, t: &ContractTerms) -> Result<(), OpError> {
    let mut errors = t.problems();
    errors.extend(customer_problem(conn, t.customer_id, "customer_id")?);
    errors.extend(product_problem(conn, t.product_id, "product_id")?);
    errors.extend(index_problem(conn, &t.pricing, "pricing.index_id")?);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(OpError::Validation(errors))
    }
}

/// 409 when another contract has this number or external_ref.
pub fn ensure_unique(conn: &mut DbConnection, c: &Contract) -> Result<(), OpError> {
    if contracts::number_taken(conn, &c.number, c.id)? {
        return Err(OpError::conflict(format!(
            "a contract numbered {} exists",
            c.number
        )));
    }
    if let Some(ext) = &c.external_ref {
        if contracts::ref_taken(conn, ext, c.id)? {
            return Err(OpError::conflict(format!(
                "a contract with external_ref {ext} exists"
            )));
        }
    }
    Ok(())
}
