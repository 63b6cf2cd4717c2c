use actix_web::{patch, web, HttpResponse};

use super::{Product, ProductPatch};
use crate::api::extract::{IfMatch, ValidJson};
use crate::api::respond;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::now;
use crate::domain::Permission;
use crate::error::ApiError;
use crate::openapi::WriteErrors;
use crate::startup::AppState;

/// Update a product
///
/// Send only the members to change. With `If-Match`, refused (412) unless the product is
/// still at that version.
#[utoipa::path(
    tag = "products",
    request_body = ProductPatch,
    params(
        ("id" = uuid::Uuid, Path, description = "Product id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The updated product", body = Product), WriteErrors),
)]
#[patch("/products/{id}")]
pub async fn update_product(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: ValidJson<ProductPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteProducts)?;
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
            if let Some(v) = patch.form {
                after.form = v.as_str().into();
            }
            if let Some(v) = patch.min_purity_pct {
                after.min_purity_milli_pct = super::purity_units(v);
            }
            if let Some(v) = patch.hs_code {
                after.hs_code = v;
            }
            if let Some(v) = patch.export_controlled {
                after.export_controlled = v;
            }
            if let Some(v) = patch.external_ref {
                after.external_ref = v;
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
                    entity_type: "product",
                    entity_id: &after.id,
                    before: change::snapshot(&Product::from(&before)),
                    after: change::snapshot(&Product::from(&after)),
                },
            )?;
            Ok(after)
        })
        .await?;
    Ok(respond::ok(row.version, &Product::from(&row)))
}
