use actix_web::{post, web, HttpResponse};

use crate::domain::order::Order;
use crate::extract::Caller;
use crate::extract::ValidJson;
use crate::ops::orders::{self, NewOrder};
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Create an order
///
/// Created as a draft. Roles: admin, sales, integration.
#[utoipa::path(
    tag = "orders",
    request_body = NewOrder,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request")),
    responses((status = 201, description = "Created", body = Order), WriteErrors),
)]
#[post("")]
pub async fn create_order(
    state: web::Data<AppState>,
    actor: Caller,
    body: ValidJson<NewOrder>,
) -> Result<HttpResponse, ApiError> {
    let made = state
        .db
        .write(move |c| orders::create(c, &actor, body.0))
        .await?;
    Ok(respond::created(
        made.version,
        format!("/api/v1/orders/{}", made.id),
        &made,
    ))
}
