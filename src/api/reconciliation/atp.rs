use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::db::position;
use crate::db::scaled::kg;
use crate::domain::reconciliation::available_to_promise;
use crate::domain::{Kg, Period};
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AtpQuery {
    product_id: uuid::Uuid,
    #[param(value_type = String, example = "2027-03")]
    period: Period,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Atp {
    pub product_id: uuid::Uuid,
    #[schema(example = "2027-03")]
    pub period: Period,
    #[schema(example = "7000.000")]
    pub atp_kg: Kg,
}

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
    _caller: Principal,
    query: web::Query<AtpQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let product_id = q.product_id.to_string();
    let atp = state
        .db
        .read(move |conn| {
            crate::api::products::find(conn, &product_id)?;
            let pos = position::load(conn, &product_id, None)?;
            Ok(available_to_promise(&pos, q.period))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Atp {
        product_id: q.product_id,
        period: q.period,
        atp_kg: kg(atp),
    }))
}
