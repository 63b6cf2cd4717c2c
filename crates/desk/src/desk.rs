//! `GET /`: the desk every role sees — tiles, and available-to-promise by product and month with
//! its status in words as well as colour. Not logged in: a redirect to `/login`.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};

use super::page;
use super::view::{self, CellStatus, LOW_SHARE_PCT};
use crate::domain::clock::current_period;
use crate::error::DeskError;
use crate::extract::DeskSession;
pub use crate::layout::User;
use crate::ops::reconciliation::{
    self, AtRiskQuery, OrdersAtRisk, ReconciliationSummary, SummaryQuery,
};
use crate::ops::Conn;
use crate::state::AppState;

/// Months the desk looks ahead, the current one included.
const HORIZON_MONTHS: i32 = 6;

pub struct Tile {
    pub label: String,
    pub value: String,
}

pub struct Cell {
    pub period: String,
    pub atp: String,
    pub status: &'static str,
    pub status_class: &'static str,
}

pub struct Row {
    pub product_id: String,
    pub product_code: String,
    pub cells: Vec<Cell>,
}

pub struct AtRiskRow {
    pub order_id: String,
    pub number: String,
    pub customer: String,
    pub product: String,
    pub month: String,
    pub kg: String,
}

#[derive(askama::Template)]
#[template(path = "desk.html")]
struct DeskPage {
    user: User,
    tiles: Vec<Tile>,
    months: Vec<String>,
    rows: Vec<Row>,
    low_share: i64,
    at_risk: Vec<AtRiskRow>,
    more_at_risk: usize,
    prices: Vec<PriceTile>,
    exposure: Vec<Tile>,
    summary_csv: String,
    at_risk_csv: String,
}

pub struct PriceTile {
    pub code: String,
    pub last: String,
    pub month: String,
    pub sparkline: String,
}

/// The last monthly average of each index over the past year, with its trend.
fn price_strip(
    conn: &mut Conn,
    current: crate::domain::Period,
) -> Result<Vec<PriceTile>, crate::error::OpError> {
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
        let values: Vec<(crate::domain::Period, rust_decimal::Decimal)> = averages
            .iter()
            .filter_map(|a| {
                Some((
                    a.period,
                    rust_decimal::Decimal::from_str_exact(&a.average).ok()?,
                ))
            })
            .collect();
        let Some((period, last)) = values.last().copied() else {
            continue;
        };
        out.push(PriceTile {
            code: index.code.clone(),
            last: view::money(&index.currency, last),
            month: view::month(period),
            sparkline: super::charts::sparkline(
                &values
                    .iter()
                    .filter_map(|(_, v)| (v * rust_decimal::Decimal::from(10_000)).round().to_i64())
                    .collect::<Vec<_>>(),
            ),
        });
    }
    Ok(out)
}

/// The committed kg of the horizon by pricing status, summed over products and months.
fn exposure_split(
    conn: &mut Conn,
    from: crate::domain::Period,
    to: crate::domain::Period,
) -> Result<Vec<Tile>, crate::error::OpError> {
    use rust_decimal::Decimal;
    let e = crate::ops::pricing::exposure(conn, &crate::ops::pricing::ExposureQuery { from, to })?;
    let sum = |f: fn(&crate::ops::pricing::ExposureRow) -> Decimal| -> String {
        view::kg(e.rows.iter().map(f).sum())
    };
    Ok(vec![
        Tile {
            label: "Fixed-price kg".into(),
            value: sum(|r| r.fixed_kg.display()),
        },
        Tile {
            label: "Final-priced kg".into(),
            value: sum(|r| r.final_kg.display()),
        },
        Tile {
            label: "Provisionally priced kg".into(),
            value: sum(|r| r.provisional_kg.display()),
        },
        Tile {
            label: "Unpriced kg".into(),
            value: sum(|r| r.unpriced_kg.display()),
        },
    ])
}

/// How far back the desk counts late deliveries.
const LATE_MONTHS: i32 = 12;

/// Orders in draft or submitted (shown as `500+` past one page of each), and deliveries late
/// in the months before this one — from the same operations as the API's order list and
/// delivery schedule.
fn waiting_and_late(
    conn: &mut Conn,
    current: crate::domain::Period,
) -> Result<(String, usize), crate::error::OpError> {
    use crate::domain::lifecycle::OrderStatus;
    use crate::ops::orders::OrderFilter;
    let mut waiting = 0;
    let mut more = false;
    for status in [OrderStatus::Draft, OrderStatus::Submitted] {
        let page = crate::ops::orders::list(
            conn,
            &OrderFilter {
                limit: Some(500),
                status: Some(status),
                ..Default::default()
            },
        )?;
        waiting += page.items.len();
        more |= page.next_cursor.is_some();
    }
    let schedule = crate::ops::deliveries::schedule(
        conn,
        &crate::ops::deliveries::DeliveryQuery {
            from: current.plus(-LATE_MONTHS),
            to: current,
            customer_id: None,
        },
    )?;
    let late = schedule
        .items
        .iter()
        .filter(|d| d.status == crate::domain::fulfilment::DeliveryStatus::Late)
        .count();
    Ok((
        if more {
            format!("{waiting}+")
        } else {
            waiting.to_string()
        },
        late,
    ))
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

fn tiles(summary: &ReconciliationSummary) -> Vec<Tile> {
    let atp_in = |i: usize| {
        summary
            .products
            .iter()
            .filter_map(|p| p.months.get(i))
            .map(|c| c.atp_kg.display())
            .sum()
    };
    let mut tiles: Vec<Tile> = (0..3)
        .filter_map(|i| {
            let period = summary.products.first()?.months.get(i)?.period;
            Some(Tile {
                label: format!("ATP {}", view::month(period)),
                value: format!("{} kg", view::kg(atp_in(i))),
            })
        })
        .collect();
    let cells = summary.products.iter().flat_map(|p| p.months.iter());
    let shortfall = cells.clone().map(|c| c.shortfall_kg.display()).sum();
    let at_risk: usize = cells.map(|c| c.orders_at_risk).sum();
    tiles.push(Tile {
        label: format!("Shortfall, next {HORIZON_MONTHS} months"),
        value: format!("{} kg", view::kg(shortfall)),
    });
    tiles.push(Tile {
        label: "Orders at risk".into(),
        value: at_risk.to_string(),
    });
    tiles
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
                    let status = CellStatus::of(
                        c.atp_kg.display(),
                        c.shortfall_kg.display(),
                        c.supply_kg.display(),
                    );
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

#[get("/")]
pub async fn desk(
    session: DeskSession,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DeskError> {
    let from = current_period();
    let q = SummaryQuery {
        from,
        to: from.plus(HORIZON_MONTHS - 1),
    };
    let at = AtRiskQuery {
        from: q.from,
        to: q.to,
        product_id: None,
    };
    let (summary, found, (waiting, late), prices, exposure) = state
        .db
        .read(move |c| {
            Ok((
                reconciliation::summary(c, &q)?,
                reconciliation::orders_at_risk(c, &at)?,
                waiting_and_late(c, from)?,
                price_strip(c, from)?,
                exposure_split(c, from, from.plus(HORIZON_MONTHS - 1))?,
            ))
        })
        .await?;
    let (at_risk, more_at_risk) = at_risk_rows(&found);
    let mut tiles = tiles(&summary);
    tiles.push(Tile {
        label: "Orders waiting for confirmation".into(),
        value: waiting,
    });
    tiles.push(Tile {
        label: format!("Late deliveries, last {LATE_MONTHS} months"),
        value: late.to_string(),
    });
    let months = from
        .through(from.plus(HORIZON_MONTHS - 1))
        .map(view::month)
        .collect();
    Ok(page::render(
        StatusCode::OK,
        &DeskPage {
            user: User::of(&session),
            tiles,
            months,
            rows: rows(&summary),
            low_share: LOW_SHARE_PCT,
            at_risk,
            more_at_risk,
            prices,
            exposure,
            summary_csv: format!(
                "/reconciliation/summary.csv?from={from}&to={}",
                from.plus(HORIZON_MONTHS - 1)
            ),
            at_risk_csv: format!(
                "/reconciliation/orders-at-risk.csv?from={from}&to={}",
                from.plus(HORIZON_MONTHS - 1)
            ),
        },
    ))
}
