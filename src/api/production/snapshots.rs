//! `/api/v1/stock-snapshots`: stock at the start of a month; projections restart from it.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::actuals::MonthlyQuery;
use crate::api::extract::{IfMatch, ValidJson};
use crate::api::respond;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::schema::stock_snapshots as snaps;
use crate::db::{now, scaled};
use crate::domain::{Kg, Period, Permission};
use crate::error::ApiError;
use crate::openapi::{ReadErrors, WriteErrors};
use crate::startup::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"product_id": "0b9f6c39-5d8e-4a53-9a43-5f1f2d3c4b5a", "period": "2026-11", "quantity_kg": "18500.000"}))]
pub struct StockCount {
    pub product_id: uuid::Uuid,
    pub period: Period,
    pub quantity_kg: Kg,
}

/// Stock of a product at the start of a month.
#[derive(Debug, Serialize, ToSchema)]
pub struct StockSnapshot {
    pub product_id: uuid::Uuid,
    #[schema(example = "2026-11")]
    pub period: Period,
    #[schema(example = "18500.000")]
    pub quantity_kg: Kg,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StockSnapshotList {
    pub items: Vec<StockSnapshot>,
}

type Row = (String, String, i64, NaiveDateTime, NaiveDateTime, i64);

fn view(r: &Row) -> Option<StockSnapshot> {
    Some(StockSnapshot {
        product_id: uuid::Uuid::parse_str(&r.0).ok()?,
        period: Period::parse(&r.1)?,
        quantity_kg: scaled::kg(r.2),
        created_at: r.3.and_utc(),
        updated_at: r.4.and_utc(),
        version: r.5,
    })
}

fn columns() -> (
    snaps::product_id,
    snaps::period,
    snaps::quantity_g,
    snaps::created_at,
    snaps::updated_at,
    snaps::version,
) {
    (
        snaps::product_id,
        snaps::period,
        snaps::quantity_g,
        snaps::created_at,
        snaps::updated_at,
        snaps::version,
    )
}

/// Record opening stock
///
/// Creates (201) or replaces (200) the stock of the product at the start of the month;
/// projected stock restarts from it. Roles: admin, planner.
#[utoipa::path(
    tag = "production",
    request_body = StockCount,
    params(("If-Match" = Option<String>, Header, description = "The ETag last read")),
    responses(
        (status = 200, description = "Replaced", body = StockSnapshot),
        (status = 201, description = "Recorded", body = StockSnapshot),
        WriteErrors,
    ),
)]
#[post("/stock-snapshots")]
pub async fn record_stock_snapshot(
    state: web::Data<AppState>,
    caller: Principal,
    if_match: IfMatch,
    body: ValidJson<StockCount>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteStock)?;
    let StockCount {
        product_id,
        period,
        quantity_kg,
    } = body.0;
    let grams = scaled::grams(quantity_kg)
        .filter(|g| *g >= 0)
        .ok_or_else(|| ApiError::field("quantity_kg", "must be zero or more"))?;
    let product_id = product_id.to_string();
    let actor = Actor::from(&caller);
    let (created, row) = state
        .db
        .write(move |conn| {
            crate::api::products::find(conn, &product_id)?;
            let key = (product_id.clone(), period.to_string());
            let existing: Option<Row> = snaps::table
                .find((&key.0, &key.1))
                .select(columns())
                .first(conn)
                .optional()?;
            let at = now();
            let before = existing.as_ref().and_then(view);
            match &existing {
                Some(e) => {
                    if_match.check(e.5)?;
                    diesel::update(snaps::table.find((&key.0, &key.1)))
                        .set((
                            snaps::quantity_g.eq(grams),
                            snaps::updated_at.eq(at),
                            snaps::version.eq(e.5 + 1),
                        ))
                        .execute(conn)?;
                }
                None => {
                    if_match.check(0)?;
                    diesel::insert_into(snaps::table)
                        .values((
                            snaps::product_id.eq(&key.0),
                            snaps::period.eq(&key.1),
                            snaps::quantity_g.eq(grams),
                            snaps::created_at.eq(at),
                            snaps::updated_at.eq(at),
                            snaps::version.eq(1),
                        ))
                        .execute(conn)?;
                }
            }
            let row: Row = snaps::table
                .find((&key.0, &key.1))
                .select(columns())
                .first(conn)?;
            let after = view(&row);
            change::record(
                conn,
                &actor,
                Change {
                    action: "recorded",
                    entity_type: "stock_snapshot",
                    entity_id: &format!("{}/{}", key.0, key.1),
                    before: before.as_ref().and_then(change::snapshot),
                    after: after.as_ref().and_then(change::snapshot),
                },
            )?;
            Ok((existing.is_none(), row))
        })
        .await?;
    let view = view(&row).ok_or_else(|| ApiError::unexpected("stored snapshot is invalid"))?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(respond::with_etag(status, view.version, &view))
}

/// List stock snapshots
///
/// By product and month range, in month order.
#[utoipa::path(
    tag = "production",
    params(MonthlyQuery),
    responses((status = 200, description = "Stock snapshots", body = StockSnapshotList), ReadErrors),
)]
#[get("/stock-snapshots")]
pub async fn list_stock_snapshots(
    state: web::Data<AppState>,
    _caller: Principal,
    query: web::Query<MonthlyQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    crate::api::reconciliation::check_range(q.from, q.to)?;
    let rows: Vec<Row> = state
        .db
        .read(move |conn| {
            let mut sel = snaps::table.select(columns()).into_boxed();
            if let Some(p) = q.product_id {
                sel = sel.filter(snaps::product_id.eq(p.to_string()));
            }
            if let Some(f) = q.from {
                sel = sel.filter(snaps::period.ge(f.to_string()));
            }
            if let Some(t) = q.to {
                sel = sel.filter(snaps::period.le(t.to_string()));
            }
            Ok(sel
                .order((snaps::period.asc(), snaps::product_id.asc()))
                .limit(10_000)
                .load(conn)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(StockSnapshotList {
        items: rows.iter().filter_map(view).collect(),
    }))
}
