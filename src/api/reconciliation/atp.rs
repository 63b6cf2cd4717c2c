use actix_web::{get, web, HttpResponse};

use crate::api::problem::{ApiError, ReadErrors};
use crate::ops::reconciliation::{self, Atp, AtpQuery};
use crate::ops::Actor;
use crate::state::AppState;

/// Available to promise
///
/// What can still be confirmed for the product in the month without creating or deepening a
/// shortfall in that or any later month.
#[utoipa::path(
    tag = "reconciliation",
    params(AtpQuery),
    responses((status = 200, description = "ATP", body = Atp), ReadErrors),
)]
#[get("/atp")]
pub async fn get_atp(
    state: web::Data<AppState>,
    _actor: Actor,
    query: web::Query<AtpQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let atp = state.db.read(move |c| reconciliation::atp(c, &q)).await?;
    Ok(HttpResponse::Ok().json(atp))
}
