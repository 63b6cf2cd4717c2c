use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::{export_licences, shipments};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = shipments, treat_none_as_null = true)]
pub struct ShipmentRow {
    pub id: String,
    pub number: String,
    pub order_id: Option<String>,
    pub contract_id: Option<String>,
    pub period: String,
    pub customer_id: String,
    pub product_id: String,
    pub quantity_g: i64,
    pub lots_json: String,
    pub planned_ship_date: NaiveDate,
    pub shipped_on: Option<NaiveDate>,
    pub delivered_on: Option<NaiveDate>,
    pub vessel: Option<String>,
    pub voyage: Option<String>,
    pub bl_number: Option<String>,
    pub containers_json: Option<String>,
    pub export_licence_id: Option<String>,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
    pub transport_mode: String,
    pub air_waybill: Option<String>,
    pub flight: Option<String>,
    pub consignment_note: Option<String>,
}

crate::versioned::versioned_row!(ShipmentRow, shipments);

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = export_licences, treat_none_as_null = true)]
pub struct LicenceRow {
    pub id: String,
    pub number: String,
    pub product_id: String,
    pub customer_id: String,
    pub quantity_g: i64,
    pub shipped_g: i64,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

crate::versioned::versioned_row!(LicenceRow, export_licences);
