use actix_web::{post, web, HttpResponse};

use super::PriceIndex;
use crate::api::extract::{IfMatch, OptionalJson};
use crate::api::respond;
use crate::api::validate::ActionBody;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::now;
use crate::domain::reference::MasterStatus;
use crate::domain::Permission;
use crate::error::ApiError;
use crate::openapi::WriteErrors;
use crate::startup::AppState;

/// Archive a price index
///
/// Archived indices keep their quotes for history but take no new quotes.
#[utoipa::path(
    tag = "price-indices",
    request_body(content = Option<ActionBody>, description = "Optional reason"),
    params(
        ("id" = uuid::Uuid, Path, description = "Price index id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request"),
    ),
    responses((status = 200, description = "The archived price index", body = PriceIndex), WriteErrors),
)]
#[post("/price-indices/{id}/archive")]
pub async fn archive_price_index(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: OptionalJson<ActionBody>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WritePriceIndices)?;
    let id = id.into_inner().to_string();
    let actor = Actor::from(&caller);
    let reason = body.0.reason;
    let row = state
        .db
        .write(move |conn| {
            let before = super::find(conn, &id)?;
            if_match.check(before.version)?;
            if before.status == MasterStatus::Archived.as_str() {
                return Err(ApiError::conflict("the price index is already archived"));
            }
            let mut after = before.clone();
            after.status = MasterStatus::Archived.as_str().into();
            after.updated_at = now();
            after.version += 1;
            super::save(conn, &before, &after)?;
            let mut snapshot = change::snapshot(&PriceIndex::from(&after));
            if let (Some(serde_json::Value::Object(map)), Some(r)) = (&mut snapshot, reason) {
                map.insert("reason".into(), r.into());
            }
            change::record(
                conn,
                &actor,
                Change {
                    action: "archived",
                    entity_type: "price_index",
                    entity_id: &after.id,
                    before: change::snapshot(&PriceIndex::from(&before)),
                    after: snapshot,
                },
            )?;
            Ok(after)
        })
        .await?;
    Ok(respond::ok(row.version, &PriceIndex::from(&row)))
}
