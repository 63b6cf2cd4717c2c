use actix_web::{post, web, HttpResponse};

use super::Product;
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

/// Archive a product
///
/// Archived products stay readable for history but take no new business.
#[utoipa::path(
    tag = "products",
    request_body(content = Option<ActionBody>, description = "Optional reason"),
    params(
        ("id" = uuid::Uuid, Path, description = "Product id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request"),
    ),
    responses((status = 200, description = "The archived product", body = Product), WriteErrors),
)]
#[post("/products/{id}/archive")]
pub async fn archive_product(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: OptionalJson<ActionBody>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteProducts)?;
    let id = id.into_inner().to_string();
    let actor = Actor::from(&caller);
    let reason = body.0.reason;
    let row = state
        .db
        .write(move |conn| {
            let before = super::find(conn, &id)?;
            if_match.check(before.version)?;
            if before.status == MasterStatus::Archived.as_str() {
                return Err(ApiError::conflict("the product is already archived"));
            }
            let mut after = before.clone();
            after.status = MasterStatus::Archived.as_str().into();
            after.updated_at = now();
            after.version += 1;
            super::save(conn, &before, &after)?;
            let mut snapshot = change::snapshot(&Product::from(&after));
            if let (Some(serde_json::Value::Object(map)), Some(r)) = (&mut snapshot, reason) {
                map.insert("reason".into(), r.into());
            }
            change::record(
                conn,
                &actor,
                Change {
                    action: "archived",
                    entity_type: "product",
                    entity_id: &after.id,
                    before: change::snapshot(&Product::from(&before)),
                    after: snapshot,
                },
            )?;
            Ok(after)
        })
        .await?;
    Ok(respond::ok(row.version, &Product::from(&row)))
}
