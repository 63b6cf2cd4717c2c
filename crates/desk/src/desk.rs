//! `GET /`: the desk every role sees. Counts that link to the list they count (orders waiting
//! for confirmation, late deliveries, orders at risk), a tile per product — never a sum of
//! kilograms across products — the price strip, the committed kilograms by pricing status per
//! product, and the products × months heat map of available-to-promise, each cell a link with
//! its status in words. The horizon is 6, 12 or 18 months, for every product or a chosen one.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use rust_decimal::Decimal;

use super::page;
use super::view::{self, CellStatus, LOW_SHARE_PCT};
use crate::domain::clock::current_period;
use crate::domain::fulfilment::DeliveryStatus;
use crate::domain::lifecycle::OrderStatus;
use crate::domain::{Period, ProductId};
use crate::error::{DeskError, OpError};
use crate::exposure_table::{self, ExposureLine};
use crate::extract::{field, DeskQuery, DeskSession};
pub use crate::layout::User;
use crate::ops::reconciliation::{
    self, AtRiskQuery, OrdersAtRisk, ReconciliationSummary, SummaryQuery,
};
use crate::ops::Conn;
use crate::state::AppState;

/// The horizons the desk offers, in months (the current one included).
const HORIZONS: [i32; 3] = [6, 12, 18];

/// A count that links to the list it counts.
#[derive(Clone)]
pub struct Count {
    pub label: String,
    pub value: String,
    pub detail: String,
    pub href: String,
    pub id: &'static str,
}

/// One product's tile: available to promise in the first months, the shortfall over the
/// horizon, and its orders at risk.
#[derive(Clone)]
pub struct ProductTile {
    pub code: String,
    pub href: String,
    pub atp: Vec<(String, String, &'static str)>,
    pub shortfall: String,
    pub short: bool,
    pub at_risk: String,
}

#[derive(Clone)]
pub struct Cell {
    pub period: String,
    pub atp: String,
    pub status: &'static str,
    pub status_class: &'static str,
}

#[derive(Clone)]
pub struct Row {
    pub product_id: String,
    pub product_code: String,
    pub cells: Vec<Cell>,
}

#[derive(Clone)]
pub struct AtRiskRow {
    pub order_id: String,
    pub number: String,
    pub customer: String,
    pub product: String,
    pub month: String,
    pub kg: String,
}

#[derive(Clone)]
pub struct PriceTile {
    pub id: String,
    pub code: String,
    pub last: String,
    pub month: String,
    pub sparkline: String,
}

#[derive(askama::Template)]
#[template(path = "desk.html")]
struct DeskPage {
    user: User,
    counts: Vec<Count>,
    products: Vec<ProductTile>,
    months: Vec<String>,
    rows: Vec<Row>,
    low_share: i64,
    at_risk: Vec<AtRiskRow>,
    more_at_risk: usize,
    prices: Vec<PriceTile>,
    exposure: Vec<ExposureLine>,
    summary_csv: String,
    at_risk_csv: String,
    horizon: i32,
    horizons: Vec<(i32, String, bool)>,
    product_choices: Vec<(String, String, bool)>,
    chosen: Option<String>,
}

/// The last monthly average of each index over the past year, with its trend.
fn price_strip(conn: &mut Conn, current: Period) -> Result<Vec<PriceTile>, OpError> {
    use rust_decimal::prelude::ToPrimitive;
    let indices = crate::ops::master::price_index::list(
        conn,
        &crate::ops::master::price_index::PriceIndexFilter {
            limit: Some(20),
            status: Some(crate::domain::reference::MasterStatus::Active),
            ..Default::default()
        },
    )?
    .items;
    let mut out = Vec::new();
    for index in indices {
        let averages = crate::ops::quotes::averages(
            conn,
            index.id,
            &crate::ops::quotes::AverageRange {
                from: Some(current.plus(-11)),
                to: Some(current),
            },
        )?
        .averages;
        // The API carries averages as decimal text (4 places); read back exactly.
        let values: Vec<(Period, Decimal)> = averages
            .iter()
            .filter_map(|a| Some((a.period, Decimal::from_str_exact(&a.average).ok()?)))
            .collect();
        let Some((period, last)) = values.last().copied() else {
            continue;
        };
        out.push(PriceTile {
            id: index.id.to_string(),
            code: index.code.clone(),
            last: {
                let vat = index.vat_pct.value().normalize();
                format!(
                    "{}/{}{}",
                    view::money(&index.currency, last),
                    index.unit.as_str(),
                    if vat.is_zero() {
                        String::new()
                    } else {
                        format!(" incl. {vat} % VAT")
                    }
                )
            },
            month: view::month(period),
            sparkline: super::charts::sparkline(
                &values
                    .iter()
                    .filter_map(|(_, v)| (v * Decimal::from(10_000)).round().to_i64())
                    .collect::<Vec<_>>(),
            ),
        });
    }
    Ok(out)
}

/// Committed kilograms of the horizon by pricing status, per product (never summed across
/// products).
fn exposure(
    conn: &mut Conn,
    from: Period,
    to: Period,
    only: Option<ProductId>,
) -> Result<Vec<ExposureLine>, OpError> {
    let e = crate::ops::pricing::exposure(
        conn,
        &crate::ops::pricing::ExposureQuery {
            from,
            to,
            customer_id: None,
        },
    )?;
    Ok(exposure_table::lines(&e.rows, only))
}

/// How far back the desk counts late deliveries.
const LATE_MONTHS: i32 = 12;

/// Orders in draft or submitted, and deliveries late in the months before this one (of the
/// chosen product, if one is).
fn waiting_and_late(
    conn: &mut Conn,
    current: Period,
    product: Option<ProductId>,
) -> Result<(i64, usize), OpError> {
    use crate::domain::worklist::Paging;
    use crate::ops::orders::{OrderFilter, OrderSearch};
    let waiting = crate::ops::orders::worklist(
        conn,
        &OrderFilter {
            product_id: product,
            ..Default::default()
        },
        &OrderSearch {
            statuses: vec![OrderStatus::Draft, OrderStatus::Submitted],
            paging: Paging::new(1, 1),
            ..Default::default()
        },
    )?
    .total;
    let late = crate::ops::deliveries::schedule(
        conn,
        &crate::ops::deliveries::DeliveryQuery {
            from: current.plus(-LATE_MONTHS),
            to: current,
            customer_id: None,
            product_id: product,
            status: Some(DeliveryStatus::Late),
        },
    )?
    .items
    .len();
    Ok((waiting, late))
}

/// Orders at risk listed on the desk; the rest are counted.
const AT_RISK_SHOWN: usize = 20;

fn at_risk_rows(found: &OrdersAtRisk) -> (Vec<AtRiskRow>, usize) {
    let rows = found
        .items
        .iter()
        .take(AT_RISK_SHOWN)
        .map(|o| AtRiskRow {
            order_id: o.order_id.to_string(),
            number: o.number.clone(),
            customer: format!("{} — {}", o.customer_code, o.customer_name),
            product: o.product_code.clone(),
            month: view::month(o.short_period),
            kg: view::kg(o.quantity_kg.display()),
        })
        .collect();
    (rows, found.items.len().saturating_sub(AT_RISK_SHOWN))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The counts: each says what it counts and links to the list of it.
fn counts(
    waiting: i64,
    late: usize,
    found: &OrdersAtRisk,
    horizon: i32,
    chosen: Option<ProductId>,
) -> Vec<Count> {
    let current = found.from;
    let with_product = |q: &mut url::form_urlencoded::Serializer<String>| {
        if let Some(p) = chosen {
            q.append_pair("product_id", &p.to_string());
        }
    };
    let mut waiting_href = url::form_urlencoded::Serializer::new(String::new());
    waiting_href
        .append_pair("status", "waiting")
        .append_pair("sort", "month")
        .append_pair("dir", "asc");
    with_product(&mut waiting_href);
    let mut late_href = url::form_urlencoded::Serializer::new(String::new());
    late_href
        .append_pair("status", "late")
        .append_pair("from", &current.plus(-LATE_MONTHS).to_string())
        .append_pair("to", &current.to_string());
    with_product(&mut late_href);
    let mut at_risk = url::form_urlencoded::Serializer::new(String::new());
    at_risk
        .append_pair("risk", "at_risk")
        .append_pair("from", &found.from.to_string())
        .append_pair("to", &found.to.to_string());
    with_product(&mut at_risk);
    let mut distinct: Vec<_> = found.items.iter().map(|o| o.order_id).collect();
    distinct.sort();
    distinct.dedup();
    vec![
        Count {
            label: "Orders waiting for confirmation".into(),
            detail: "drafts and submitted orders".into(),
            value: plural(
                usize::try_from(waiting).unwrap_or(usize::MAX),
                "order",
                "orders",
            ),
            href: format!("/orders?{}", waiting_href.finish()),
            id: "count-waiting",
        },
        Count {
            label: format!("Late deliveries, last {LATE_MONTHS} months"),
            detail: "order and contract months past due".into(),
            value: plural(late, "delivery", "deliveries"),
            href: format!("/deliveries?{}", late_href.finish()),
            id: "count-late",
        },
        Count {
            label: format!("Orders at risk, next {horizon} months"),
            detail: format!(
                "{}, {} (an order counts once per short month)",
                plural(distinct.len(), "order", "orders"),
                plural(found.items.len(), "order-month", "order-months")
            ),
            value: plural(distinct.len(), "order", "orders"),
            href: format!("/orders?{}", at_risk.finish()),
            id: "count-at-risk",
        },
    ]
}

/// The money tile: the open settlements of the past year and the next months, revalued at
/// today's prices, per currency with the books' currency beside it (never a sum).
fn settlements_tile(c: &mut Conn, current: Period) -> Result<Count, OpError> {
    let q = crate::ops::settlements::SettlementReportQuery {
        from: current.plus(-12),
        to: current.plus(6),
        customer_id: None,
    };
    let reval = crate::ops::settlements::revaluation(c, &q)?;
    let signed = |currency: &str, v: &str| {
        let d = Decimal::from_str_exact(v).unwrap_or_default();
        let sign = if d.is_sign_negative() || d.is_zero() {
            ""
        } else {
            "+"
        };
        format!("{sign}{}", view::money(currency, d))
    };
    let detail = if reval.totals.is_empty() {
        "none on an index price yet (fixed prices never move)".to_string()
    } else {
        reval
            .totals
            .iter()
            .map(|t| {
                let book = match (&t.book_difference, &t.book_rate) {
                    (Some(b), Some(r)) if t.currency != reval.book_currency => format!(
                        " ({} at {}/{} {r})",
                        signed(&reval.book_currency, b),
                        t.currency,
                        reval.book_currency
                    ),
                    _ => String::new(),
                };
                format!("{}{book}", signed(&t.currency, &t.difference))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    Ok(Count {
        label: "Open settlements on index prices, revalued today".into(),
        value: plural(reval.rows.len(), "settlement", "settlements"),
        detail,
        href: "/settlements?status=open".into(),
        id: "count-settlements",
    })
}

fn status_of(c: &crate::ops::reconciliation::SummaryCell) -> CellStatus {
    CellStatus::of(
        c.atp_kg.display(),
        c.shortfall_kg.display(),
        c.supply_kg.display(),
    )
}

fn product_tiles(summary: &ReconciliationSummary) -> Vec<ProductTile> {
    summary
        .products
        .iter()
        .map(|p| {
            let shortfall: Decimal = p.months.iter().map(|c| c.shortfall_kg.display()).sum();
            let order_months: usize = p.months.iter().map(|c| c.orders_at_risk).sum();
            ProductTile {
                code: p.product_code.clone(),
                href: format!("/reconciliation/{}", p.product_id),
                atp: p
                    .months
                    .iter()
                    .take(3)
                    .map(|c| {
                        let s = status_of(c);
                        (
                            view::month(c.period),
                            view::kg(c.atp_kg.display()),
                            s.word(),
                        )
                    })
                    .collect(),
                short: shortfall > Decimal::ZERO,
                shortfall: view::kg(shortfall),
                at_risk: plural(order_months, "order-month", "order-months"),
            }
        })
        .collect()
}

fn rows(summary: &ReconciliationSummary) -> Vec<Row> {
    summary
        .products
        .iter()
        .map(|p| Row {
            product_id: p.product_id.to_string(),
            product_code: p.product_code.clone(),
            cells: p
                .months
                .iter()
                .map(|c| {
                    let status = status_of(c);
                    Cell {
                        period: c.period.to_string(),
                        atp: view::kg(c.atp_kg.display()),
                        status: status.word(),
                        status_class: status.class(),
                    }
                })
                .collect(),
        })
        .collect()
}

/// What the desk shows, computed together in one read (and kept until the data changes).
#[derive(Clone)]
struct DeskFigures {
    counts: Vec<Count>,
    products: Vec<ProductTile>,
    rows: Vec<Row>,
    at_risk: Vec<AtRiskRow>,
    more_at_risk: usize,
    prices: Vec<PriceTile>,
    exposure: Vec<ExposureLine>,
    product_choices: Vec<(String, String, bool)>,
}

fn figures(
    c: &mut Conn,
    from: Period,
    to: Period,
    horizon: i32,
    chosen: Option<ProductId>,
) -> Result<DeskFigures, OpError> {
    let mut summary = reconciliation::summary(c, &SummaryQuery { from, to })?;
    let mut found = reconciliation::orders_at_risk(
        c,
        &AtRiskQuery {
            from,
            to,
            product_id: chosen,
        },
    )?;
    let (waiting, late) = waiting_and_late(c, from, chosen)?;
    let product_choices = summary
        .products
        .iter()
        .map(|p| {
            (
                p.product_id.to_string(),
                p.product_code.clone(),
                Some(p.product_id) == chosen,
            )
        })
        .collect();
    if let Some(p) = chosen {
        summary.products.retain(|s| s.product_id == p);
        found.items.retain(|o| o.product_id == p);
    }
    let (at_risk, more_at_risk) = at_risk_rows(&found);
    let mut counts = counts(waiting, late, &found, horizon, chosen);
    counts.push(settlements_tile(c, from)?);
    Ok(DeskFigures {
        counts,
        products: product_tiles(&summary),
        rows: rows(&summary),
        at_risk,
        more_at_risk,
        prices: price_strip(c, from)?,
        exposure: exposure(c, from, to, chosen)?,
        product_choices,
    })
}

#[get("/")]
pub async fn desk(
    session: DeskSession,
    state: web::Data<AppState>,
    query: DeskQuery,
) -> Result<HttpResponse, DeskError> {
    let horizon = field(&query.0, "months")
        .parse::<i32>()
        .ok()
        .filter(|m| HORIZONS.contains(m))
        .unwrap_or(HORIZONS[0]);
    let chosen = ProductId::parse(field(&query.0, "product"));
    let from = current_period();
    let to = from.plus(horizon - 1);
    let reads = state.reads.clone();
    let figures = state
        .db
        .read(move |c| {
            reads.get_or_compute(c, &format!("desk:{horizon}:{chosen:?}"), |c| {
                figures(c, from, to, horizon, chosen)
            })
        })
        .await?;
    let figures = DeskFigures::clone(&figures);
    let keep = |months: i32| {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("months", &months.to_string());
        if let Some(p) = chosen {
            q.append_pair("product", &p.to_string());
        }
        format!("/?{}", q.finish())
    };
    Ok(page::render(
        StatusCode::OK,
        &DeskPage {
            user: User::of(&session),
            counts: figures.counts,
            products: figures.products,
            months: from.through(to).map(view::short_month).collect(),
            rows: figures.rows,
            low_share: LOW_SHARE_PCT,
            at_risk: figures.at_risk,
            more_at_risk: figures.more_at_risk,
            prices: figures.prices,
            exposure: figures.exposure,
            summary_csv: format!("/reconciliation/summary.csv?from={from}&to={to}"),
            at_risk_csv: format!("/reconciliation/orders-at-risk.csv?from={from}&to={to}"),
            horizon,
            horizons: HORIZONS
                .iter()
                .map(|m| (*m, keep(*m), *m == horizon))
                .collect(),
            product_choices: figures.product_choices,
            chosen: chosen.map(|p| p.to_string()),
        },
    ))
}
