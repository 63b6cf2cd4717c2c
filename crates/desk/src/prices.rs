//! Prices: an index's monthly averages as a chart, quote entry for the roles that enter
//! quotes, and the pricing exposure table (fixed, final, provisional, unpriced; amounts per
//! currency, never totalled across currencies) with the API's CSV.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Datelike;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::desk::{user, User};
use super::page;
use super::price_chart::{price_chart, PriceMonth};
use super::session::{self, Session};
use super::view;
use crate::domain::contract::Contract;
use crate::domain::price_index::{PriceIndex, Quote};
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::ContractId;
use crate::domain::PriceIndexId;
use crate::domain::{Period, Permission};
use crate::error::OpError;
use crate::ops::contracts::ContractFilter;
use crate::ops::master::price_index::PriceIndexFilter;
use crate::ops::pricing::{ExposureQuery, PricingExposure};
use crate::ops::quotes::{AverageRange, QuoteRange};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct Pick {
    index_id: Option<String>,
    contract_id: Option<String>,
}

/// What the page shows: an index and, optionally, a contract priced on it.
#[derive(Debug, Clone, Copy, Default)]
struct Chosen {
    index: Option<PriceIndexId>,
    contract: Option<ContractId>,
}

pub struct ContractChoice {
    pub id: String,
    pub number: String,
}

pub struct IndexChoice {
    pub id: String,
    pub code: String,
    pub currency: String,
}

pub struct ExposureLine {
    pub product: String,
    pub month: String,
    pub fixed: String,
    pub final_kg: String,
    pub provisional: String,
    pub unpriced: String,
    pub values: String,
}

#[derive(askama::Template)]
#[template(path = "prices.html")]
struct PricesPage {
    user: User,
    indices: Vec<IndexChoice>,
    index_id: String,
    contracts: Vec<ContractChoice>,
    contract_id: String,
    currency: String,
    chart: String,
    can_quote: bool,
    error: Option<String>,
    range: String,
    csv_href: String,
    exposure: Vec<ExposureLine>,
}

const MONTHS_BACK: i32 = 12;
/// How far the chart looks ahead, for a contract's formula price.
const MONTHS_AHEAD: i32 = 6;
const EXPOSURE_MONTHS: i32 = 6;

/// The chosen index with its chart months and the contracts priced on it.
struct IndexView {
    index: PriceIndex,
    months: Vec<PriceMonth>,
    contracts: Vec<Contract>,
    contract: Option<Contract>,
}

type Loaded = (Vec<PriceIndex>, Option<IndexView>, PricingExposure);

/// A decimal price string in ten-thousandths.
fn ten_thousandths(text: &str) -> Option<i64> {
    (Decimal::from_str_exact(text).ok()? * Decimal::from(10_000))
        .round()
        .to_i64()
}

fn priced_on(c: &Contract, index: PriceIndexId) -> bool {
    matches!(&c.pricing, PricingTerms::Index(i) if i.index_id == index)
}

/// The chart's months: quotes and averages of the index, and the chosen contract's unit price
/// for its deliveries in each month.
fn chart_months(
    conn: &mut crate::db::DbConnection,
    index: &PriceIndex,
    contract: Option<&Contract>,
    from: Period,
    to: Period,
) -> Result<Vec<PriceMonth>, OpError> {
    let averages = crate::ops::quotes::averages(
        conn,
        index.id,
        &AverageRange {
            from: Some(from),
            to: Some(to),
        },
    )?;
    let quotes = crate::ops::quotes::list(
        conn,
        index.id,
        &QuoteRange {
            from: Some(from.first_day()),
            to: to.next().first_day().pred_opt(),
        },
    )?;
    let formula = match contract {
        Some(c) => crate::ops::contracts::pricing(conn, c.id)?.rows,
        None => Vec::new(),
    };
    let mut months = Vec::new();
    let mut p = from;
    while p <= to {
        months.push(PriceMonth {
            period: p.to_string(),
            average: averages
                .averages
                .iter()
                .find(|a| a.period == p)
                .and_then(|a| ten_thousandths(&a.average)),
            contract: formula
                .iter()
                .find(|r| r.period == p)
                .and_then(|r| r.price.unit_price.as_ref())
                .and_then(|u| ten_thousandths(&view::text(u))),
            quotes: quotes
                .quotes
                .iter()
                .filter(|q| Period::of_date(q.date) == p)
                .filter_map(|q| Some((q.date.day(), ten_thousandths(&view::text(&q.price))?)))
                .collect(),
        });
        p = p.next();
    }
    Ok(months)
}

fn load(conn: &mut crate::db::DbConnection, chosen: Chosen) -> Result<Loaded, OpError> {
    let indices = crate::ops::master::price_index::list(
        conn,
        &PriceIndexFilter {
            limit: Some(500),
            ..Default::default()
        },
    )?
    .items;
    let now = crate::domain::clock::current_period();
    let index = chosen
        .index
        .and_then(|id| indices.iter().find(|i| i.id == id))
        .or_else(|| indices.first())
        .cloned();
    let view = match index {
        Some(index) => {
            let contracts: Vec<Contract> = crate::ops::contracts::list(
                conn,
                &ContractFilter {
                    limit: Some(500),
                    ..Default::default()
                },
            )?
            .items
            .into_iter()
            .filter(|c| priced_on(c, index.id))
            .collect();
            let contract = chosen
                .contract
                .and_then(|id| contracts.iter().find(|c| c.id == id))
                .cloned();
            let months = chart_months(
                conn,
                &index,
                contract.as_ref(),
                now.plus(-MONTHS_BACK),
                now.plus(MONTHS_AHEAD),
            )?;
            Some(IndexView {
                index,
                months,
                contracts,
                contract,
            })
        }
        None => None,
    };
    let exposure = crate::ops::pricing::exposure(
        conn,
        &ExposureQuery {
            from: now,
            to: now.plus(EXPOSURE_MONTHS - 1),
        },
    )?;
    Ok((indices, view, exposure))
}

async fn render(
    state: &web::Data<AppState>,
    session: &Session,
    chosen: Chosen,
    error: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let (indices, shown, exposure) = match state.db.read(move |c| load(c, chosen)).await {
        Ok(x) => x,
        Err(_) => return page::database_away(),
    };
    let now = crate::domain::clock::current_period();
    let to = now.plus(EXPOSURE_MONTHS - 1);
    let (index_id, currency, chart, contracts, contract_id) = match &shown {
        Some(v) => (
            v.index.id.to_string(),
            v.index.currency.clone(),
            price_chart(
                &format!(
                    "{}: quotes and monthly average, {} to {}",
                    v.index.code,
                    now.plus(-MONTHS_BACK),
                    now.plus(MONTHS_AHEAD)
                ),
                &v.index.currency,
                &v.months,
                v.contract.as_ref().map(|c| c.number.as_str()),
            ),
            v.contracts
                .iter()
                .map(|c| ContractChoice {
                    id: c.id.to_string(),
                    number: c.number.clone(),
                })
                .collect(),
            v.contract
                .as_ref()
                .map(|c| c.id.to_string())
                .unwrap_or_default(),
        ),
        None => Default::default(),
    };
    let exposure = exposure
        .rows
        .iter()
        .map(|r| ExposureLine {
            product: r.product_code.clone(),
            month: view::month(r.period),
            fixed: view::kg(r.fixed_kg.display()),
            final_kg: view::kg(r.final_kg.display()),
            provisional: view::kg(r.provisional_kg.display()),
            unpriced: view::kg(r.unpriced_kg.display()),
            values: r
                .by_currency
                .iter()
                .filter_map(|c| {
                    Decimal::from_str_exact(&c.value)
                        .ok()
                        .map(|v| view::money(&c.currency, v))
                })
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    page::render(
        status,
        &PricesPage {
            user: user(session),
            indices: indices
                .iter()
                .map(|i| IndexChoice {
                    id: i.id.to_string(),
                    code: i.code.clone(),
                    currency: i.currency.clone(),
                })
                .collect(),
            index_id,
            contracts,
            contract_id,
            currency,
            chart,
            can_quote: session.actor.role.allows(Permission::WritePriceQuotes),
            error,
            range: format!("{} to {}", view::month(now), view::month(to)),
            csv_href: format!("/prices/exposure.csv?from={now}&to={to}"),
            exposure,
        },
    )
}

#[get("/prices")]
pub async fn prices_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    pick: web::Query<Pick>,
) -> HttpResponse {
    let Some(session) = session::current(&req, &state).await else {
        return page::see_other("/login").finish();
    };
    let chosen = Chosen {
        index: pick.index_id.as_deref().and_then(PriceIndexId::parse),
        contract: pick.contract_id.as_deref().and_then(ContractId::parse),
    };
    render(&state, &session, chosen, None, StatusCode::OK).await
}

#[derive(Debug, Deserialize)]
pub struct ExposureRange {
    from: Option<String>,
    to: Option<String>,
}

/// The exposure table as CSV: the same document as `GET /api/v1/reports/pricing-exposure.csv`.
#[get("/prices/exposure.csv")]
pub async fn exposure_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    range: web::Query<ExposureRange>,
) -> HttpResponse {
    let now = crate::domain::clock::current_period();
    let q = ExposureQuery {
        from: range.from.as_deref().and_then(Period::parse).unwrap_or(now),
        to: range
            .to
            .as_deref()
            .and_then(Period::parse)
            .unwrap_or(now.plus(EXPOSURE_MONTHS - 1)),
    };
    super::list_csv::download(req, state, move |c, _| {
        Ok(crate::ops::pricing::exposure(c, &q)?.csv())
    })
    .await
}

#[post("/prices/{index_id}/quotes")]
pub async fn enter_quote(
    req: HttpRequest,
    state: web::Data<AppState>,
    index_id: web::Path<PriceIndexId>,
    body: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let field = |n: &str| {
        body.get(n)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let session = match session::for_form(&req, &state, &field("csrf")).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    let index_id = index_id.into_inner();
    let quote: Result<Quote, _> =
        serde_json::from_value(serde_json::json!({"date": field("date"), "price": field("price")}));
    let quote = match quote {
        Ok(q) => q,
        Err(e) => {
            return render(
                &state,
                &session,
                Chosen {
                    index: Some(index_id),
                    contract: None,
                },
                Some(format!("The quote was not saved: {e}.")),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let actor = session.actor.clone();
    let saved = state
        .db
        .write(move |c| crate::ops::quotes::upsert(c, &actor, index_id, &[quote]))
        .await;
    match saved {
        Ok(_) => page::see_other(&format!("/prices?index_id={index_id}")).finish(),
        Err(OpError::Forbidden(why)) => page::forbidden(&why),
        Err(OpError::Validation(errors)) => {
            let why = errors
                .iter()
                .map(|e| format!("{}: {}", e.field.trim_start_matches("[0]."), e.message))
                .collect::<Vec<_>>()
                .join("; ");
            render(
                &state,
                &session,
                Chosen {
                    index: Some(index_id),
                    contract: None,
                },
                Some(format!("The quote was not saved: {why}.")),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => page::refused(StatusCode::CONFLICT, &e.to_string()),
    }
}
