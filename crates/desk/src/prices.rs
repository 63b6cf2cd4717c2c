//! Prices: an index's monthly averages as a chart, quote entry for the roles that enter
//! quotes, and the pricing exposure table (fixed, final, provisional, unpriced; amounts per
//! currency, never totalled across currencies) with the API's CSV.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use chrono::Datelike;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::page;
use super::price_chart::{price_chart, PriceMonth};
use super::view;
use crate::domain::price_index::{PriceIndex, Quote};
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::Period;
use crate::domain::PriceIndexId;
use crate::domain::{ContractId, CustomerId};
use crate::error::OpError;
use crate::error::{DeskError, FieldError, Refusal};
use crate::extract::{field, DeskForm, DeskPath, DeskSession, Fields, FormInput};
use crate::layout::User;
use crate::ops::contracts::ContractLabel;
use crate::ops::master::price_index::PriceIndexFilter;
use crate::ops::pricing::{ExposureQuery, PricingExposure};
use crate::ops::quotes::{AverageRange, QuoteRange};
use crate::ops::Conn;
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
    /// How its quotes read: "CNY per t, incl. 13 % VAT".
    pub basis: String,
}

/// One month of the FX table: the mean of each pair's fixings.
pub struct FxRow {
    pub month: String,
    /// Per pair, in the order of `fx_pairs`: "7.1234 (21 days)" or "—".
    pub means: Vec<String>,
}

/// The FX table: pairs as columns, months as rows, latest first.
fn fx_rows(means: &[crate::ops::fx::MonthlyMean]) -> (Vec<String>, Vec<FxRow>) {
    let pairs: Vec<String> = means
        .iter()
        .map(|m| m.pair.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let months: std::collections::BTreeSet<Period> = means.iter().map(|m| m.period).collect();
    let rows = months
        .into_iter()
        .rev()
        .map(|p| FxRow {
            month: view::month(p),
            means: pairs
                .iter()
                .map(|pair| {
                    means
                        .iter()
                        .find(|m| m.period == p && &m.pair == pair)
                        .map(|m| {
                            let mut v = m.mean;
                            v.rescale(6);
                            let days = if m.fixings == 1 { "day" } else { "days" };
                            format!("{v} ({} {days})", m.fixings)
                        })
                        .unwrap_or_else(|| "—".into())
                })
                .collect(),
        })
        .collect();
    (pairs, rows)
}

/// One month of the quotes table under the chart.
pub struct QuoteRow {
    pub month: String,
    /// Each quote of the month: `15: USD 61.50`.
    pub quotes: Vec<String>,
    pub average: String,
    pub formula: String,
}

/// The chart's months that have anything to show, latest first, as a table.
fn quote_rows(months: &[PriceMonth], currency: &str) -> Vec<QuoteRow> {
    let price = |v: i64| view::money(currency, Decimal::new(v, 4));
    months
        .iter()
        .rev()
        .filter(|m| !m.quotes.is_empty() || m.average.is_some() || m.contract.is_some())
        .map(|m| QuoteRow {
            month: Period::parse(&m.period)
                .map(view::month)
                .unwrap_or_else(|| m.period.clone()),
            quotes: m
                .quotes
                .iter()
                .map(|(day, v)| format!("{day:02}: {}", price(*v)))
                .collect(),
            average: m.average.map(price).unwrap_or_default(),
            formula: m.contract.map(price).unwrap_or_default(),
        })
        .collect()
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
    /// How the shown index's quotes read.
    basis: String,
    chart: String,
    quote_rows: Vec<QuoteRow>,
    fx_pairs: Vec<String>,
    fx_rows: Vec<FxRow>,
    /// The overlaid contract's number, when one is.
    contract_number: String,
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
    contracts: Vec<ContractLabel>,
    contract: Option<ContractLabel>,
}

type Loaded = (
    Vec<PriceIndex>,
    Option<IndexView>,
    PricingExposure,
    Vec<crate::ops::fx::MonthlyMean>,
);

/// A price in ten-thousandths of its currency.
fn ten_thousandths(price: Decimal) -> Option<i64> {
    (price * Decimal::from(10_000)).round().to_i64()
}

fn priced_on(pricing: &PricingTerms, index: PriceIndexId) -> bool {
    matches!(pricing, PricingTerms::Index(i) if i.index_id == index)
}

/// The chart's months: quotes and averages of the index, and the chosen contract's unit price
/// for its deliveries in each month.
fn chart_months(
    conn: &mut Conn,
    index: &PriceIndex,
    contract: Option<&ContractLabel>,
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
                .and_then(|a| Decimal::from_str_exact(&a.average).ok())
                .and_then(ten_thousandths),
            contract: formula
                .iter()
                .find(|r| r.period == p)
                .and_then(|r| r.price.unit_price.as_ref())
                .and_then(|u| ten_thousandths(u.value())),
            quotes: quotes
                .quotes
                .iter()
                .filter(|q| Period::of_date(q.date) == p)
                .filter_map(|q| Some((q.date.day(), ten_thousandths(q.price.value())?)))
                .collect(),
        });
        p = p.next();
    }
    Ok(months)
}

fn load(conn: &mut Conn, chosen: Chosen) -> Result<Loaded, OpError> {
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
            // A formula price is per kg in the contract's currency: it shares the chart's axis
            // only with quotes per kg, net of VAT, in the same currency.
            let contracts: Vec<ContractLabel> = crate::ops::contracts::labels(conn, None)?
                .into_iter()
                .filter(|c| {
                    priced_on(&c.pricing, index.id)
                        && index.quotes_per_kg_net()
                        && c.currency == index.currency
                })
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
            customer_id: None,
        },
    )?;
    let fx = crate::ops::fx::monthly_means(conn, now.plus(-MONTHS_BACK), now)?;
    Ok((indices, view, exposure, fx))
}

async fn render(
    state: &web::Data<AppState>,
    session: &DeskSession,
    chosen: Chosen,
    error: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    // The exposure prices every commitment of six months: kept until the data changes.
    let key = format!("prices:{:?}:{:?}", chosen.index, chosen.contract);
    let reads = state.reads.clone();
    let loaded = state
        .db
        .read(move |c| reads.get_or_compute(c, &key, |c| load(c, chosen)))
        .await?;
    let (indices, shown, exposure, fx) = &*loaded;
    let (fx_pairs, fx_rows) = fx_rows(fx);
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
                &v.index.basis_label(),
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
                    let value = view::money(&c.currency, Decimal::from_str_exact(&c.value).ok()?);
                    // Beside it, the books' currency with the rate named; never a sum.
                    Some(
                        match (
                            c.book_value
                                .as_deref()
                                .and_then(|b| Decimal::from_str_exact(b).ok()),
                            &c.book_rate,
                        ) {
                            (Some(b), Some(r)) if c.currency != c.book_currency => format!(
                                "{value} ({} at {}/{} {r})",
                                view::money(&c.book_currency, b),
                                c.currency,
                                c.book_currency
                            ),
                            _ => value,
                        },
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    Ok(page::render(
        status,
        &PricesPage {
            user: User::of(session),
            indices: indices
                .iter()
                .map(|i| IndexChoice {
                    id: i.id.to_string(),
                    code: i.code.clone(),
                    basis: i.basis_label(),
                })
                .collect(),
            quote_rows: shown
                .as_ref()
                .map(|v| quote_rows(&v.months, &v.index.currency))
                .unwrap_or_default(),
            contract_number: shown
                .as_ref()
                .and_then(|v| v.contract.as_ref())
                .map(|c| c.number.clone())
                .unwrap_or_default(),
            index_id,
            contracts,
            contract_id,
            currency,
            basis: shown
                .as_ref()
                .map(|v| v.index.basis_label())
                .unwrap_or_default(),
            chart,
            fx_pairs,
            fx_rows,
            can_quote: crate::ops::Capabilities::of(&session.actor).enter_quotes,
            error,
            range: format!("{} to {}", view::month(now), view::month(to)),
            csv_href: format!("/prices/exposure.csv?from={now}&to={to}"),
            exposure,
        },
    ))
}

#[get("/prices")]
pub async fn prices_page(
    session: DeskSession,
    state: web::Data<AppState>,
    pick: web::Query<Pick>,
) -> Result<HttpResponse, DeskError> {
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
    customer_id: Option<String>,
}

/// The exposure table as CSV: the same document as `GET /api/v1/reports/pricing-exposure.csv`.
#[get("/prices/exposure.csv")]
pub async fn exposure_csv(
    session: DeskSession,
    state: web::Data<AppState>,
    range: web::Query<ExposureRange>,
) -> Result<HttpResponse, DeskError> {
    let now = crate::domain::clock::current_period();
    let q = ExposureQuery {
        from: range.from.as_deref().and_then(Period::parse).unwrap_or(now),
        to: range
            .to
            .as_deref()
            .and_then(Period::parse)
            .unwrap_or(now.plus(EXPOSURE_MONTHS - 1)),
        customer_id: range.customer_id.as_deref().and_then(CustomerId::parse),
    };
    super::list_csv::download(session, state, move |c, _| {
        Ok(crate::ops::pricing::exposure(c, &q)?.csv())
    })
    .await
}

/// Quote entry as typed: a date and a price.
pub struct QuoteInput {
    date: String,
    price: String,
}

impl FormInput for QuoteInput {
    fn parse(fields: &Fields) -> Result<QuoteInput, Vec<FieldError>> {
        Ok(QuoteInput {
            date: field(fields, "date").to_string(),
            price: field(fields, "price").to_string(),
        })
    }
}

#[post("/prices/{index_id}/quotes")]
pub async fn enter_quote(
    state: web::Data<AppState>,
    index_id: DeskPath<PriceIndexId>,
    form: DeskForm<QuoteInput>,
) -> Result<HttpResponse, DeskError> {
    let index_id = index_id.into_inner();
    let chosen = Chosen {
        index: Some(index_id),
        contract: None,
    };
    let quote: Result<Quote, _> = serde_json::from_value(
        serde_json::json!({"date": form.input.date, "price": crate::numbers::for_api(&form.input.price)}),
    );
    let quote = match quote {
        Ok(q) => q,
        Err(e) => {
            return render(
                &state,
                &form.session,
                chosen,
                Some(format!("The quote was not saved: {e}.")),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let actor = form.session.actor.clone();
    let saved = state
        .db
        .write(move |c| crate::ops::quotes::upsert(c, &actor, index_id, &[quote]))
        .await;
    match saved {
        Ok(_) => Ok(crate::flash::done(
            &format!("/prices?index_id={index_id}"),
            "Quote saved: the month's average and every price built on it are updated.",
        )),
        Err(e) => {
            let refusal = Refusal::of(e)?.renamed(|f| f.trim_start_matches("[0].").to_string());
            render(
                &state,
                &form.session,
                chosen,
                Some(format!("The quote was not saved: {}.", refusal.text())),
                refusal.status(),
            )
            .await
        }
    }
}
