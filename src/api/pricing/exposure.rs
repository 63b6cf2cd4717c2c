use std::collections::BTreeMap;

use actix_web::{get, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::contracts::pricing_of;
use crate::api::csv;
use crate::auth::Principal;
use crate::db::quotes::AverageCache;
use crate::db::scaled::{kg, KG_SCALE};
use crate::db::schema::{contract_lines, contracts, orders, products};
use crate::db::DbConnection;
use crate::domain::lifecycle::{ContractStatus, OrderStatus};
use crate::domain::pricing::{price, round, PriceStatus};
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::{Kg, Period, Price};
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExposureQuery {
    #[param(value_type = String, example = "2027-01")]
    from: Period,
    #[param(value_type = String, example = "2027-12")]
    to: Period,
}

/// Priced volume and value in one currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrencyExposure {
    #[schema(example = "USD")]
    pub currency: String,
    #[schema(example = "36000.000")]
    pub priced_kg: Kg,
    #[schema(example = "2250000.00")]
    pub value: String,
    /// Volume-weighted average unit price.
    #[schema(example = "62.50")]
    pub average_price: Option<Price>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExposureRow {
    pub product_id: uuid::Uuid,
    #[schema(example = "NDPR-OXIDE")]
    pub product_code: String,
    #[schema(example = "2027-03")]
    pub period: Period,
    pub fixed_kg: Kg,
    pub final_kg: Kg,
    pub provisional_kg: Kg,
    pub unpriced_kg: Kg,
    pub by_currency: Vec<CurrencyExposure>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PricingExposure {
    pub from: Period,
    pub to: Period,
    pub rows: Vec<ExposureRow>,
}

#[derive(Default)]
struct Cell {
    by_status: BTreeMap<PriceStatus, i64>,
    by_currency: BTreeMap<String, (i64, Decimal)>,
}

/// Committed volume: (product, period, grams, pricing terms JSON, currency).
type Commitment = (String, String, i64, String, String);

/// Committed volume in the range, from contracts and confirmed orders.
fn commitments(
    conn: &mut DbConnection,
    from: Period,
    to: Period,
) -> Result<Vec<Commitment>, ApiError> {
    let committed = [
        ContractStatus::Active.as_str(),
        ContractStatus::Suspended.as_str(),
    ];
    let mut rows: Vec<Commitment> = contract_lines::table
        .inner_join(contracts::table)
        .filter(contracts::status.eq_any(committed))
        .filter(contract_lines::period.ge(from.to_string()))
        .filter(contract_lines::period.le(to.to_string()))
        .select((
            contracts::product_id,
            contract_lines::period,
            contract_lines::quantity_g,
            contracts::pricing_json,
            contracts::currency,
        ))
        .load(conn)?;
    let statuses: Vec<&str> = OrderStatus::ALL
        .iter()
        .filter(|s| s.is_commitment())
        .map(|s| s.as_str())
        .collect();
    let order_rows: Vec<Commitment> = orders::table
        .filter(orders::status.eq_any(statuses))
        .filter(orders::period.ge(from.to_string()))
        .filter(orders::period.le(to.to_string()))
        .select((
            orders::product_id,
            orders::period,
            orders::quantity_g,
            orders::pricing_json,
            orders::currency,
        ))
        .load(conn)?;
    rows.extend(order_rows);
    Ok(rows)
}

/// Pricing exposure
///
/// For each product and month of `from`–`to`, the committed kilograms (active and suspended
/// contracts, confirmed orders) by pricing status — fixed, final, provisional, unpriced — with
/// the priced value and volume-weighted average price per currency. `Accept: text/csv` too.
#[utoipa::path(
    tag = "pricing",
    params(ExposureQuery),
    responses(
        (status = 200, description = "Exposure per product and month", content(
            (PricingExposure = "application/json"),
            (String = "text/csv"),
        )),
        ReadErrors,
    ),
)]
#[get("/reports/pricing-exposure")]
pub async fn get_pricing_exposure(
    req: HttpRequest,
    state: web::Data<AppState>,
    _caller: Principal,
    query: web::Query<ExposureQuery>,
) -> Result<HttpResponse, ApiError> {
    let ExposureQuery { from, to } = query.into_inner();
    crate::api::reconciliation::check_range(Some(from), Some(to))?;
    let report = state
        .db
        .read(move |conn| {
            let current = crate::clock::current_period();
            let mut cache = AverageCache::default();
            let mut cells: BTreeMap<(String, Period), Cell> = BTreeMap::new();
            for (product_id, period, grams, terms, currency) in commitments(conn, from, to)? {
                let Some(period) = Period::parse(&period) else {
                    continue;
                };
                let terms: PricingTerms = pricing_of(&terms);
                let outcome = match terms.index_id() {
                    Some(id) => {
                        let averages = cache.get(conn, &id.to_string())?;
                        price(&terms, period, averages, current)
                    }
                    None => price(&terms, period, &BTreeMap::new(), current),
                };
                let cell = cells.entry((product_id, period)).or_default();
                *cell.by_status.entry(outcome.status).or_insert(0) += grams;
                if let Some(p) = outcome.unit_price {
                    let e = cell
                        .by_currency
                        .entry(currency)
                        .or_insert((0, Decimal::ZERO));
                    e.0 += grams;
                    e.1 += p * Decimal::new(grams, KG_SCALE);
                }
            }
            let codes: BTreeMap<String, String> = products::table
                .select((products::id, products::code))
                .load::<(String, String)>(conn)?
                .into_iter()
                .collect();
            let rows = cells
                .into_iter()
                .map(|((product_id, period), cell)| {
                    let status = |s| kg(cell.by_status.get(&s).copied().unwrap_or(0));
                    ExposureRow {
                        product_code: codes.get(&product_id).cloned().unwrap_or_default(),
                        product_id: uuid::Uuid::parse_str(&product_id).unwrap_or_default(),
                        period,
                        fixed_kg: status(PriceStatus::Fixed),
                        final_kg: status(PriceStatus::Final),
                        provisional_kg: status(PriceStatus::Provisional),
                        unpriced_kg: status(PriceStatus::Unpriced),
                        by_currency: cell
                            .by_currency
                            .into_iter()
                            .map(|(currency, (grams, value))| {
                                let qty = Decimal::new(grams, KG_SCALE);
                                CurrencyExposure {
                                    currency,
                                    priced_kg: kg(grams),
                                    value: super::value(Some(value), Decimal::ONE)
                                        .unwrap_or_default(),
                                    average_price: (!qty.is_zero())
                                        .then(|| round(value / qty, 2))
                                        .and_then(Price::new),
                                }
                            })
                            .collect(),
                    }
                })
                .collect();
            Ok(PricingExposure { from, to, rows })
        })
        .await?;
    if csv::wanted(&req) {
        let mut lines = Vec::new();
        for r in &report.rows {
            let base = vec![
                r.product_code.clone(),
                r.period.to_string(),
                r.fixed_kg.display().to_string(),
                r.final_kg.display().to_string(),
                r.provisional_kg.display().to_string(),
                r.unpriced_kg.display().to_string(),
            ];
            if r.by_currency.is_empty() {
                lines.push([base.clone(), vec![String::new(); 4]].concat());
            }
            for c in &r.by_currency {
                lines.push(
                    [
                        base.clone(),
                        vec![
                            c.currency.clone(),
                            c.priced_kg.display().to_string(),
                            c.value.clone(),
                            c.average_price
                                .map(|p| p.display().to_string())
                                .unwrap_or_default(),
                        ],
                    ]
                    .concat(),
                );
            }
        }
        return Ok(csv::response(
            "pricing-exposure.csv",
            &[
                "product_code",
                "period",
                "fixed_kg",
                "final_kg",
                "provisional_kg",
                "unpriced_kg",
                "currency",
                "priced_kg",
                "value",
                "average_price",
            ],
            lines,
        ));
    }
    Ok(HttpResponse::Ok().json(report))
}
