use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::settlements;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = settlements, treat_none_as_null = true)]
pub struct SettlementRow {
    pub shipment_id: String,
    pub customer_id: String,
    pub product_id: String,
    pub contract_id: Option<String>,
    pub order_id: Option<String>,
    pub period: String,
    pub currency: String,
    pub status: String,
    pub shipped_on: NaiveDate,
    pub payment_milli_pct: i64,
    pub provisional_json: String,
    pub final_json: Option<String>,
    pub book_currency: String,
    pub finalised_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}
