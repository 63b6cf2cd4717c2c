//! `/api/v1/export-licences`: licences that export-controlled shipments draw down.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::{IfMatch, OptionalJson, ValidJson};
use crate::api::page::{self, Cursor, ListParams, Page};
use crate::api::respond;
use crate::api::validate::{ActionBody, Checks};
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::models::shipment::LicenceRow;
use crate::db::schema::export_licences as lic;
use crate::db::{now, scaled, DbConnection};
use crate::domain::reference::is_code;
use crate::domain::{Kg, Permission};
use crate::error::ApiError;
use crate::openapi::{ReadErrors, WriteErrors};
use crate::startup::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_export_licences)
        .service(create_export_licence)
        .service(get_export_licence)
        .service(revoke_export_licence);
}

/// `active` until revoked or past `valid_to` (then `expired`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LicenceStatus {
    Active,
    Expired,
    Revoked,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportLicence {
    pub id: uuid::Uuid,
    #[schema(example = "MOFCOM-2026-00417")]
    pub number: String,
    pub product_id: uuid::Uuid,
    pub customer_id: uuid::Uuid,
    #[schema(example = "20000.000")]
    pub quantity_kg: Kg,
    /// Drawn by shipped shipments.
    #[schema(example = "5000.000")]
    pub shipped_kg: Kg,
    #[schema(example = "15000.000")]
    pub remaining_kg: Kg,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub status: LicenceStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl From<&LicenceRow> for ExportLicence {
    fn from(r: &LicenceRow) -> ExportLicence {
        let status = if r.status == "revoked" {
            LicenceStatus::Revoked
        } else if r.valid_to < crate::clock::today() {
            LicenceStatus::Expired
        } else {
            LicenceStatus::Active
        };
        ExportLicence {
            id: uuid::Uuid::parse_str(&r.id).unwrap_or_default(),
            number: r.number.clone(),
            product_id: uuid::Uuid::parse_str(&r.product_id).unwrap_or_default(),
            customer_id: uuid::Uuid::parse_str(&r.customer_id).unwrap_or_default(),
            quantity_kg: scaled::kg(r.quantity_g),
            shipped_kg: scaled::kg(r.shipped_g),
            remaining_kg: scaled::kg(r.quantity_g - r.shipped_g),
            valid_from: r.valid_from,
            valid_to: r.valid_to,
            status,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
            version: r.version,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"number": "MOFCOM-2026-00417", "product_id": "0b9f6c39-5d8e-4a53-9a43-5f1f2d3c4b5a", "customer_id": "6aab728c-5d25-46c0-b1b1-b708c14db466", "quantity_kg": "20000", "valid_from": "2026-01-01", "valid_to": "2026-12-31"}))]
pub struct NewLicence {
    pub number: String,
    pub product_id: uuid::Uuid,
    pub customer_id: uuid::Uuid,
    pub quantity_kg: Kg,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<LicenceRow, ApiError> {
    lic::table
        .find(id)
        .select(LicenceRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("export licence"))
}

/// List export licences
#[utoipa::path(
    tag = "export-licences",
    params(ListParams),
    responses((status = 200, description = "One page of licences", body = Page<ExportLicence>), ReadErrors),
)]
#[get("/export-licences")]
pub async fn list_export_licences(
    state: web::Data<AppState>,
    _caller: Principal,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let p = params.into_inner();
    let limit = page::limit(p.limit)?;
    let cursor = p.cursor.as_deref().map(Cursor::decode).transpose()?;
    if p.status
        .as_deref()
        .is_some_and(|s| !["active", "revoked"].contains(&s))
    {
        return Err(ApiError::field("status", "must be active or revoked"));
    }
    let rows = state
        .db
        .read(move |conn| {
            let mut q = lic::table.select(LicenceRow::as_select()).into_boxed();
            if let Some(s) = p.status {
                q = q.filter(lic::status.eq(s));
            }
            if let Some(t) = p.updated_since {
                q = q.filter(lic::updated_at.ge(t.naive_utc()));
            }
            Ok(crate::api::page::after_cursor!(q, lic, cursor, limit).load::<LicenceRow>(conn)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page::paginate::<_, ExportLicence>(rows, limit)))
}

/// Register an export licence
///
/// Admin only.
#[utoipa::path(
    tag = "export-licences",
    request_body = NewLicence,
    responses((status = 201, description = "Registered", body = ExportLicence), WriteErrors),
)]
#[post("/export-licences")]
pub async fn create_export_licence(
    state: web::Data<AppState>,
    caller: Principal,
    body: ValidJson<NewLicence>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteExportLicences)?;
    let n = body.0;
    Checks::default()
        .check(
            is_code(&n.number),
            "number",
            "must be 1–40 of A–Z, 0–9, '-', '_', '.'",
        )
        .check(
            scaled::grams(n.quantity_kg).is_some_and(|g| g > 0),
            "quantity_kg",
            "must be greater than 0",
        )
        .check(
            n.valid_from <= n.valid_to,
            "valid_to",
            "must not be before valid_from",
        )
        .finish()?;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .write(move |conn| {
            let mut errors = Vec::new();
            errors.extend(crate::api::master::product_problem(
                conn,
                &n.product_id.to_string(),
                "product_id",
            )?);
            errors.extend(crate::api::master::customer_problem(
                conn,
                &n.customer_id.to_string(),
                "customer_id",
            )?);
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            let taken: i64 = lic::table
                .filter(lic::number.eq(&n.number))
                .count()
                .get_result(conn)?;
            if taken > 0 {
                return Err(ApiError::conflict(format!(
                    "a licence numbered {} exists",
                    n.number
                )));
            }
            let at = now();
            let row = LicenceRow {
                id: uuid::Uuid::new_v4().to_string(),
                number: n.number,
                product_id: n.product_id.to_string(),
                customer_id: n.customer_id.to_string(),
                quantity_g: scaled::grams(n.quantity_kg).unwrap_or(0),
                shipped_g: 0,
                valid_from: n.valid_from,
                valid_to: n.valid_to,
                status: "active".into(),
                created_at: at,
                updated_at: at,
                version: 1,
            };
            diesel::insert_into(lic::table).values(&row).execute(conn)?;
            change::record(
                conn,
                &actor,
                Change {
                    action: "created",
                    entity_type: "export_licence",
                    entity_id: &row.id,
                    before: None,
                    after: change::snapshot(&ExportLicence::from(&row)),
                },
            )?;
            Ok(row)
        })
        .await?;
    Ok(respond::created(
        row.version,
        format!("/api/v1/export-licences/{}", row.id),
        &ExportLicence::from(&row),
    ))
}

/// Get an export licence
#[utoipa::path(
    tag = "export-licences",
    params(("id" = uuid::Uuid, Path, description = "Licence id")),
    responses((status = 200, description = "The licence with what remains of it", body = ExportLicence), ReadErrors),
)]
#[get("/export-licences/{id}")]
pub async fn get_export_licence(
    state: web::Data<AppState>,
    _caller: Principal,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let row = state.db.read(move |conn| find(conn, &id)).await?;
    Ok(respond::ok(row.version, &ExportLicence::from(&row)))
}

/// Revoke an export licence
///
/// Admin only. Nothing more ships under it.
#[utoipa::path(
    tag = "export-licences",
    request_body(content = Option<ActionBody>, description = "Optional reason"),
    params(
        ("id" = uuid::Uuid, Path, description = "Licence id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The revoked licence", body = ExportLicence), WriteErrors),
)]
#[post("/export-licences/{id}/revoke")]
pub async fn revoke_export_licence(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: OptionalJson<ActionBody>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteExportLicences)?;
    let id = id.into_inner().to_string();
    let actor = Actor::from(&caller);
    let reason = body.0.reason;
    let row = state
        .db
        .write(move |conn| {
            let before = find(conn, &id)?;
            if_match.check(before.version)?;
            if before.status == "revoked" {
                return Err(ApiError::conflict("the licence is already revoked"));
            }
            let mut after = before.clone();
            after.status = "revoked".into();
            after.updated_at = now();
            after.version += 1;
            let n = diesel::update(
                lic::table
                    .filter(lic::id.eq(&id))
                    .filter(lic::version.eq(before.version)),
            )
            .set(&after)
            .execute(conn)?;
            if n == 0 {
                return Err(ApiError::PreconditionFailed(
                    "the licence was changed concurrently; read it again".into(),
                ));
            }
            let mut snap = change::snapshot(&ExportLicence::from(&after));
            crate::api::commitment::annotate(&mut snap, reason.as_deref(), false);
            change::record(
                conn,
                &actor,
                Change {
                    action: "revoked",
                    entity_type: "export_licence",
                    entity_id: &id,
                    before: change::snapshot(&ExportLicence::from(&before)),
                    after: snap,
                },
            )?;
            Ok(after)
        })
        .await?;
    Ok(respond::ok(row.version, &ExportLicence::from(&row)))
}
