//! One product's reconciliation: the chart of supply, demand, projected stock, shortfall and
//! ATP, and the full table, from the same operation as `GET /api/v1/reconciliation`; its CSV is
//! the API's CSV.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::charts::{reconciliation_chart, ChartMonth};
use super::page;
use super::view::{self, CellStatus};
use crate::domain::product::Product;
use crate::domain::ProductId;
use crate::domain::{KgAmount, Period};
use crate::error::DeskError;
use crate::error::OpError;
use crate::extract::{DeskPath, DeskSession};
use crate::layout::User;
use crate::ops::reconciliation::{self, Reconciliation, ReconciliationQuery};
use crate::state::AppState;

/// Months shown when the address names none.
const DEFAULT_MONTHS: i32 = 12;

#[derive(Debug, Deserialize)]
pub struct Range {
    from: Option<String>,
    to: Option<String>,
    /// The month to highlight (the heat-map cell that was opened).
    month: Option<String>,
}

pub struct RowView {
    pub period: String,
    pub month: String,
    pub current: bool,
    pub supply: String,
    pub contract: String,
    pub addon: String,
    pub spot: String,
    pub pending: String,
    pub stock: String,
    pub shortfall: String,
    pub atp: String,
    pub at_risk: usize,
    pub status: &'static str,
    pub status_class: &'static str,
}

#[derive(askama::Template)]
#[template(path = "reconciliation.html")]
struct ReconciliationPage {
    user: User,
    product_code: String,
    range: String,
    csv_href: String,
    chart: String,
    rows: Vec<RowView>,
}

fn grams(k: KgAmount) -> i64 {
    (k.display() * Decimal::from(1000))
        .round()
        .to_i64()
        .unwrap_or(0)
}

fn range_of(r: &Range) -> (Period, Period) {
    let from = r
        .from
        .as_deref()
        .and_then(Period::parse)
        .unwrap_or_else(crate::domain::clock::current_period);
    let to =
        r.to.as_deref()
            .and_then(Period::parse)
            .unwrap_or_else(|| from.plus(DEFAULT_MONTHS - 1));
    (from, to)
}

async fn load(
    state: &web::Data<AppState>,
    product_id: ProductId,
    from: Period,
    to: Period,
) -> Result<(Product, Reconciliation), OpError> {
    state
        .db
        .read(move |c| {
            let product: Product = crate::ops::master::get(c, product_id)?;
            let rec = reconciliation::reconcile(
                c,
                &ReconciliationQuery {
                    product_id,
                    from: Some(from),
                    to: Some(to),
                },
            )?;
            Ok((product, rec))
        })
        .await
}

#[get("/reconciliation/{product_id}")]
pub async fn reconciliation_page(
    session: DeskSession,
    state: web::Data<AppState>,
    product_id: DeskPath<ProductId>,
    range: web::Query<Range>,
) -> Result<HttpResponse, DeskError> {
    let product_id = product_id.into_inner();
    let (from, to) = range_of(&range);
    let (product, rec) = load(&state, product_id, from, to).await?;
    let chart_months: Vec<ChartMonth> = rec
        .rows
        .iter()
        .map(|r| ChartMonth {
            period: r.period.to_string(),
            supply: grams(r.supply_kg),
            contract: grams(r.contract_kg),
            addon: grams(r.addon_kg),
            spot: grams(r.spot_kg),
            projected_stock: grams(r.projected_stock_kg),
            shortfall: grams(r.shortfall_kg),
            atp: grams(r.atp_kg),
        })
        .collect();
    let highlighted = range.month.clone().unwrap_or_default();
    let rows = rec
        .rows
        .iter()
        .map(|r| {
            let status = CellStatus::of(
                r.atp_kg.display(),
                r.shortfall_kg.display(),
                r.supply_kg.display(),
            );
            RowView {
                period: r.period.to_string(),
                month: view::month(r.period),
                current: r.period.to_string() == highlighted,
                supply: view::kg(r.supply_kg.display()),
                contract: view::kg(r.contract_kg.display()),
                addon: view::kg(r.addon_kg.display()),
                spot: view::kg(r.spot_kg.display()),
                pending: view::kg(r.pending_kg.display()),
                stock: view::kg(r.projected_stock_kg.display()),
                shortfall: view::kg(r.shortfall_kg.display()),
                atp: view::kg(r.atp_kg.display()),
                at_risk: r.orders_at_risk.len(),
                status: status.word(),
                status_class: status.class(),
            }
        })
        .collect();
    Ok(page::render(
        StatusCode::OK,
        &ReconciliationPage {
            user: User::of(&session),
            chart: reconciliation_chart(
                &format!("{}: supply and demand, {} to {}", product.code, from, to),
                &chart_months,
            ),
            range: format!("{} to {}", view::month(from), view::month(to)),
            csv_href: format!("/reconciliation/{product_id}/csv?from={from}&to={to}"),
            product_code: product.code,
            rows,
        },
    ))
}

/// The table as CSV: the same document as `GET /api/v1/reconciliation.csv`.
#[get("/reconciliation/{product_id}/csv")]
pub async fn reconciliation_csv(
    session: DeskSession,
    state: web::Data<AppState>,
    product_id: DeskPath<ProductId>,
    range: web::Query<Range>,
) -> Result<HttpResponse, DeskError> {
    let (from, to) = range_of(&range);
    let q = ReconciliationQuery {
        product_id: product_id.into_inner(),
        from: Some(from),
        to: Some(to),
    };
    super::list_csv::download(session, state, move |c, _| {
        Ok(reconciliation::reconcile(c, &q)?.csv())
    })
    .await
}

/// The desk's heat map as CSV: the same document as `GET /api/v1/reconciliation/summary.csv`.
#[get("/reconciliation/summary.csv")]
pub async fn summary_csv(
    session: DeskSession,
    state: web::Data<AppState>,
    range: web::Query<Range>,
) -> Result<HttpResponse, DeskError> {
    let (from, to) = range_of(&range);
    let q = crate::ops::reconciliation::SummaryQuery { from, to };
    super::list_csv::download(session, state, move |c, _| {
        Ok(reconciliation::summary(c, &q)?.csv())
    })
    .await
}

/// The orders at risk as CSV: the same document as
/// `GET /api/v1/reconciliation/orders-at-risk.csv`.
#[get("/reconciliation/orders-at-risk.csv")]
pub async fn orders_at_risk_csv(
    session: DeskSession,
    state: web::Data<AppState>,
    range: web::Query<Range>,
) -> Result<HttpResponse, DeskError> {
    let (from, to) = range_of(&range);
    let q = crate::ops::reconciliation::AtRiskQuery {
        from,
        to,
        product_id: None,
    };
    super::list_csv::download(session, state, move |c, _| {
        Ok(reconciliation::orders_at_risk(c, &q)?.csv())
    })
    .await
}
