//! The order lifecycle over HTTP: submit, confirm (with the ATP gate), reject, cancel.

use actix_web::{post, web, HttpResponse};

use crate::api::extract::{IfMatch, OptionalJson};
use crate::api::problem::{ApiError, WriteErrors};
use crate::api::respond;
use crate::domain::order::Order;
use crate::ops::action::ActionRequest;
use crate::ops::{orders, Actor};
use crate::state::AppState;

macro_rules! order_action {
    ($fn_name:ident, $path:literal, $op:path, $summary:literal, $doc:literal) => {
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
            actor: Actor,
            id: web::Path<uuid::Uuid>,
            if_match: IfMatch,
            body: OptionalJson<ActionRequest>,
        ) -> Result<HttpResponse, ApiError> {
            let id = id.into_inner();
            let moved = state
                .db
                .write(move |c| $op(c, &actor, id, &if_match.0, &body.0))
                .await?;
            Ok(respond::ok(moved.version, &moved))
        }
    };
}

order_action!(
    submit_order,
    "/orders/{id}/submit",
    orders::submit,
    "Submit an order",
    "draft → submitted: ready for confirmation. Still pending, not demand."
);
order_action!(
    confirm_order,
    "/orders/{id}/confirm",
    orders::confirm,
    "Confirm an order",
    "draft or submitted → confirmed, after the ATP check for the order's product and month: \
     409 `urn:ndpr:problem:insufficient-atp` with `requested_kg`, `available_kg` and \
     `first_short_period` when it would create or deepen a shortfall. Planners and admins may \
     confirm anyway with `{\"override\": true, \"reason\": …}`; sales may not (403)."
);
order_action!(
    reject_order,
    "/orders/{id}/reject",
    orders::reject,
    "Reject an order",
    "submitted → rejected; a `reason` is required."
);
order_action!(
    cancel_order,
    "/orders/{id}/cancel",
    orders::cancel,
    "Cancel an order",
    "draft, submitted or confirmed → cancelled; a `reason` is required. A confirmed order's \
     quantity becomes available to promise again."
);
