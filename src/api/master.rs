//! Checks on master data that commitments refer to.

use diesel::prelude::*;

use crate::db::schema::{customers, products};
use crate::db::DbConnection;
use crate::domain::reference::MasterStatus;
use crate::error::{ApiError, FieldError};

fn problem(status: Option<String>, field: &str, what: &str) -> Option<FieldError> {
    match status.as_deref() {
        None => Some(FieldError::new(field, format!("no such {what}"))),
        Some(s) if s == MasterStatus::Archived.as_str() => {
            Some(FieldError::new(field, format!("the {what} is archived")))
        }
        _ => None,
    }
}

/// What is wrong with referring to this customer in new business, if anything.
pub fn customer_problem(
    conn: &mut DbConnection,
    id: &str,
    field: &str,
) -> Result<Option<FieldError>, ApiError> {
    let status = customers::table
        .find(id)
        .select(customers::status)
        .first(conn)
        .optional()?;
    Ok(problem(status, field, "customer"))
}

/// What is wrong with referring to this product in new business, if anything.
pub fn product_problem(
    conn: &mut DbConnection,
    id: &str,
    field: &str,
) -> Result<Option<FieldError>, ApiError> {
    let status = products::table
        .find(id)
        .select(products::status)
        .first(conn)
        .optional()?;
    Ok(problem(status, field, "product"))
}
