//! The `customers` table.

use diesel::prelude::*;

use crate::domain::customer::Customer;
use crate::domain::customer::CustomerFilter;
use crate::domain::reference::MasterStatus;
use crate::domain::CustomerId;
use crate::error::OpError;
use crate::page::{after_cursor, page_of, Cursor};
use crate::parse;
use crate::rows::CustomerRow;
use crate::schema::customers;
use crate::DbConnection;

crate::master::master_repo!(customers, CustomerRow, Customer, CustomerId, "customer");
crate::master::ref_taken!(customers, CustomerRow, Customer, CustomerId);

fn to_entity(r: CustomerRow) -> Result<Customer, OpError> {
    Ok(Customer {
        id: parse::id(&r.id, "customers.id")?,
        status: parse::status(&r.status, "customers.status", MasterStatus::parse)?,
        code: r.code,
        name: r.name,
        country: r.country,
        external_ref: r.external_ref,
        created_at: parse::utc(r.created_at),
        updated_at: parse::utc(r.updated_at),
        version: r.version,
    })
}

fn to_row(c: &Customer) -> Result<CustomerRow, OpError> {
    Ok(CustomerRow {
        id: c.id.to_string(),
        code: c.code.clone(),
        name: c.name.clone(),
        country: c.country.clone(),
        external_ref: c.external_ref.clone(),
        status: c.status.as_str().into(),
        created_at: parse::naive(c.created_at),
        updated_at: parse::naive(c.updated_at),
        version: c.version,
    })
}

pub fn list(
    conn: &mut DbConnection,
    f: &CustomerFilter,
    limit: i64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<Customer>, Option<Cursor>), OpError> {
    let mut q = customers::table
        .select(CustomerRow::as_select())
        .into_boxed();
    if let Some(s) = f.status {
        q = q.filter(customers::status.eq(s.as_str()));
    }
    if let Some(c) = &f.country {
        q = q.filter(customers::country.eq(c.clone()));
    }
    if let Some(c) = &f.code {
        q = q.filter(customers::code.eq(c.clone()));
    }
    if let Some(e) = &f.external_ref {
        q = q.filter(customers::external_ref.eq(e.clone()));
    }
    if let Some(t) = f.updated_since {
        q = q.filter(customers::updated_at.ge(t.naive_utc()));
    }
    let rows: Vec<CustomerRow> = after_cursor!(q, customers, cursor, limit).load(conn)?;
    page_of(rows, limit, to_entity)
}

/// Code and name of every customer, for reports and pickers.
pub fn names(conn: &mut DbConnection) -> Result<Vec<(CustomerId, String, String)>, OpError> {
    let rows: Vec<(String, String, String)> = customers::table
        .order(customers::code.asc())
        .select((customers::id, customers::code, customers::name))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, code, name)| Ok((parse::id(&id, "customers.id")?, code, name)))
        .collect()
}
