use actix_web::{post, web, HttpResponse};
use diesel::RunQueryDsl;

use super::{Customer, NewCustomer};
use crate::api::extract::ValidJson;
use crate::api::respond;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::models::customer::CustomerRow;
use crate::db::now;
use crate::domain::reference::MasterStatus;
use crate::domain::Permission;
use crate::error::ApiError;
use crate::openapi::WriteErrors;
use crate::startup::AppState;

/// Create a customer
///
/// Roles: admin, sales, integration. Codes and ERP references are unique (409 otherwise).
#[utoipa::path(
    tag = "customers",
    request_body = NewCustomer,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request")),
    responses((status = 201, description = "Created", body = Customer), WriteErrors),
)]
#[post("/customers")]
pub async fn create_customer(
    state: web::Data<AppState>,
    caller: Principal,
    body: ValidJson<NewCustomer>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteCustomers)?;
    let new = body.0;
    let at = now();
    let row = CustomerRow {
        id: uuid::Uuid::new_v4().to_string(),
        code: new.code,
        name: new.name.trim().to_string(),
        country: new.country,
        external_ref: new.external_ref,
        status: MasterStatus::Active.as_str().into(),
        created_at: at,
        updated_at: at,
        version: 1,
    };
    super::validate(&row)?;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .write(move |conn| {
            super::ensure_unique(conn, &row)?;
            diesel::insert_into(crate::db::schema::customers::table)
                .values(&row)
                .execute(conn)?;
            change::record(
                conn,
                &actor,
                Change {
                    action: "created",
                    entity_type: "customer",
                    entity_id: &row.id,
                    before: None,
                    after: change::snapshot(&Customer::from(&row)),
                },
            )?;
            Ok(row)
        })
        .await?;
    Ok(respond::created(
        row.version,
        format!("/api/v1/customers/{}", row.id),
        &Customer::from(&row),
    ))
}
