use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::orders;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = orders, treat_none_as_null = true)]
pub struct OrderRow {
    pub id: String,
    pub number: String,
    pub order_type: String,
    pub customer_id: String,
    pub product_id: String,
    pub contract_id: Option<String>,
    pub period: String,
    pub quantity_g: i64,
    pub pricing_json: String,
    pub pricing_source: String,
    pub currency: String,
    pub incoterm: String,
    pub incoterm_place: String,
    pub status: String,
    pub confirmed_at: Option<NaiveDateTime>,
    pub external_ref: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
    pub quality_terms_json: String,
}

crate::versioned::versioned_row!(OrderRow, orders);
