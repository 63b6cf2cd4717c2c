use actix_web::{post, web, HttpResponse};
use diesel::RunQueryDsl;

use super::{NewProduct, Product};
use crate::api::extract::ValidJson;
use crate::api::respond;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::models::product::ProductRow;
use crate::db::now;
use crate::domain::reference::MasterStatus;
use crate::domain::Permission;
use crate::error::ApiError;
use crate::openapi::WriteErrors;
use crate::startup::AppState;

/// Create a product
///
/// Roles: admin, planner, integration. Codes and ERP references are unique (409 otherwise).
#[utoipa::path(
    tag = "products",
    request_body = NewProduct,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request")),
    responses((status = 201, description = "Created", body = Product), WriteErrors),
)]
#[post("/products")]
pub async fn create_product(
    state: web::Data<AppState>,
    caller: Principal,
    body: ValidJson<NewProduct>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteProducts)?;
    let new = body.0;
    let at = now();
    let row = ProductRow {
        id: uuid::Uuid::new_v4().to_string(),
        code: new.code,
        name: new.name.trim().to_string(),
        form: new.form.as_str().into(),
        min_purity_milli_pct: super::purity_units(new.min_purity_pct),
        hs_code: new.hs_code,
        export_controlled: new.export_controlled,
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
            diesel::insert_into(crate::db::schema::products::table)
                .values(&row)
                .execute(conn)?;
            change::record(
                conn,
                &actor,
                Change {
                    action: "created",
                    entity_type: "product",
                    entity_id: &row.id,
                    before: None,
                    after: change::snapshot(&Product::from(&row)),
                },
            )?;
            Ok(row)
        })
        .await?;
    Ok(respond::created(
        row.version,
        format!("/api/v1/products/{}", row.id),
        &Product::from(&row),
    ))
}
