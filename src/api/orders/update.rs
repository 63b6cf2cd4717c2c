use actix_web::{patch, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::Order;
use crate::api::extract::{IfMatch, ValidJson};
use crate::api::respond;
use crate::api::validate::{double_option, Checks};
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::{now, scaled};
use crate::domain::lifecycle::OrderStatus;
use crate::domain::reference::is_incoterm;
use crate::domain::{Kg, Period, Permission};
use crate::error::ApiError;
use crate::openapi::WriteErrors;
use crate::startup::AppState;

/// Changes to a draft order; absent members stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"quantity_kg": "2500.000"}))]
pub struct OrderPatch {
    pub period: Option<Period>,
    pub quantity_kg: Option<Kg>,
    pub incoterm: Option<String>,
    pub incoterm_place: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub external_ref: Option<Option<String>>,
}

/// Update a draft order
///
/// Only drafts change (409 otherwise). Roles: admin, sales, integration.
#[utoipa::path(
    tag = "orders",
    request_body = OrderPatch,
    params(
        ("id" = uuid::Uuid, Path, description = "Order id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The updated order", body = Order), WriteErrors),
)]
#[patch("/orders/{id}")]
pub async fn update_order(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: ValidJson<OrderPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteOrders)?;
    let id = id.into_inner().to_string();
    let p = body.0;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .write(move |conn| {
            let before = super::find(conn, &id)?;
            if_match.check(before.version)?;
            if super::status(&before) != OrderStatus::Draft {
                return Err(ApiError::conflict(format!(
                    "only draft orders can be edited; this one is {}",
                    before.status
                )));
            }
            let mut after = before.clone();
            let mut checks = Checks::default();
            if let Some(v) = p.period {
                after.period = v.to_string();
            }
            if let Some(v) = p.quantity_kg {
                let g = scaled::grams(v).unwrap_or(0);
                checks.check(g > 0, "quantity_kg", "must be greater than 0");
                after.quantity_g = g;
            }
            if let Some(v) = p.incoterm {
                checks.check(
                    is_incoterm(&v),
                    "incoterm",
                    "must be an Incoterms 2020 code such as FOB or CIF",
                );
                after.incoterm = v;
            }
            if let Some(v) = p.incoterm_place {
                checks.text(&v, "incoterm_place", 200);
                after.incoterm_place = v.trim().to_string();
            }
            if let Some(v) = p.external_ref {
                if let Some(e) = &v {
                    checks.text(e, "external_ref", 100);
                }
                after.external_ref = v;
            }
            checks.finish()?;
            let errors = super::create::check_parties(conn, &after)?;
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            super::ensure_unique(conn, &after)?;
            after.updated_at = now();
            after.version += 1;
            super::save(conn, &before, &after)?;
            change::record(
                conn,
                &actor,
                Change {
                    action: "updated",
                    entity_type: "order",
                    entity_id: &after.id,
                    before: change::snapshot(&Order::from(&before)),
                    after: change::snapshot(&Order::from(&after)),
                },
            )?;
            Ok(after)
        })
        .await?;
    Ok(respond::ok(row.version, &Order::from(&row)))
}
