use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::csv_twin::csv_twin;
use crate::extract::Caller;
use crate::ops::reconciliation::{self, Reconciliation, ReconciliationQuery};
use crate::problem::{ApiError, ReadErrors};
use crate::respond;
use crate::state::AppState;

/// Reconcile a product
///
/// One row per month: plan, actual output, supply, contract, add-on, spot and pending demand,
/// projected stock, shortfall, available-to-promise and the confirmed orders at risk.
/// The same rows as CSV: `GET /api/v1/reconciliation.csv`.
#[utoipa::path(
    tag = "reconciliation",
    params(ReconciliationQuery),
    responses(
        (status = 200, description = "Month by month", body = Reconciliation),
        ReadErrors,
    ),
)]
#[get("/reconciliation")]
pub async fn get_reconciliation(
    req: HttpRequest,
    state: web::Data<AppState>,
    _actor: Caller,
    query: crate::extract::ValidQuery<ReconciliationQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let report = state
        .db
        .read(move |c| reconciliation::reconcile(c, &q))
        .await?;
    Ok(respond::report(&req, &report, Reconciliation::csv))
}

csv_twin!(
    name: get_reconciliation_csv,
    path: "/reconciliation.csv",
    tag: "reconciliation",
    query: ReconciliationQuery,
    op: reconciliation::reconcile,
    csv: Reconciliation::csv,
    summary: "Reconcile a product, as CSV",
);
