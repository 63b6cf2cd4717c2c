use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Deserialize;

use super::PriceIndex;
use crate::api::page::{self, Cursor, Page};
use crate::auth::Principal;
use crate::db::models::price_index::PriceIndexRow;
use crate::db::schema::price_indices;
use crate::domain::reference::MasterStatus;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PriceIndexFilter {
    /// Page size, 1–500 (default 50).
    limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only indices changed at or after this instant (RFC 3339), for incremental sync.
    updated_since: Option<DateTime<Utc>>,
    status: Option<MasterStatus>,
    currency: Option<String>,
    code: Option<String>,
}

/// List price indices
///
/// In creation order; filter by status, currency, code or `updated_since`.
#[utoipa::path(
    tag = "price-indices",
    params(PriceIndexFilter),
    responses((status = 200, description = "One page of price indices", body = Page<PriceIndex>), ReadErrors),
)]
#[get("/price-indices")]
pub async fn list_price_indices(
    state: web::Data<AppState>,
    _caller: Principal,
    filter: web::Query<PriceIndexFilter>,
) -> Result<HttpResponse, ApiError> {
    let f = filter.into_inner();
    let limit = page::limit(f.limit)?;
    let cursor = f.cursor.as_deref().map(Cursor::decode).transpose()?;
    let rows = state
        .db
        .read(move |conn| {
            let mut q = price_indices::table
                .select(PriceIndexRow::as_select())
                .into_boxed();
            if let Some(s) = f.status {
                q = q.filter(price_indices::status.eq(s.as_str()));
            }
            if let Some(c) = f.currency {
                q = q.filter(price_indices::currency.eq(c));
            }
            if let Some(c) = f.code {
                q = q.filter(price_indices::code.eq(c));
            }
            if let Some(t) = f.updated_since {
                q = q.filter(price_indices::updated_at.ge(t.naive_utc()));
            }
            Ok(
                crate::api::page::after_cursor!(q, price_indices, cursor, limit)
                    .load::<PriceIndexRow>(conn)?,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(page::paginate::<_, PriceIndex>(rows, limit)))
}
