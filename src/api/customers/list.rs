use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Deserialize;

use super::Customer;
use crate::api::page::{self, Cursor, Page};
use crate::auth::Principal;
use crate::db::models::customer::CustomerRow;
use crate::db::schema::customers;
use crate::domain::reference::MasterStatus;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CustomerFilter {
    /// Page size, 1–500 (default 50).
    limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only customers changed at or after this instant (RFC 3339), for incremental sync.
    updated_since: Option<DateTime<Utc>>,
    status: Option<MasterStatus>,
    /// ISO 3166-1 alpha-2.
    country: Option<String>,
    code: Option<String>,
    external_ref: Option<String>,
}

/// List customers
///
/// In creation order; filter by status, country, code, ERP reference or `updated_since`.
#[utoipa::path(
    tag = "customers",
    params(CustomerFilter),
    responses((status = 200, description = "One page of customers", body = Page<Customer>), ReadErrors),
)]
#[get("/customers")]
pub async fn list_customers(
    state: web::Data<AppState>,
    _caller: Principal,
    filter: web::Query<CustomerFilter>,
) -> Result<HttpResponse, ApiError> {
    let f = filter.into_inner();
    let limit = page::limit(f.limit)?;
    let cursor = f.cursor.as_deref().map(Cursor::decode).transpose()?;
    let rows = state
        .db
        .read(move |conn| {
            let mut q = customers::table
                .select(CustomerRow::as_select())
                .into_boxed();
            if let Some(s) = f.status {
                q = q.filter(customers::status.eq(s.as_str()));
            }
            if let Some(c) = f.country {
                q = q.filter(customers::country.eq(c));
            }
            if let Some(c) = f.code {
                q = q.filter(customers::code.eq(c));
            }
            if let Some(e) = f.external_ref {
                q = q.filter(customers::external_ref.eq(e));
            }
            if let Some(t) = f.updated_since {
                q = q.filter(customers::updated_at.ge(t.naive_utc()));
            }
            Ok(crate::api::page::after_cursor!(q, customers, cursor, limit)
                .load::<CustomerRow>(conn)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page::paginate::<_, Customer>(rows, limit)))
}
