use actix_web::{post, web, HttpResponse};

use crate::extract::Caller;
use crate::extract::ValidJson;
use crate::ops::pricing::{self, PricePreviewRequest, PriceView};
use crate::problem::{ApiError, WriteErrors};
use crate::state::AppState;

/// Preview a price
///
/// What the terms give for a delivery month today: unit price, status (fixed, final,
/// provisional with its basis month, unpriced) and the index average used. The index must be
/// in the given currency (422 otherwise).
#[utoipa::path(
    tag = "pricing",
    request_body = PricePreviewRequest,
    responses((status = 200, description = "The price", body = PriceView), WriteErrors),
)]
#[post("/pricing/preview")]
pub async fn preview_price(
    state: web::Data<AppState>,
    _actor: Caller,
    body: ValidJson<PricePreviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let req = body.0;
    let view = state.db.read(move |c| pricing::preview(c, &req)).await?;
    Ok(HttpResponse::Ok().json(view))
}
