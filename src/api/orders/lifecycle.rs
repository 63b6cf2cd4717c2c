use std::collections::BTreeMap;

use actix_web::{post, web, HttpResponse};

use super::Order;
use crate::api::commitment::{annotate, atp_gate, ActionRequest};
use crate::api::extract::{IfMatch, OptionalJson};
use crate::api::respond;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::now;
use crate::domain::lifecycle::OrderAction;
use crate::domain::{Period, Permission};
use crate::error::ApiError;
use crate::openapi::WriteErrors;
use crate::startup::AppState;

/// Moves an order through its lifecycle; confirmation runs the ATP check.
async fn transition(
    state: web::Data<AppState>,
    caller: Principal,
    id: uuid::Uuid,
    if_match: IfMatch,
    body: ActionRequest,
    action: OrderAction,
) -> Result<HttpResponse, ApiError> {
    body.authorize(&caller, Permission::WriteOrders)?;
    let reason = body.reason(matches!(action, OrderAction::Cancel | OrderAction::Reject))?;
    if body.atp_override && action != OrderAction::Confirm {
        return Err(ApiError::field(
            "override",
            "only confirmation runs the ATP check",
        ));
    }
    let id = id.to_string();
    let actor = Actor::from(&caller);
    let row = state
        .db
        .write(move |conn| {
            let before = super::find(conn, &id)?;
            if_match.check(before.version)?;
            let from = super::status(&before);
            let to = from.apply(action).ok_or_else(|| {
                ApiError::conflict(format!(
                    "a {} order cannot be {}",
                    from.as_str(),
                    action.past()
                ))
            })?;
            let mut after = before.clone();
            let mut overridden = false;
            if action == OrderAction::Confirm {
                let errors = super::create::check_parties(conn, &before)?;
                if let Some(e) = errors.first() {
                    return Err(ApiError::conflict(format!(
                        "cannot confirm: {}: {}",
                        e.field, e.message
                    )));
                }
                let period = Period::parse(&before.period)
                    .ok_or_else(|| ApiError::unexpected("stored order period is invalid"))?;
                let extra = BTreeMap::from([(period, before.quantity_g)]);
                overridden = atp_gate(conn, &before.product_id, &extra, body.atp_override)?;
                after.confirmed_at = Some(now());
            }
            after.status = to.as_str().into();
            after.updated_at = now();
            after.version += 1;
            super::save(conn, &before, &after)?;
            let mut snapshot = change::snapshot(&Order::from(&after));
            annotate(&mut snapshot, reason.as_deref(), overridden);
            change::record(
                conn,
                &actor,
                Change {
                    action: action.past(),
                    entity_type: "order",
                    entity_id: &after.id,
                    before: change::snapshot(&Order::from(&before)),
                    after: snapshot,
                },
            )?;
            Ok(after)
        })
        .await?;
    Ok(respond::ok(row.version, &Order::from(&row)))
}

macro_rules! order_action {
    ($fn_name:ident, $path:literal, $action:expr, $summary:literal, $doc:literal) => {
        #[doc = $summary]
        #[doc = ""]
        #[doc = $doc]
        #[utoipa::path(
            tag = "orders",
            request_body(content = Option<ActionRequest>, description = "Reason (and override)"),
            params(
                ("id" = uuid::Uuid, Path, description = "Order id"),
                ("If-Match" = Option<String>, Header, description = "The ETag last read"),
            ),
            responses((status = 200, description = "The order in its new state", body = Order), WriteErrors),
        )]
        #[post($path)]
        pub async fn $fn_name(
            state: web::Data<AppState>,
            caller: Principal,
            id: web::Path<uuid::Uuid>,
            if_match: IfMatch,
            body: OptionalJson<ActionRequest>,
        ) -> Result<HttpResponse, ApiError> {
            transition(state, caller, id.into_inner(), if_match, body.0, $action).await
        }
    };
}

order_action!(
    submit_order,
    "/orders/{id}/submit",
    OrderAction::Submit,
    "Submit an order",
    "draft → submitted: ready for confirmation. Still pending, not demand."
);
order_action!(
    confirm_order,
    "/orders/{id}/confirm",
    OrderAction::Confirm,
    "Confirm an order",
    "draft or submitted → confirmed, after the ATP check for the order's product and month: \
     409 `urn:ndpr:problem:insufficient-atp` with `requested_kg`, `available_kg` and \
     `first_short_period` when it would create or deepen a shortfall. Planners and admins may \
     confirm anyway with `{\"override\": true, \"reason\": …}`; sales may not (403)."
);
order_action!(
    reject_order,
    "/orders/{id}/reject",
    OrderAction::Reject,
    "Reject an order",
    "submitted → rejected; a `reason` is required."
);
order_action!(
    cancel_order,
    "/orders/{id}/cancel",
    OrderAction::Cancel,
    "Cancel an order",
    "draft, submitted or confirmed → cancelled; a `reason` is required. A confirmed order's \
     quantity becomes available to promise again."
);
