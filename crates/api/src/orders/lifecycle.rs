//! The order lifecycle over HTTP: submit, confirm (with the ATP gate), reject, cancel.

use actix_web::post;

use crate::lifecycle::lifecycle_action;
use crate::ops::orders;

lifecycle_action!(
    submit_order,
    "/{id}/submit",
    orders::submit,
    "Submit an order",
    "draft → submitted: ready for confirmation. Still pending, not demand.",
    tag: "orders", entity: crate::domain::order::Order, id: "Order id",
    body: "Reason (and override)", answer: "The order in its new state",
);
lifecycle_action!(
    confirm_order,
    "/{id}/confirm",
    orders::confirm,
    "Confirm an order",
    "draft or submitted → confirmed, after the ATP check for the order's product and month: \
     409 `urn:ndpr:problem:insufficient-atp` with `requested_kg`, `available_kg` and \
     `first_short_period` when it would create or deepen a shortfall. Planners and admins may \
     confirm anyway with `{\"override\": true, \"reason\": …}`; sales may not (403).",
    tag: "orders", entity: crate::domain::order::Order, id: "Order id",
    body: "Reason (and override)", answer: "The order in its new state",
);
lifecycle_action!(
    reject_order,
    "/{id}/reject",
    orders::reject,
    "Reject an order",
    "submitted → rejected; a `reason` is required.",
    tag: "orders", entity: crate::domain::order::Order, id: "Order id",
    body: "Reason (and override)", answer: "The order in its new state",
);
lifecycle_action!(
    cancel_order,
    "/{id}/cancel",
    orders::cancel,
    "Cancel an order",
    "draft, submitted or confirmed → cancelled; a `reason` is required. A confirmed order's \
     quantity becomes available to promise again.",
    tag: "orders", entity: crate::domain::order::Order, id: "Order id",
    body: "Reason (and override)", answer: "The order in its new state",
);
