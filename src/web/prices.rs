//! Prices: an index's monthly averages as a chart, quote entry for the roles that enter
//! quotes, and the pricing exposure table (fixed, final, provisional, unpriced; amounts per
//! currency, never totalled across currencies) with the API's CSV.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::charts::price_chart;
use super::desk::{user, User};
use super::page;
use super::session::{self, Session};
use super::view;
use crate::domain::price_index::{PriceIndex, Quote};
use crate::domain::{Period, Permission};
use crate::error::OpError;
use crate::ops::master::price_index::PriceIndexFilter;
use crate::ops::pricing::{ExposureQuery, PricingExposure};
use crate::ops::quotes::AverageRange;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct Pick {
    index_id: Option<String>,
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
    currency: String,
    chart: String,
    can_quote: bool,
    error: Option<String>,
    range: String,
    csv_href: String,
    exposure: Vec<ExposureLine>,
}

const MONTHS_BACK: i32 = 12;
const EXPOSURE_MONTHS: i32 = 6;

type Loaded = (
    Vec<PriceIndex>,
    Option<(PriceIndex, Vec<(String, i64)>)>,
    PricingExposure,
);

fn load(conn: &mut crate::db::DbConnection, pick: Option<uuid::Uuid>) -> Result<Loaded, OpError> {
    let indices = crate::ops::master::price_index::list(
        conn,
        &PriceIndexFilter {
            limit: Some(500),
            cursor: None,
            updated_since: None,
            status: None,
            currency: None,
            code: None,
        },
    )?
    .items;
    let now = crate::clock::current_period();
    let chosen = pick
        .and_then(|id| indices.iter().find(|i| i.id == id))
        .or_else(|| indices.first())
        .cloned();
    let chart = match chosen {
        Some(index) => {
            let averages = crate::ops::quotes::averages(
                conn,
                index.id,
                &AverageRange {
                    from: Some(now.plus(-MONTHS_BACK)),
                    to: Some(now),
                },
            )?;
            let points = averages
                .averages
                .iter()
                .filter_map(|a| {
                    let v = Decimal::from_str_exact(&a.average).ok()? * Decimal::from(10_000);
                    Some((a.period.to_string(), v.round().to_i64()?))
                })
                .collect();
            Some((index, points))
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
    Ok((indices, chart, exposure))
}

async fn render(
    state: &web::Data<AppState>,
    session: &Session,
    pick: Option<uuid::Uuid>,
    error: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let (indices, chosen, exposure) = match state.db.read(move |c| load(c, pick)).await {
        Ok(x) => x,
        Err(_) => return page::database_away(),
    };
    let now = crate::clock::current_period();
    let to = now.plus(EXPOSURE_MONTHS - 1);
    let (index_id, currency, chart) = match &chosen {
        Some((index, points)) => (
            index.id.to_string(),
            index.currency.clone(),
            price_chart(
                &format!(
                    "{}: monthly average, {} to {}",
                    index.code,
                    now.plus(-MONTHS_BACK),
                    now
                ),
                &index.currency,
                points,
            ),
        ),
        None => (String::new(), String::new(), String::new()),
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
    let pick = pick
        .index_id
        .as_deref()
        .and_then(|s| uuid::Uuid::parse_str(s).ok());
    render(&state, &session, pick, None, StatusCode::OK).await
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
    if session::current(&req, &state).await.is_none() {
        return page::see_other("/login").finish();
    }
    let now = crate::clock::current_period();
    let q = ExposureQuery {
        from: range.from.as_deref().and_then(Period::parse).unwrap_or(now),
        to: range
            .to
            .as_deref()
            .and_then(Period::parse)
            .unwrap_or(now.plus(EXPOSURE_MONTHS - 1)),
    };
    match state
        .db
        .read(move |c| crate::ops::pricing::exposure(c, &q))
        .await
    {
        Ok(e) => crate::api::respond::csv(e.csv()),
        Err(e) => page::refused(StatusCode::UNPROCESSABLE_ENTITY, &e.to_string()),
    }
}

#[post("/prices/{index_id}/quotes")]
pub async fn enter_quote(
    req: HttpRequest,
    state: web::Data<AppState>,
    index_id: web::Path<uuid::Uuid>,
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
                Some(index_id),
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
                Some(index_id),
                Some(format!("The quote was not saved: {why}.")),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => page::refused(StatusCode::CONFLICT, &e.to_string()),
    }
}
