use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Deserialize;

use super::Product;
use crate::api::page::{self, Cursor, Page};
use crate::auth::Principal;
use crate::db::models::product::ProductRow;
use crate::db::schema::products;
use crate::domain::reference::{MasterStatus, ProductForm};
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProductFilter {
    /// Page size, 1–500 (default 50).
    limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only products changed at or after this instant (RFC 3339), for incremental sync.
    updated_since: Option<DateTime<Utc>>,
    status: Option<MasterStatus>,
    form: Option<ProductForm>,
    export_controlled: Option<bool>,
    code: Option<String>,
    external_ref: Option<String>,
}

/// List products
///
/// In creation order; filter by status, form, export control, code, ERP reference or `updated_since`.
#[utoipa::path(
    tag = "products",
    params(ProductFilter),
    responses((status = 200, description = "One page of products", body = Page<Product>), ReadErrors),
)]
#[get("/products")]
pub async fn list_products(
    state: web::Data<AppState>,
    _caller: Principal,
    filter: web::Query<ProductFilter>,
) -> Result<HttpResponse, ApiError> {
    let f = filter.into_inner();
    let limit = page::limit(f.limit)?;
    let cursor = f.cursor.as_deref().map(Cursor::decode).transpose()?;
    let rows = state
        .db
        .read(move |conn| {
            let mut q = products::table.select(ProductRow::as_select()).into_boxed();
            if let Some(s) = f.status {
                q = q.filter(products::status.eq(s.as_str()));
            }
            if let Some(form) = f.form {
                q = q.filter(products::form.eq(form.as_str()));
            }
            if let Some(x) = f.export_controlled {
                q = q.filter(products::export_controlled.eq(x));
            }
            if let Some(c) = f.code {
                q = q.filter(products::code.eq(c));
            }
            if let Some(e) = f.external_ref {
                q = q.filter(products::external_ref.eq(e));
            }
            if let Some(t) = f.updated_since {
                q = q.filter(products::updated_at.ge(t.naive_utc()));
            }
            Ok(crate::api::page::after_cursor!(q, products, cursor, limit)
                .load::<ProductRow>(conn)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page::paginate::<_, Product>(rows, limit)))
}
