use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::production_plans;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = production_plans, treat_none_as_null = true)]
pub struct PlanRow {
    pub id: String,
    pub version_no: i64,
    pub note: String,
    pub status: String,
    pub approved_at: Option<NaiveDateTime>,
    pub approved_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

crate::versioned::versioned_row!(PlanRow, production_plans);
