use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::view::{ReconciliationRow, CSV_HEADER};
use crate::api::csv;
use crate::auth::Principal;
use crate::db::position;
use crate::domain::reconciliation::reconcile;
use crate::domain::Period;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReconciliationQuery {
    product_id: uuid::Uuid,
    /// First month (YYYY-MM); default the product's first month with data.
    #[param(value_type = Option<String>, example = "2027-01")]
    from: Option<Period>,
    /// Last month (YYYY-MM); default the product's last month with data.
    #[param(value_type = Option<String>, example = "2027-12")]
    to: Option<Period>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Reconciliation {
    pub product_id: uuid::Uuid,
    pub rows: Vec<ReconciliationRow>,
}

/// Reconcile a product
///
/// One row per month: plan, actual output, supply, contract, add-on, spot and pending demand,
/// projected stock, shortfall, available-to-promise and the confirmed orders at risk.
/// `Accept: text/csv` answers a spreadsheet.
#[utoipa::path(
    tag = "reconciliation",
    params(ReconciliationQuery),
    responses(
        (status = 200, description = "Month by month", content(
            (Reconciliation = "application/json"),
            (String = "text/csv"),
        )),
        ReadErrors,
    ),
)]
#[get("/reconciliation")]
pub async fn get_reconciliation(
    req: HttpRequest,
    state: web::Data<AppState>,
    _caller: Principal,
    query: web::Query<ReconciliationQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    super::check_range(q.from, q.to)?;
    let product_id = q.product_id.to_string();
    let rows = state
        .db
        .read(move |conn| {
            crate::api::products::find(conn, &product_id)?;
            let pos = position::load(conn, &product_id, None)?;
            Ok(reconcile(&pos, q.from, q.to))
        })
        .await?;
    let rows: Vec<ReconciliationRow> = rows.iter().map(ReconciliationRow::from).collect();
    if csv::wanted(&req) {
        return Ok(csv::response(
            "reconciliation.csv",
            &CSV_HEADER,
            rows.iter().map(ReconciliationRow::csv),
        ));
    }
    Ok(HttpResponse::Ok().json(Reconciliation {
        product_id: q.product_id,
        rows,
    }))
}
