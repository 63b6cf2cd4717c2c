use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::csv_twin::csv_twin;
use crate::extract::Caller;
use crate::ops::reconciliation::{self, ReconciliationSummary, SummaryQuery};
use crate::problem::{ApiError, ReadErrors};
use crate::respond;
use crate::state::AppState;

/// Reconciliation across all products
///
/// For every active product and month in `from`–`to`: supply, demand, projected stock,
/// shortfall, ATP and the number of orders at risk — a heat map of where the desk is short.
/// The same rows as CSV (one per product and month): `GET /api/v1/reconciliation/summary.csv`.
#[utoipa::path(
    tag = "reconciliation",
    params(SummaryQuery),
    responses(
        (status = 200, description = "Per product and month", body = ReconciliationSummary),
        ReadErrors,
    ),
)]
#[get("/reconciliation/summary")]
pub async fn get_reconciliation_summary(
    req: HttpRequest,
    state: web::Data<AppState>,
    _actor: Caller,
    query: crate::extract::ValidQuery<SummaryQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let summary = state
        .db
        .read(move |c| reconciliation::summary(c, &q))
        .await?;
    Ok(respond::report(&req, &summary, ReconciliationSummary::csv))
}

csv_twin!(
    name: get_reconciliation_summary_csv,
    path: "/reconciliation/summary.csv",
    tag: "reconciliation",
    query: SummaryQuery,
    op: reconciliation::summary,
    csv: ReconciliationSummary::csv,
    summary: "The reconciliation summary as CSV",
);
