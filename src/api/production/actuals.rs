//! `/api/v1/production-actuals`: output recorded after a month closes; it replaces the plan.

use actix_web::http::StatusCode;
use actix_web::{get, put, web, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::{IfMatch, ValidJson};
use crate::api::respond;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::schema::production_actuals as actuals;
use crate::db::{now, scaled};
use crate::domain::{Kg, Period, Permission};
use crate::error::ApiError;
use crate::openapi::{ReadErrors, WriteErrors};
use crate::startup::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"actual_kg": "47250.500"}))]
pub struct ActualOutput {
    pub actual_kg: Kg,
}

/// A month's recorded output of a product.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductionActual {
    pub product_id: uuid::Uuid,
    #[schema(example = "2026-10")]
    pub period: Period,
    #[schema(example = "47250.500")]
    pub actual_kg: Kg,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductionActualList {
    pub items: Vec<ProductionActual>,
}

type Row = (String, String, i64, NaiveDateTime, NaiveDateTime, i64);

fn view(r: &Row) -> Option<ProductionActual> {
    Some(ProductionActual {
        product_id: uuid::Uuid::parse_str(&r.0).ok()?,
        period: Period::parse(&r.1)?,
        actual_kg: scaled::kg(r.2),
        created_at: r.3.and_utc(),
        updated_at: r.4.and_utc(),
        version: r.5,
    })
}

fn columns() -> (
    actuals::product_id,
    actuals::period,
    actuals::actual_g,
    actuals::created_at,
    actuals::updated_at,
    actuals::version,
) {
    (
        actuals::product_id,
        actuals::period,
        actuals::actual_g,
        actuals::created_at,
        actuals::updated_at,
        actuals::version,
    )
}

/// Record a month's output
///
/// Creates (201) or replaces (200) the actual output of the product in the month; from then on
/// it is the month's supply instead of the plan. Roles: admin, planner.
#[utoipa::path(
    tag = "production",
    request_body = ActualOutput,
    params(
        ("product_id" = uuid::Uuid, Path, description = "Product id"),
        ("period" = String, Path, description = "Month, YYYY-MM", example = "2026-10"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 200, description = "Replaced", body = ProductionActual),
        (status = 201, description = "Recorded", body = ProductionActual),
        WriteErrors,
    ),
)]
#[put("/production-actuals/{product_id}/{period}")]
pub async fn put_production_actual(
    state: web::Data<AppState>,
    caller: Principal,
    path: web::Path<(uuid::Uuid, String)>,
    if_match: IfMatch,
    body: ValidJson<ActualOutput>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteActuals)?;
    let (product_id, period) = path.into_inner();
    let period = Period::parse(&period)
        .ok_or_else(|| ApiError::field("period", "must be a month YYYY-MM"))?;
    let grams = scaled::grams(body.0.actual_kg)
        .filter(|g| *g >= 0)
        .ok_or_else(|| ApiError::field("actual_kg", "must be zero or more"))?;
    let product_id = product_id.to_string();
    let actor = Actor::from(&caller);
    let (created, row) = state
        .db
        .write(move |conn| {
            crate::api::products::find(conn, &product_id)?;
            let key = (product_id.clone(), period.to_string());
            let existing: Option<Row> = actuals::table
                .find((&key.0, &key.1))
                .select(columns())
                .first(conn)
                .optional()?;
            let at = now();
            let before = existing.as_ref().and_then(view);
            match &existing {
                Some(e) => {
                    if_match.check(e.5)?;
                    diesel::update(actuals::table.find((&key.0, &key.1)))
                        .set((
                            actuals::actual_g.eq(grams),
                            actuals::updated_at.eq(at),
                            actuals::version.eq(e.5 + 1),
                        ))
                        .execute(conn)?;
                }
                None => {
                    if_match.check(0)?;
                    diesel::insert_into(actuals::table)
                        .values((
                            actuals::product_id.eq(&key.0),
                            actuals::period.eq(&key.1),
                            actuals::actual_g.eq(grams),
                            actuals::created_at.eq(at),
                            actuals::updated_at.eq(at),
                            actuals::version.eq(1),
                        ))
                        .execute(conn)?;
                }
            }
            let row: Row = actuals::table
                .find((&key.0, &key.1))
                .select(columns())
                .first(conn)?;
            let after = view(&row);
            change::record(
                conn,
                &actor,
                Change {
                    action: "recorded",
                    entity_type: "production_actual",
                    entity_id: &format!("{}/{}", key.0, key.1),
                    before: before.as_ref().and_then(change::snapshot),
                    after: after.as_ref().and_then(change::snapshot),
                },
            )?;
            Ok((existing.is_none(), row))
        })
        .await?;
    let view = view(&row).ok_or_else(|| ApiError::unexpected("stored actual is invalid"))?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(respond::with_etag(status, view.version, &view))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MonthlyQuery {
    pub product_id: Option<uuid::Uuid>,
    #[param(value_type = Option<String>, example = "2026-01")]
    pub from: Option<Period>,
    #[param(value_type = Option<String>, example = "2026-12")]
    pub to: Option<Period>,
}

/// List recorded output
///
/// By product and month range, in month order.
#[utoipa::path(
    tag = "production",
    params(MonthlyQuery),
    responses((status = 200, description = "Recorded output", body = ProductionActualList), ReadErrors),
)]
#[get("/production-actuals")]
pub async fn list_production_actuals(
    state: web::Data<AppState>,
    _caller: Principal,
    query: web::Query<MonthlyQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    crate::api::reconciliation::check_range(q.from, q.to)?;
    let rows: Vec<Row> = state
        .db
        .read(move |conn| {
            let mut sel = actuals::table.select(columns()).into_boxed();
            if let Some(p) = q.product_id {
                sel = sel.filter(actuals::product_id.eq(p.to_string()));
            }
            if let Some(f) = q.from {
                sel = sel.filter(actuals::period.ge(f.to_string()));
            }
            if let Some(t) = q.to {
                sel = sel.filter(actuals::period.le(t.to_string()));
            }
            Ok(sel
                .order((actuals::period.asc(), actuals::product_id.asc()))
                .limit(10_000)
                .load(conn)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ProductionActualList {
        items: rows.iter().filter_map(view).collect(),
    }))
}
