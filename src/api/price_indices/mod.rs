//! `/api/v1/price-indices`: market price indices (e.g. NdPr oxide FOB China) and their quotes.

mod archive;
mod averages;
mod create;
mod list;
mod quotes;
mod read;
mod update;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::validate::{double_option, Checks};
use crate::db::models::price_index::PriceIndexRow;
use crate::db::schema::price_indices;
use crate::db::DbConnection;
use crate::domain::reference::{is_code, is_currency, MasterStatus, CURRENCIES};
use crate::error::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list::list_price_indices)
        .service(create::create_price_index)
        .service(read::get_price_index)
        .service(update::update_price_index)
        .service(archive::archive_price_index)
        .service(quotes::list_price_quotes)
        .service(quotes::upsert_price_quotes)
        .service(averages::list_price_averages);
}

/// A market price index that index-linked pricing refers to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PriceIndex {
    pub id: uuid::Uuid,
    /// Unique business code.
    #[schema(example = "NDPR-OXIDE-FOB-CN")]
    pub code: String,
    #[schema(example = "NdPr oxide FOB China")]
    pub name: String,
    /// ISO 4217; index-linked terms must be in the same currency.
    #[schema(example = "USD")]
    pub currency: String,
    /// Where the quotes come from.
    #[schema(example = "Asian Metal")]
    pub source: Option<String>,
    pub status: MasterStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Incremented on every change; the ETag is this number in quotes.
    #[schema(example = 1)]
    pub version: i64,
}

impl From<&PriceIndexRow> for PriceIndex {
    fn from(r: &PriceIndexRow) -> PriceIndex {
        PriceIndex {
            id: uuid::Uuid::parse_str(&r.id).unwrap_or_default(),
            code: r.code.clone(),
            name: r.name.clone(),
            currency: r.currency.clone(),
            source: r.source.clone(),
            status: MasterStatus::parse(&r.status).unwrap_or(MasterStatus::Active),
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
            version: r.version,
        }
    }
}

/// A new price index.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "NDPR-OXIDE-FOB-CN", "name": "NdPr oxide FOB China", "currency": "USD", "source": "Asian Metal"}))]
pub struct NewPriceIndex {
    pub code: String,
    pub name: String,
    pub currency: String,
    pub source: Option<String>,
}

/// Changes to a price index; absent members stay as they are, `source: null` clears it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"source": "Shanghai Metals Market"}))]
pub struct PriceIndexPatch {
    pub code: Option<String>,
    pub name: Option<String>,
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub source: Option<Option<String>>,
}

/// Checks the fields a price index must satisfy, whether new or patched.
fn validate(row: &PriceIndexRow) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    checks
        .check(
            is_code(&row.code),
            "code",
            "must be 1–40 of A–Z, 0–9, '-', '_', '.'",
        )
        .text(&row.name, "name", 200)
        .check(
            is_currency(&row.currency),
            "currency",
            format!("must be one of {}", CURRENCIES.join(", ")),
        );
    if let Some(source) = &row.source {
        checks.text(source, "source", 200);
    }
    checks.finish()
}

/// 409 when another price index already has this code.
fn ensure_unique(conn: &mut DbConnection, row: &PriceIndexRow) -> Result<(), ApiError> {
    let code_taken: i64 = price_indices::table
        .filter(price_indices::code.eq(&row.code))
        .filter(price_indices::id.ne(&row.id))
        .count()
        .get_result(conn)?;
    if code_taken > 0 {
        return Err(ApiError::conflict(format!(
            "a price index with code {} exists",
            row.code
        )));
    }
    Ok(())
}

fn find(conn: &mut DbConnection, id: &str) -> Result<PriceIndexRow, ApiError> {
    price_indices::table
        .find(id)
        .select(PriceIndexRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("price index"))
}

/// Writes a changed row if nobody changed it since it was read (else 412).
fn save(
    conn: &mut DbConnection,
    before: &PriceIndexRow,
    after: &PriceIndexRow,
) -> Result<(), ApiError> {
    let n = diesel::update(
        price_indices::table
            .filter(price_indices::id.eq(&before.id))
            .filter(price_indices::version.eq(before.version)),
    )
    .set(after)
    .execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed(
            "the price index was changed concurrently; read it again".into(),
        ));
    }
    Ok(())
}
