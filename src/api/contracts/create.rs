use actix_web::{post, web, HttpResponse};
use chrono::Datelike;

use super::{Contract, ContractTerms, NewContract, StoredContract};
use crate::api::extract::ValidJson;
use crate::api::respond;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::models::contract::ContractRow;
use crate::db::{counters, now};
use crate::domain::lifecycle::ContractStatus;
use crate::domain::reference::is_code;
use crate::domain::Permission;
use crate::error::ApiError;
use crate::openapi::WriteErrors;
use crate::startup::AppState;

/// Create a contract
///
/// Created as a draft; nothing is committed until it is activated. Roles: admin, sales.
#[utoipa::path(
    tag = "contracts",
    request_body = NewContract,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request")),
    responses((status = 201, description = "Created", body = Contract), WriteErrors),
)]
#[post("/contracts")]
pub async fn create_contract(
    state: web::Data<AppState>,
    caller: Principal,
    body: ValidJson<NewContract>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteContracts)?;
    let new = body.0;
    if let Some(n) = &new.number {
        if !is_code(n) {
            return Err(ApiError::field(
                "number",
                "must be 1–40 of A–Z, 0–9, '-', '_', '.'",
            ));
        }
    }
    let terms = ContractTerms {
        customer_id: new.customer_id.to_string(),
        product_id: new.product_id.to_string(),
        start_period: new.start_period,
        end_period: new.end_period,
        schedule: new.schedule,
        tolerance_pct: new.tolerance_pct,
        incoterm: new.incoterm,
        incoterm_place: new.incoterm_place,
        currency: new.currency,
        payment_terms: new.payment_terms,
        pricing: new.pricing,
        addon_premium: new.addon_premium,
        priority: new.priority,
        external_ref: new.external_ref,
    };
    let actor = Actor::from(&caller);
    let number = new.number;
    let stored = state
        .db
        .write(move |conn| {
            terms.validate(conn)?;
            let at = now();
            let number = match number {
                Some(n) => n,
                None => format!(
                    "LTC-{}-{:05}",
                    at.year(),
                    counters::next(conn, "contracts")?
                ),
            };
            let mut row = ContractRow {
                id: uuid::Uuid::new_v4().to_string(),
                number,
                customer_id: String::new(),
                product_id: String::new(),
                start_period: String::new(),
                end_period: String::new(),
                tolerance_milli_pct: 0,
                incoterm: String::new(),
                incoterm_place: String::new(),
                currency: String::new(),
                payment_terms: String::new(),
                pricing_json: String::new(),
                addon_premium_e4: None,
                priority: 0,
                status: ContractStatus::Draft.as_str().into(),
                external_ref: None,
                created_at: at,
                updated_at: at,
                version: 1,
            };
            super::apply_terms(&mut row, &terms);
            super::ensure_unique(conn, &row)?;
            diesel::RunQueryDsl::execute(
                diesel::insert_into(crate::db::schema::contracts::table).values(&row),
                conn,
            )?;
            super::write_lines(conn, &row.id, &terms.grams())?;
            let stored = super::find(conn, &row.id)?;
            change::record(
                conn,
                &actor,
                Change {
                    action: "created",
                    entity_type: "contract",
                    entity_id: &row.id,
                    before: None,
                    after: super::snapshot(&stored),
                },
            )?;
            Ok::<StoredContract, ApiError>(stored)
        })
        .await?;
    Ok(respond::created(
        stored.row.version,
        format!("/api/v1/contracts/{}", stored.row.id),
        &stored.view(),
    ))
}
