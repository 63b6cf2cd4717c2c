//! `/api/v1/production-plans`: plan versions, created as drafts and approved in turn.

use std::collections::BTreeSet;

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::impact::{self, PlanImpact};
use crate::api::extract::{IfMatch, OptionalJson, ValidJson};
use crate::api::page::{self, Cursor, ListParams, Page};
use crate::api::respond;
use crate::api::validate::ActionBody;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::models::plan::PlanRow;
use crate::db::schema::{production_plan_lines as lines, production_plans as plans, products};
use crate::db::{counters, now, scaled, DbConnection};
use crate::domain::lifecycle::PlanStatus;
use crate::domain::{Kg, Period, Permission};
use crate::error::{ApiError, FieldError};
use crate::openapi::{ReadErrors, WriteErrors};
use crate::startup::AppState;

/// Planned output of one product in one month.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanLine {
    pub product_id: uuid::Uuid,
    #[schema(example = "2027-03")]
    pub period: Period,
    /// May be zero (a shutdown).
    #[schema(example = "50000.000")]
    pub planned_kg: Kg,
}

/// A production plan version.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductionPlan {
    pub id: uuid::Uuid,
    /// 1, 2, 3, … in order of creation.
    #[schema(example = 3)]
    pub version_no: i64,
    #[schema(example = "Q2 revision after the Baotou furnace outage")]
    pub note: String,
    pub status: PlanStatus,
    /// Only what this version sets; months it does not mention keep earlier versions' values.
    pub lines: Vec<PlanLine>,
    pub approved_at: Option<DateTime<Utc>>,
    pub approved_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A new plan version (draft).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "Q2 revision", "lines": [{"product_id": "0b9f6c39-5d8e-4a53-9a43-5f1f2d3c4b5a", "period": "2027-04", "planned_kg": "42000.000"}]}))]
pub struct NewPlan {
    pub note: String,
    pub lines: Vec<PlanLine>,
}

/// The approval's answer: the plan and what it did.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanApproval {
    pub plan: ProductionPlan,
    pub impact: PlanImpact,
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<PlanRow, ApiError> {
    plans::table
        .find(id)
        .select(PlanRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("production plan"))
}

fn view(conn: &mut DbConnection, row: &PlanRow) -> Result<ProductionPlan, ApiError> {
    let rows: Vec<(String, String, i64)> = lines::table
        .filter(lines::plan_id.eq(&row.id))
        .order((lines::product_id.asc(), lines::period.asc()))
        .select((lines::product_id, lines::period, lines::planned_g))
        .load(conn)?;
    Ok(ProductionPlan {
        id: uuid::Uuid::parse_str(&row.id).unwrap_or_default(),
        version_no: row.version_no,
        note: row.note.clone(),
        status: PlanStatus::parse(&row.status).unwrap_or(PlanStatus::Draft),
        lines: rows
            .into_iter()
            .filter_map(|(p, per, g)| {
                Some(PlanLine {
                    product_id: uuid::Uuid::parse_str(&p).ok()?,
                    period: Period::parse(&per)?,
                    planned_kg: scaled::kg(g),
                })
            })
            .collect(),
        approved_at: row.approved_at.map(|t| t.and_utc()),
        approved_by: row.approved_by.clone(),
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
        version: row.version,
    })
}

/// List production plans
///
/// In order of creation; `status` filters by draft, approved or superseded.
#[utoipa::path(
    tag = "production",
    params(ListParams),
    responses((status = 200, description = "One page of plans", body = Page<ProductionPlan>), ReadErrors),
)]
#[get("/production-plans")]
pub async fn list_production_plans(
    state: web::Data<AppState>,
    _caller: Principal,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let p = params.into_inner();
    let limit = page::limit(p.limit)?;
    let cursor = p.cursor.as_deref().map(Cursor::decode).transpose()?;
    let status =
        match p.status.as_deref() {
            None => None,
            Some(s) => Some(PlanStatus::parse(s).ok_or_else(|| {
                ApiError::field("status", "must be draft, approved or superseded")
            })?),
        };
    let page = state
        .db
        .read(move |conn| {
            let mut q = plans::table.select(PlanRow::as_select()).into_boxed();
            if let Some(s) = status {
                q = q.filter(plans::status.eq(s.as_str()));
            }
            if let Some(t) = p.updated_since {
                q = q.filter(plans::updated_at.ge(t.naive_utc()));
            }
            let rows: Vec<PlanRow> =
                crate::api::page::after_cursor!(q, plans, cursor, limit).load(conn)?;
            let more = rows.len() as i64 > limit;
            let rows: Vec<PlanRow> = rows
                .into_iter()
                .take(usize::try_from(limit).unwrap_or(0))
                .collect();
            let next_cursor = if more {
                rows.last().map(|r| page::cursor_of(r).encode())
            } else {
                None
            };
            let items = rows
                .iter()
                .map(|r| view(conn, r))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Page { items, next_cursor })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Create a plan version
///
/// A draft listing only what it sets. Roles: admin, planner.
#[utoipa::path(
    tag = "production",
    request_body = NewPlan,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request")),
    responses((status = 201, description = "Created", body = ProductionPlan), WriteErrors),
)]
#[post("/production-plans")]
pub async fn create_production_plan(
    state: web::Data<AppState>,
    caller: Principal,
    body: ValidJson<NewPlan>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WritePlans)?;
    let new = body.0;
    let mut errors = Vec::new();
    if new.note.chars().count() > 1000 {
        errors.push(FieldError::new("note", "must be at most 1000 characters"));
    }
    if new.lines.is_empty() || new.lines.len() > 5000 {
        errors.push(FieldError::new("lines", "must hold 1 to 5000 lines"));
    }
    let mut seen = BTreeSet::new();
    for (i, l) in new.lines.iter().enumerate() {
        if !seen.insert((l.product_id, l.period)) {
            errors.push(FieldError::new(
                format!("lines[{i}].period"),
                "appears twice for this product",
            ));
        }
        if scaled::grams(l.planned_kg).is_none_or(|g| g < 0) {
            errors.push(FieldError::new(
                format!("lines[{i}].planned_kg"),
                "must be zero or more",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let actor = Actor::from(&caller);
    let plan = state
        .db
        .write(move |conn| {
            let ids: BTreeSet<String> =
                new.lines.iter().map(|l| l.product_id.to_string()).collect();
            let known: BTreeSet<String> = products::table
                .filter(products::id.eq_any(&ids))
                .select(products::id)
                .load::<String>(conn)?
                .into_iter()
                .collect();
            let unknown: Vec<FieldError> = new
                .lines
                .iter()
                .enumerate()
                .filter(|(_, l)| !known.contains(&l.product_id.to_string()))
                .map(|(i, _)| FieldError::new(format!("lines[{i}].product_id"), "no such product"))
                .collect();
            if !unknown.is_empty() {
                return Err(ApiError::Validation(unknown));
            }
            let at = now();
            let row = PlanRow {
                id: uuid::Uuid::new_v4().to_string(),
                version_no: counters::next(conn, "plans")?,
                note: new.note.trim().to_string(),
                status: PlanStatus::Draft.as_str().into(),
                approved_at: None,
                approved_by: None,
                created_at: at,
                updated_at: at,
                version: 1,
            };
            diesel::insert_into(plans::table)
                .values(&row)
                .execute(conn)?;
            for l in &new.lines {
                diesel::insert_into(lines::table)
                    .values((
                        lines::plan_id.eq(&row.id),
                        lines::product_id.eq(l.product_id.to_string()),
                        lines::period.eq(l.period.to_string()),
                        lines::planned_g.eq(scaled::grams(l.planned_kg).unwrap_or(0)),
                    ))
                    .execute(conn)?;
            }
            let plan = view(conn, &row)?;
            change::record(
                conn,
                &actor,
                Change {
                    action: "created",
                    entity_type: "production_plan",
                    entity_id: &row.id,
                    before: None,
                    after: change::snapshot(&plan),
                },
            )?;
            Ok(plan)
        })
        .await?;
    Ok(respond::created(
        plan.version,
        format!("/api/v1/production-plans/{}", plan.id),
        &plan,
    ))
}

/// Get a production plan
#[utoipa::path(
    tag = "production",
    params(("id" = uuid::Uuid, Path, description = "Plan id")),
    responses((status = 200, description = "The plan with its lines", body = ProductionPlan), ReadErrors),
)]
#[get("/production-plans/{id}")]
pub async fn get_production_plan(
    state: web::Data<AppState>,
    _caller: Principal,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let plan = state
        .db
        .read(move |conn| {
            let row = find(conn, &id)?;
            view(conn, &row)
        })
        .await?;
    Ok(respond::ok(plan.version, &plan))
}

/// Approve a production plan
///
/// draft → approved; the previously approved version becomes superseded, and for every
/// (product, month) this version mentions its line is now the plan. Plans are facts, so a plan
/// that creates shortfalls is approved all the same; the answer and the `production_plan.approved`
/// event carry the impact. Roles: admin, planner.
#[utoipa::path(
    tag = "production",
    request_body(content = Option<ActionBody>, description = "Optional reason"),
    params(
        ("id" = uuid::Uuid, Path, description = "Plan id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The approved plan and its impact", body = PlanApproval), WriteErrors),
)]
#[post("/production-plans/{id}/approve")]
pub async fn approve_production_plan(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: OptionalJson<ActionBody>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WritePlans)?;
    let id = id.into_inner().to_string();
    let actor = Actor::from(&caller);
    let reason = body.0.reason;
    let approval = state
        .db
        .write(move |conn| {
            // One approval at a time across instances.
            counters::next(conn, "plan_approvals")?;
            let before = find(conn, &id)?;
            if_match.check(before.version)?;
            if before.status != PlanStatus::Draft.as_str() {
                return Err(ApiError::conflict(format!(
                    "only a draft plan can be approved; this one is {}",
                    before.status
                )));
            }
            let newer: i64 = plans::table
                .filter(plans::status.ne(PlanStatus::Draft.as_str()))
                .filter(plans::version_no.gt(before.version_no))
                .count()
                .get_result(conn)?;
            if newer > 0 {
                return Err(ApiError::conflict(
                    "a newer plan version is already approved; create a new version instead",
                ));
            }
            let impact = impact::compute(conn, &before.id, before.version_no)?;
            let at = now();
            let superseded: Vec<PlanRow> = plans::table
                .filter(plans::status.eq(PlanStatus::Approved.as_str()))
                .select(PlanRow::as_select())
                .load(conn)?;
            for old in superseded {
                let mut s = old.clone();
                s.status = PlanStatus::Superseded.as_str().into();
                s.updated_at = at;
                s.version += 1;
                diesel::update(plans::table.find(&old.id))
                    .set(&s)
                    .execute(conn)?;
                let (old_view, new_view) = (view(conn, &old)?, view(conn, &s)?);
                change::record(
                    conn,
                    &actor,
                    Change {
                        action: "superseded",
                        entity_type: "production_plan",
                        entity_id: &old.id,
                        before: change::snapshot(&old_view),
                        after: change::snapshot(&new_view),
                    },
                )?;
            }
            let mut after = before.clone();
            after.status = PlanStatus::Approved.as_str().into();
            after.approved_at = Some(at);
            after.approved_by = Some(actor.username.clone());
            after.updated_at = at;
            after.version += 1;
            let n = diesel::update(
                plans::table
                    .filter(plans::id.eq(&before.id))
                    .filter(plans::version.eq(before.version)),
            )
            .set(&after)
            .execute(conn)?;
            if n == 0 {
                return Err(ApiError::PreconditionFailed(
                    "the plan was changed concurrently; read it again".into(),
                ));
            }
            let plan = view(conn, &after)?;
            let mut data = serde_json::json!({ "plan": &plan, "impact": &impact });
            if let Some(r) = &reason {
                data["reason"] = r.clone().into();
            }
            let before_view = view(conn, &before)?;
            change::record(
                conn,
                &actor,
                Change {
                    action: "approved",
                    entity_type: "production_plan",
                    entity_id: &after.id,
                    before: change::snapshot(&before_view),
                    after: Some(data),
                },
            )?;
            Ok(PlanApproval { plan, impact })
        })
        .await?;
    Ok(respond::ok(approval.plan.version, &approval))
}
