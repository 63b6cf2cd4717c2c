use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::contracts;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = contracts, treat_none_as_null = true)]
pub struct ContractRow {
    pub id: String,
    pub number: String,
    pub customer_id: String,
    pub product_id: String,
    pub start_period: String,
    pub end_period: String,
    pub tolerance_milli_pct: i64,
    pub incoterm: String,
    pub incoterm_place: String,
    pub currency: String,
    pub payment_terms: String,
    pub pricing_json: String,
    pub addon_premium_e4: Option<i64>,
    pub priority: i32,
    pub status: String,
    pub external_ref: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
    pub ended_period: Option<String>,
    pub quality_terms_json: String,
    pub provisional_payment_milli_pct: i64,
}

crate::versioned::versioned_row!(ContractRow, contracts);
