use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Deserialize;

use super::{Contract, StoredContract};
use crate::api::page::{self, Cursor, Page};
use crate::auth::Principal;
use crate::db::models::contract::ContractRow;
use crate::db::schema::{contract_lines, contracts};
use crate::domain::lifecycle::ContractStatus;
use crate::domain::Period;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ContractFilter {
    /// Page size, 1–500 (default 50).
    limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only contracts changed at or after this instant (RFC 3339).
    updated_since: Option<DateTime<Utc>>,
    status: Option<ContractStatus>,
    customer_id: Option<uuid::Uuid>,
    product_id: Option<uuid::Uuid>,
    /// Only contracts whose term overlaps `from`–`to` (YYYY-MM).
    #[param(value_type = Option<String>, example = "2027-01")]
    from: Option<Period>,
    #[param(value_type = Option<String>, example = "2027-12")]
    to: Option<Period>,
    number: Option<String>,
    external_ref: Option<String>,
}

/// List contracts
///
/// Filter by customer and product (together: the contracts between a buyer and a product),
/// status, term overlap with `from`–`to`, number, ERP reference or `updated_since`.
#[utoipa::path(
    tag = "contracts",
    params(ContractFilter),
    responses((status = 200, description = "One page of contracts", body = Page<Contract>), ReadErrors),
)]
#[get("/contracts")]
pub async fn list_contracts(
    state: web::Data<AppState>,
    _caller: Principal,
    filter: web::Query<ContractFilter>,
) -> Result<HttpResponse, ApiError> {
    let f = filter.into_inner();
    let limit = page::limit(f.limit)?;
    let cursor = f.cursor.as_deref().map(Cursor::decode).transpose()?;
    let page = state
        .db
        .read(move |conn| {
            let mut q = contracts::table
                .select(ContractRow::as_select())
                .into_boxed();
            if let Some(s) = f.status {
                q = q.filter(contracts::status.eq(s.as_str()));
            }
            if let Some(c) = f.customer_id {
                q = q.filter(contracts::customer_id.eq(c.to_string()));
            }
            if let Some(p) = f.product_id {
                q = q.filter(contracts::product_id.eq(p.to_string()));
            }
            if let Some(from) = f.from {
                q = q.filter(contracts::end_period.ge(from.to_string()));
            }
            if let Some(to) = f.to {
                q = q.filter(contracts::start_period.le(to.to_string()));
            }
            if let Some(n) = f.number {
                q = q.filter(contracts::number.eq(n));
            }
            if let Some(e) = f.external_ref {
                q = q.filter(contracts::external_ref.eq(e));
            }
            if let Some(t) = f.updated_since {
                q = q.filter(contracts::updated_at.ge(t.naive_utc()));
            }
            let rows: Vec<ContractRow> =
                crate::api::page::after_cursor!(q, contracts, cursor, limit).load(conn)?;
            let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
            let lines: Vec<(String, String, i64)> = contract_lines::table
                .filter(contract_lines::contract_id.eq_any(ids))
                .order(contract_lines::period.asc())
                .select((
                    contract_lines::contract_id,
                    contract_lines::period,
                    contract_lines::quantity_g,
                ))
                .load(conn)?;
            let stored: Vec<StoredContract> = rows
                .into_iter()
                .map(|row| {
                    let mine = lines
                        .iter()
                        .filter(|l| l.0 == row.id)
                        .map(|l| (l.1.clone(), l.2))
                        .collect();
                    StoredContract { row, lines: mine }
                })
                .collect();
            Ok(page::paginate::<_, Contract>(stored, limit))
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}
