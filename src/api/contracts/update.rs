use actix_web::{patch, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{Contract, ScheduleLine};
use crate::api::extract::{IfMatch, ValidJson};
use crate::api::respond;
use crate::api::validate::double_option;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::now;
use crate::domain::lifecycle::ContractStatus;
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::{Percent, Period, Permission, Price};
use crate::error::ApiError;
use crate::openapi::WriteErrors;
use crate::startup::AppState;

/// Changes to a draft contract; absent members stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"tolerance_pct": "10", "incoterm": "CIF", "incoterm_place": "Yokohama"}))]
pub struct ContractPatch {
    pub customer_id: Option<uuid::Uuid>,
    pub product_id: Option<uuid::Uuid>,
    pub start_period: Option<Period>,
    pub end_period: Option<Period>,
    pub schedule: Option<Vec<ScheduleLine>>,
    pub tolerance_pct: Option<Percent>,
    pub incoterm: Option<String>,
    pub incoterm_place: Option<String>,
    pub currency: Option<String>,
    pub payment_terms: Option<String>,
    pub pricing: Option<PricingTerms>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub addon_premium: Option<Option<Price>>,
    pub priority: Option<i32>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub external_ref: Option<Option<String>>,
}

/// Update a draft contract
///
/// Only drafts change freely (409 otherwise); an active contract's schedule changes through
/// `PUT /contracts/{id}/schedule` as an amendment.
#[utoipa::path(
    tag = "contracts",
    request_body = ContractPatch,
    params(
        ("id" = uuid::Uuid, Path, description = "Contract id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The updated contract", body = Contract), WriteErrors),
)]
#[patch("/contracts/{id}")]
pub async fn update_contract(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: ValidJson<ContractPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteContracts)?;
    let id = id.into_inner().to_string();
    let p = body.0;
    let actor = Actor::from(&caller);
    let stored = state
        .db
        .write(move |conn| {
            let before = super::find(conn, &id)?;
            if_match.check(before.row.version)?;
            if before.status() != ContractStatus::Draft {
                return Err(ApiError::conflict(format!(
                    "only draft contracts can be edited; this one is {}",
                    before.status().as_str()
                )));
            }
            let mut t = before.terms();
            if let Some(v) = p.customer_id {
                t.customer_id = v.to_string();
            }
            if let Some(v) = p.product_id {
                t.product_id = v.to_string();
            }
            if let Some(v) = p.start_period {
                t.start_period = v;
            }
            if let Some(v) = p.end_period {
                t.end_period = v;
            }
            if let Some(v) = p.schedule {
                t.schedule = v;
            }
            if let Some(v) = p.tolerance_pct {
                t.tolerance_pct = v;
            }
            if let Some(v) = p.incoterm {
                t.incoterm = v;
            }
            if let Some(v) = p.incoterm_place {
                t.incoterm_place = v;
            }
            if let Some(v) = p.currency {
                t.currency = v;
            }
            if let Some(v) = p.payment_terms {
                t.payment_terms = v;
            }
            if let Some(v) = p.pricing {
                t.pricing = v;
            }
            if let Some(v) = p.addon_premium {
                t.addon_premium = v;
            }
            if let Some(v) = p.priority {
                t.priority = v;
            }
            if let Some(v) = p.external_ref {
                t.external_ref = v;
            }
            t.validate(conn)?;
            let mut row = before.row.clone();
            super::apply_terms(&mut row, &t);
            row.updated_at = now();
            row.version += 1;
            super::ensure_unique(conn, &row)?;
            super::save(conn, &before.row, &row)?;
            super::write_lines(conn, &row.id, &t.grams())?;
            let after = super::find(conn, &row.id)?;
            change::record(
                conn,
                &actor,
                Change {
                    action: "updated",
                    entity_type: "contract",
                    entity_id: &row.id,
                    before: super::snapshot(&before),
                    after: super::snapshot(&after),
                },
            )?;
            Ok(after)
        })
        .await?;
    Ok(respond::ok(stored.row.version, &stored.view()))
}
