use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::products;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = products, treat_none_as_null = true)]
pub struct ProductRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub form: String,
    pub min_purity_milli_pct: Option<i64>,
    pub hs_code: Option<String>,
    pub export_controlled: bool,
    pub external_ref: Option<String>,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

crate::versioned::versioned_row!(ProductRow, products);
