//! `GET /api/v1/audit`: who changed what, when, in answer to which request.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::db::schema::audit_entries;
use crate::domain::Permission;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_audit_entries);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    #[schema(example = 42)]
    pub seq: i64,
    #[schema(example = "akiko")]
    pub actor: String,
    #[schema(example = "updated")]
    pub action: String,
    #[schema(example = "customer")]
    pub entity_type: String,
    pub entity_id: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    #[param(example = "customer")]
    entity_type: Option<String>,
    entity_id: Option<String>,
    actor: Option<String>,
    /// Page size, 1–500 (default 50).
    limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

type Row = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    NaiveDateTime,
);

/// List audit entries
///
/// Admin, planner and sales. Oldest first.
#[utoipa::path(
    tag = "audit",
    params(AuditFilter),
    responses(
        (status = 200, description = "One page of audit entries", body = AuditPage),
        (status = 403, description = "Not allowed for this role", body = crate::error::Problem, content_type = "application/problem+json"),
        ReadErrors,
    ),
)]
#[get("/audit")]
pub async fn list_audit_entries(
    state: web::Data<AppState>,
    caller: Principal,
    filter: web::Query<AuditFilter>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ReadAudit)?;
    let f = filter.into_inner();
    let limit = crate::api::page::limit(f.limit)?;
    let after: i64 = match f.cursor.as_deref() {
        None => 0,
        Some(c) => c
            .parse()
            .map_err(|_| ApiError::field("cursor", "is not a cursor this service gave out"))?,
    };
    let rows: Vec<Row> = state
        .db
        .read(move |conn| {
            let mut q = audit_entries::table.into_boxed();
            if let Some(t) = f.entity_type {
                q = q.filter(audit_entries::entity_type.eq(t));
            }
            if let Some(id) = f.entity_id {
                q = q.filter(audit_entries::entity_id.eq(id));
            }
            if let Some(a) = f.actor {
                q = q.filter(audit_entries::actor.eq(a));
            }
            Ok(q.filter(audit_entries::seq.gt(after))
                .order(audit_entries::seq.asc())
                .limit(limit + 1)
                .load(conn)?)
        })
        .await?;
    let more = rows.len() as i64 > limit;
    let items: Vec<AuditEntry> = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(0))
        .map(|r| AuditEntry {
            seq: r.0,
            actor: r.1,
            action: r.2,
            entity_type: r.3,
            entity_id: r.4,
            before: r.5.and_then(|s| serde_json::from_str(&s).ok()),
            after: r.6.and_then(|s| serde_json::from_str(&s).ok()),
            request_id: r.7,
            at: r.8.and_utc(),
        })
        .collect();
    let next_cursor = if more {
        items.last().map(|e| e.seq.to_string())
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(AuditPage { items, next_cursor }))
}
