use actix_web::{patch, web, HttpResponse};

use super::{PriceIndex, PriceIndexPatch};
use crate::api::extract::{IfMatch, ValidJson};
use crate::api::respond;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::now;
use crate::domain::Permission;
use crate::error::ApiError;
use crate::openapi::WriteErrors;
use crate::startup::AppState;

/// Update a price index
///
/// Send only the members to change. With `If-Match`, refused (412) unless the price index is
/// still at that version.
#[utoipa::path(
    tag = "price-indices",
    request_body = PriceIndexPatch,
    params(
        ("id" = uuid::Uuid, Path, description = "Price index id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The updated price index", body = PriceIndex), WriteErrors),
)]
#[patch("/price-indices/{id}")]
pub async fn update_price_index(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: ValidJson<PriceIndexPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WritePriceIndices)?;
    let id = id.into_inner().to_string();
    let patch = body.0;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .write(move |conn| {
            let before = super::find(conn, &id)?;
            if_match.check(before.version)?;
            let mut after = before.clone();
            if let Some(v) = patch.code {
                after.code = v;
            }
            if let Some(v) = patch.name {
                after.name = v.trim().to_string();
            }
            if let Some(v) = patch.currency {
                after.currency = v;
            }
            if let Some(v) = patch.source {
                after.source = v;
            }
            super::validate(&after)?;
            super::ensure_unique(conn, &after)?;
            after.updated_at = now();
            after.version += 1;
            super::save(conn, &before, &after)?;
            change::record(
                conn,
                &actor,
                Change {
                    action: "updated",
                    entity_type: "price_index",
                    entity_id: &after.id,
                    before: change::snapshot(&PriceIndex::from(&before)),
                    after: change::snapshot(&PriceIndex::from(&after)),
                },
            )?;
            Ok(after)
        })
        .await?;
    Ok(respond::ok(row.version, &PriceIndex::from(&row)))
}
