use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::customers;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = customers, treat_none_as_null = true)]
pub struct CustomerRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub country: String,
    pub external_ref: Option<String>,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

crate::versioned::versioned_row!(CustomerRow, customers);
