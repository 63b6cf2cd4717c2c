use actix_web::{post, web, HttpResponse};
use diesel::RunQueryDsl;

use super::{NewPriceIndex, PriceIndex};
use crate::api::extract::ValidJson;
use crate::api::respond;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::models::price_index::PriceIndexRow;
use crate::db::now;
use crate::domain::reference::MasterStatus;
use crate::domain::Permission;
use crate::error::ApiError;
use crate::openapi::WriteErrors;
use crate::startup::AppState;

/// Create a price index
///
/// Roles: admin, planner. Codes are unique (409 otherwise).
#[utoipa::path(
    tag = "price-indices",
    request_body = NewPriceIndex,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request")),
    responses((status = 201, description = "Created", body = PriceIndex), WriteErrors),
)]
#[post("/price-indices")]
pub async fn create_price_index(
    state: web::Data<AppState>,
    caller: Principal,
    body: ValidJson<NewPriceIndex>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WritePriceIndices)?;
    let new = body.0;
    let at = now();
    let row = PriceIndexRow {
        id: uuid::Uuid::new_v4().to_string(),
        code: new.code,
        name: new.name.trim().to_string(),
        currency: new.currency,
        source: new.source,
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
            diesel::insert_into(crate::db::schema::price_indices::table)
                .values(&row)
                .execute(conn)?;
            change::record(
                conn,
                &actor,
                Change {
                    action: "created",
                    entity_type: "price_index",
                    entity_id: &row.id,
                    before: None,
                    after: change::snapshot(&PriceIndex::from(&row)),
                },
            )?;
            Ok(row)
        })
        .await?;
    Ok(respond::created(
        row.version,
        format!("/api/v1/price-indices/{}", row.id),
        &PriceIndex::from(&row),
    ))
}
