//! `/api/v1/customers`: the buyers, synchronised with the ERP through `external_ref`.

mod archive;
mod create;
mod list;
mod read;
mod update;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::validate::{double_option, Checks};
use crate::db::models::customer::CustomerRow;
use crate::db::schema::customers;
use crate::db::DbConnection;
use crate::domain::reference::{is_code, is_country, MasterStatus};
use crate::error::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list::list_customers)
        .service(create::create_customer)
        .service(read::get_customer)
        .service(update::update_customer)
        .service(archive::archive_customer);
}

/// A buyer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Customer {
    pub id: uuid::Uuid,
    /// Unique business code.
    #[schema(example = "JP-MAGNETICS")]
    pub code: String,
    #[schema(example = "Nippon Magnetics K.K.")]
    pub name: String,
    /// ISO 3166-1 alpha-2.
    #[schema(example = "JP")]
    pub country: String,
    /// The ERP's identifier, unique among customers.
    #[schema(example = "SAP-100234")]
    pub external_ref: Option<String>,
    pub status: MasterStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Incremented on every change; the ETag is this number in quotes.
    #[schema(example = 1)]
    pub version: i64,
}

impl From<&CustomerRow> for Customer {
    fn from(r: &CustomerRow) -> Customer {
        Customer {
            id: uuid::Uuid::parse_str(&r.id).unwrap_or_default(),
            code: r.code.clone(),
            name: r.name.clone(),
            country: r.country.clone(),
            external_ref: r.external_ref.clone(),
            status: MasterStatus::parse(&r.status).unwrap_or(MasterStatus::Active),
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
            version: r.version,
        }
    }
}

/// A new customer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "JP-MAGNETICS", "name": "Nippon Magnetics K.K.", "country": "JP", "external_ref": "SAP-100234"}))]
pub struct NewCustomer {
    pub code: String,
    pub name: String,
    pub country: String,
    pub external_ref: Option<String>,
}

/// Changes to a customer; absent members stay as they are, `external_ref: null` clears it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Nippon Magnetics Corporation"}))]
pub struct CustomerPatch {
    pub code: Option<String>,
    pub name: Option<String>,
    pub country: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub external_ref: Option<Option<String>>,
}

/// Checks the fields a customer must satisfy, whether new or patched.
fn validate(row: &CustomerRow) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    checks
        .check(
            is_code(&row.code),
            "code",
            "must be 1–40 of A–Z, 0–9, '-', '_', '.'",
        )
        .text(&row.name, "name", 200)
        .check(
            is_country(&row.country),
            "country",
            "must be an ISO 3166-1 alpha-2 code such as JP",
        );
    if let Some(ext) = &row.external_ref {
        checks.text(ext, "external_ref", 100);
    }
    checks.finish()
}

/// 409 naming the field when another customer already has this code or external_ref.
fn ensure_unique(conn: &mut DbConnection, row: &CustomerRow) -> Result<(), ApiError> {
    let code_taken: i64 = customers::table
        .filter(customers::code.eq(&row.code))
        .filter(customers::id.ne(&row.id))
        .count()
        .get_result(conn)?;
    if code_taken > 0 {
        return Err(ApiError::conflict(format!(
            "a customer with code {} exists",
            row.code
        )));
    }
    if let Some(ext) = &row.external_ref {
        let taken: i64 = customers::table
            .filter(customers::external_ref.eq(ext))
            .filter(customers::id.ne(&row.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::conflict(format!(
                "a customer with external_ref {ext} exists"
            )));
        }
    }
    Ok(())
}

fn find(conn: &mut DbConnection, id: &str) -> Result<CustomerRow, ApiError> {
    customers::table
        .find(id)
        .select(CustomerRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("customer"))
}

/// Writes a changed row if nobody changed it since it was read (else 412).
fn save(
    conn: &mut DbConnection,
    before: &CustomerRow,
    after: &CustomerRow,
) -> Result<(), ApiError> {
    let n = diesel::update(
        customers::table
            .filter(customers::id.eq(&before.id))
            .filter(customers::version.eq(before.version)),
    )
    .set(after)
    .execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed(
            "the customer was changed concurrently; read it again".into(),
        ));
    }
    Ok(())
}
