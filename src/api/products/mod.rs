//! `/api/v1/products`: what the plants make and the desk sells (NdPr oxide, NdPr metal, …).

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
use crate::db::models::product::ProductRow;
use crate::db::scaled::{from_scaled, to_scaled, PCT_SCALE};
use crate::db::schema::products;
use crate::db::DbConnection;
use crate::domain::reference::{is_code, is_hs_code, MasterStatus, ProductForm};
use crate::domain::Percent;
use crate::error::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list::list_products)
        .service(create::create_product)
        .service(read::get_product)
        .service(update::update_product)
        .service(archive::archive_product);
}

/// A product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Product {
    pub id: uuid::Uuid,
    /// Unique business code.
    #[schema(example = "NDPR-OXIDE")]
    pub code: String,
    #[schema(example = "NdPr oxide 99.5 %")]
    pub name: String,
    pub form: ProductForm,
    /// Minimum purity in percent, a decimal string.
    #[schema(example = "99.5")]
    pub min_purity_pct: Option<Percent>,
    /// Harmonized System tariff code.
    #[schema(example = "2846.90")]
    pub hs_code: Option<String>,
    /// Shipping it needs an export licence.
    pub export_controlled: bool,
    /// The ERP's identifier, unique among products.
    #[schema(example = "MAT-4711")]
    pub external_ref: Option<String>,
    pub status: MasterStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Incremented on every change; the ETag is this number in quotes.
    #[schema(example = 1)]
    pub version: i64,
}

impl From<&ProductRow> for Product {
    fn from(r: &ProductRow) -> Product {
        Product {
            id: uuid::Uuid::parse_str(&r.id).unwrap_or_default(),
            code: r.code.clone(),
            name: r.name.clone(),
            form: ProductForm::parse(&r.form).unwrap_or(ProductForm::Other),
            min_purity_pct: r
                .min_purity_milli_pct
                .and_then(|v| Percent::new(from_scaled(v, PCT_SCALE))),
            hs_code: r.hs_code.clone(),
            export_controlled: r.export_controlled,
            external_ref: r.external_ref.clone(),
            status: MasterStatus::parse(&r.status).unwrap_or(MasterStatus::Active),
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
            version: r.version,
        }
    }
}

/// A new product.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "NDPR-OXIDE", "name": "NdPr oxide 99.5 %", "form": "oxide", "min_purity_pct": "99.5", "hs_code": "2846.90", "export_controlled": false}))]
pub struct NewProduct {
    pub code: String,
    pub name: String,
    pub form: ProductForm,
    pub min_purity_pct: Option<Percent>,
    pub hs_code: Option<String>,
    #[serde(default)]
    pub export_controlled: bool,
    pub external_ref: Option<String>,
}

/// Changes to a product; absent members stay as they are, `null` clears an optional one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"export_controlled": true}))]
pub struct ProductPatch {
    pub code: Option<String>,
    pub name: Option<String>,
    pub form: Option<ProductForm>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub min_purity_pct: Option<Option<Percent>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub hs_code: Option<Option<String>>,
    pub export_controlled: Option<bool>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub external_ref: Option<Option<String>>,
}

/// Checks the fields a product must satisfy, whether new or patched.
fn validate(row: &ProductRow) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    checks
        .check(
            is_code(&row.code),
            "code",
            "must be 1–40 of A–Z, 0–9, '-', '_', '.'",
        )
        .text(&row.name, "name", 200)
        .check(
            row.min_purity_milli_pct
                .is_none_or(|p| (0..=100 * 1000).contains(&p)),
            "min_purity_pct",
            "must be between 0 and 100",
        );
    if let Some(hs) = &row.hs_code {
        checks.check(
            is_hs_code(hs),
            "hs_code",
            "must be 6–10 digits, dots allowed (2846.90)",
        );
    }
    if let Some(ext) = &row.external_ref {
        checks.text(ext, "external_ref", 100);
    }
    checks.finish()
}

/// 409 naming the field when another product already has this code or external_ref.
fn ensure_unique(conn: &mut DbConnection, row: &ProductRow) -> Result<(), ApiError> {
    let code_taken: i64 = products::table
        .filter(products::code.eq(&row.code))
        .filter(products::id.ne(&row.id))
        .count()
        .get_result(conn)?;
    if code_taken > 0 {
        return Err(ApiError::conflict(format!(
            "a product with code {} exists",
            row.code
        )));
    }
    if let Some(ext) = &row.external_ref {
        let taken: i64 = products::table
            .filter(products::external_ref.eq(ext))
            .filter(products::id.ne(&row.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::conflict(format!(
                "a product with external_ref {ext} exists"
            )));
        }
    }
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<ProductRow, ApiError> {
    products::table
        .find(id)
        .select(ProductRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("product"))
}

/// Writes a changed row if nobody changed it since it was read (else 412).
fn save(conn: &mut DbConnection, before: &ProductRow, after: &ProductRow) -> Result<(), ApiError> {
    let n = diesel::update(
        products::table
            .filter(products::id.eq(&before.id))
            .filter(products::version.eq(before.version)),
    )
    .set(after)
    .execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed(
            "the product was changed concurrently; read it again".into(),
        ));
    }
    Ok(())
}

/// Percent → the stored 1/1000 percent.
fn purity_units(p: Option<Percent>) -> Option<i64> {
    p.and_then(|p| to_scaled(p.value(), PCT_SCALE))
}
