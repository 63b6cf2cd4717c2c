//! `/api/v1/stock-snapshots`: stock at the start of a month; projections restart from it.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};

use crate::domain::production::{MonthlyKind, StockSnapshot};
use crate::extract::Caller;
use crate::extract::{IfMatch, ValidJson};
use crate::ops::monthly::{self, MonthlyQuery, StockCount, StockSnapshotList};
use crate::problem::{ApiError, ReadErrors, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Record opening stock
///
/// Creates (201) or replaces (200) the stock of the product at the start of the month;
/// projected stock restarts from it. Roles: admin, planner.
#[utoipa::path(
    tag = "production",
    request_body = StockCount,
    params(("If-Match" = Option<String>, Header, description = "The ETag last read")),
    responses(
        (status = 200, description = "Replaced", body = StockSnapshot),
        (status = 201, description = "Recorded", body = StockSnapshot),
        WriteErrors,
    ),
)]
#[post("/stock-snapshots")]
pub async fn record_stock_snapshot(
    state: web::Data<AppState>,
    actor: Caller,
    if_match: IfMatch,
    body: ValidJson<StockCount>,
) -> Result<HttpResponse, ApiError> {
    let StockCount {
        product_id,
        period,
        quantity_kg,
    } = body.0;
    let recorded = state
        .db
        .write(move |c| {
            monthly::record(
                c,
                &actor,
                MonthlyKind::Snapshot,
                product_id,
                period,
                quantity_kg,
                &if_match.0,
            )
        })
        .await?;
    let status = if recorded.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let view = StockSnapshot::from(&recorded.quantity);
    Ok(respond::with_etag(status, view.version, &view))
}

/// List stock snapshots
///
/// By product and month range, in month order.
#[utoipa::path(
    tag = "production",
    params(MonthlyQuery),
    responses((status = 200, description = "Stock snapshots", body = StockSnapshotList), ReadErrors),
)]
#[get("/stock-snapshots")]
pub async fn list_stock_snapshots(
    state: web::Data<AppState>,
    _actor: Caller,
    query: crate::extract::ValidQuery<MonthlyQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let rows = state
        .db
        .read(move |c| monthly::list(c, MonthlyKind::Snapshot, &q))
        .await?;
    Ok(HttpResponse::Ok().json(StockSnapshotList {
        items: rows.iter().map(StockSnapshot::from).collect(),
    }))
}
