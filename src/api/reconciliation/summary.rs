use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::api::problem::{ApiError, ReadErrors};
use crate::api::respond;
use crate::ops::reconciliation::{self, ReconciliationSummary, SummaryQuery};
use crate::ops::Actor;
use crate::state::AppState;

/// Reconciliation across all products
///
/// For every active product and month in `from`–`to`: supply, demand, projected stock,
/// shortfall, ATP and the number of orders at risk — a heat map of where the desk is short.
/// `Accept: text/csv` answers one row per product and month.
#[utoipa::path(
    tag = "reconciliation",
    params(SummaryQuery),
    responses(
        (status = 200, description = "Per product and month", content(
            (ReconciliationSummary = "application/json"),
            (String = "text/csv"),
        )),
        ReadErrors,
    ),
)]
#[get("/reconciliation/summary")]
pub async fn get_reconciliation_summary(
    req: HttpRequest,
    state: web::Data<AppState>,
    _actor: Actor,
    query: web::Query<SummaryQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let summary = state
        .db
        .read(move |c| reconciliation::summary(c, &q))
        .await?;
    Ok(respond::report(&req, &summary, ReconciliationSummary::csv))
}
