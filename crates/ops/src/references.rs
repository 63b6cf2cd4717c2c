//! Checks that a change refers to customers, products and price indices that exist and may
//! take new business.

use crate::db::{customers, price_indices, products, DbConnection};
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::reference::reference_problem;
use crate::domain::{CustomerId, ProductId};
use crate::error::{FieldError, OpError};

/// What is wrong with referring to this customer in new business, if anything.
pub fn customer_problem(
    conn: &mut DbConnection,
    id: CustomerId,
    field: &str,
) -> Result<Option<FieldError>, OpError> {
    Ok(reference_problem(
        customers::status(conn, id)?,
        field,
        "customer",
    ))
}

/// What is wrong with referring to this product in new business, if anything.
pub fn product_problem(
    conn: &mut DbConnection,
    id: ProductId,
    field: &str,
) -> Result<Option<FieldError>, OpError> {
    Ok(reference_problem(
        products::status(conn, id)?,
        field,
        "product",
    ))
}

/// The index of index-linked terms must exist. Its currency may differ from the terms': the
/// month's average is converted at the month's mean FX fixing.
pub fn index_problem(
    conn: &mut DbConnection,
    pricing: &PricingTerms,
    field: &str,
) -> Result<Option<FieldError>, OpError> {
    let Some(index_id) = pricing.index_id() else {
        return Ok(None);
    };
    Ok(match price_indices::currency(conn, index_id)? {
        None => Some(FieldError::new(field, "no such price index")),
        Some(_) => None,
    })
}
