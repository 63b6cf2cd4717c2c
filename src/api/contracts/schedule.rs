use std::collections::BTreeMap;

use actix_web::{put, web, HttpResponse};
use diesel::{ExpressionMethods, RunQueryDsl};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{Contract, ScheduleLine};
use crate::api::commitment::{annotate, atp_gate, ActionRequest};
use crate::api::extract::{IfMatch, ValidJson};
use crate::api::respond;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::now;
use crate::db::schema::contract_amendments;
use crate::domain::lifecycle::ContractStatus;
use crate::domain::Permission;
use crate::error::ApiError;
use crate::openapi::WriteErrors;
use crate::startup::AppState;

/// A new delivery schedule. For an active or suspended contract this is an amendment and
/// needs a reason; growing any month runs the ATP check.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"schedule": [{"period": "2027-01", "quantity_kg": "15000.000"}], "reason": "customer asked for more in January"}))]
pub struct ScheduleReplacement {
    pub schedule: Vec<ScheduleLine>,
    pub reason: Option<String>,
    /// Accept a shortfall the growth would cause (planner or admin, with a reason).
    #[serde(default, rename = "override")]
    pub atp_override: bool,
}

/// Replace a contract's schedule
///
/// On a draft, simply replaces it. On an active or suspended contract it is an amendment,
/// kept with who, when, why and the old and new schedule; months that grow are checked
/// against available-to-promise (409 with the numbers unless overridden).
#[utoipa::path(
    tag = "contracts",
    request_body = ScheduleReplacement,
    params(
        ("id" = uuid::Uuid, Path, description = "Contract id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The contract with its new schedule", body = Contract), WriteErrors),
)]
#[put("/contracts/{id}/schedule")]
pub async fn replace_contract_schedule(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: ValidJson<ScheduleReplacement>,
) -> Result<HttpResponse, ApiError> {
    let req = body.0;
    let action = ActionRequest {
        reason: req.reason.clone(),
        atp_override: req.atp_override,
    };
    action.authorize(&caller, Permission::WriteContracts)?;
    let reason = action.reason(false)?;
    let id = id.into_inner().to_string();
    let actor = Actor::from(&caller);
    let stored = state
        .db
        .write(move |conn| {
            let before = super::find(conn, &id)?;
            if_match.check(before.row.version)?;
            let status = before.status();
            if matches!(
                status,
                ContractStatus::Completed | ContractStatus::Terminated
            ) {
                return Err(ApiError::conflict(format!(
                    "the schedule of a {} contract cannot change",
                    status.as_str()
                )));
            }
            let amendment = status != ContractStatus::Draft;
            if amendment && reason.is_none() {
                return Err(ApiError::field(
                    "reason",
                    "is required to amend an active or suspended contract",
                ));
            }
            let mut terms = before.terms();
            terms.schedule = req.schedule;
            terms.validate(conn)?;
            let old = before.terms().grams();
            let new = terms.grams();
            let growth: BTreeMap<_, _> = new
                .iter()
                .filter_map(|(p, g)| {
                    let more = g - old.get(p).copied().unwrap_or(0);
                    (more > 0).then_some((*p, more))
                })
                .collect();
            let overridden = if amendment && !growth.is_empty() {
                atp_gate(conn, &before.row.product_id, &growth, req.atp_override)?
            } else {
                false
            };
            let mut row = before.row.clone();
            row.updated_at = now();
            row.version += 1;
            super::save(conn, &before.row, &row)?;
            super::write_lines(conn, &row.id, &new)?;
            let after = super::find(conn, &row.id)?;
            if amendment {
                diesel::insert_into(contract_amendments::table)
                    .values((
                        contract_amendments::id.eq(uuid::Uuid::new_v4().to_string()),
                        contract_amendments::contract_id.eq(&row.id),
                        contract_amendments::actor.eq(&actor.username),
                        contract_amendments::reason.eq(reason.as_deref().unwrap_or_default()),
                        contract_amendments::old_schedule_json
                            .eq(serde_json::to_string(&before.schedule()).unwrap_or_default()),
                        contract_amendments::new_schedule_json
                            .eq(serde_json::to_string(&after.schedule()).unwrap_or_default()),
                        contract_amendments::atp_override.eq(overridden),
                        contract_amendments::at.eq(row.updated_at),
                    ))
                    .execute(conn)?;
            }
            let mut snapshot = super::snapshot(&after);
            annotate(&mut snapshot, reason.as_deref(), overridden);
            change::record(
                conn,
                &actor,
                Change {
                    action: if amendment {
                        "amended"
                    } else {
                        "schedule_replaced"
                    },
                    entity_type: "contract",
                    entity_id: &row.id,
                    before: super::snapshot(&before),
                    after: snapshot,
                },
            )?;
            Ok(after)
        })
        .await?;
    Ok(respond::ok(stored.row.version, &stored.view()))
}
