use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::ScheduleLine;
use crate::auth::Principal;
use crate::db::schema::contract_amendments as a;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

/// A change to an active contract's schedule.
#[derive(Debug, Serialize, ToSchema)]
pub struct Amendment {
    pub id: uuid::Uuid,
    pub contract_id: uuid::Uuid,
    #[schema(example = "akiko")]
    pub actor: String,
    #[schema(example = "customer asked for more in January")]
    pub reason: String,
    pub old_schedule: Vec<ScheduleLine>,
    pub new_schedule: Vec<ScheduleLine>,
    /// Whether a planner or admin accepted a shortfall to make it.
    pub atp_override: bool,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AmendmentList {
    pub items: Vec<Amendment>,
}

/// List a contract's amendments
///
/// Oldest first: who changed the schedule of the active contract, when, why, from what to what.
#[utoipa::path(
    tag = "contracts",
    params(("id" = uuid::Uuid, Path, description = "Contract id")),
    responses((status = 200, description = "The amendments", body = AmendmentList), ReadErrors),
)]
#[get("/contracts/{id}/amendments")]
pub async fn list_contract_amendments(
    state: web::Data<AppState>,
    _caller: Principal,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    type Row = (
        String,
        String,
        String,
        String,
        String,
        String,
        bool,
        NaiveDateTime,
    );
    let rows: Vec<Row> = state
        .db
        .read(move |conn| {
            super::find(conn, &id)?;
            Ok(a::table
                .filter(a::contract_id.eq(&id))
                .order(a::at.asc())
                .select((
                    a::id,
                    a::contract_id,
                    a::actor,
                    a::reason,
                    a::old_schedule_json,
                    a::new_schedule_json,
                    a::atp_override,
                    a::at,
                ))
                .load(conn)?)
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|r| Amendment {
            id: super::uuid(&r.0),
            contract_id: super::uuid(&r.1),
            actor: r.2,
            reason: r.3,
            old_schedule: serde_json::from_str(&r.4).unwrap_or_default(),
            new_schedule: serde_json::from_str(&r.5).unwrap_or_default(),
            atp_override: r.6,
            at: r.7.and_utc(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(AmendmentList { items }))
}
