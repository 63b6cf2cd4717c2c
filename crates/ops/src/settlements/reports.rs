//! What the settlements add up to: receivables by customer and currency, the revaluation of
//! open settlements at today's prices, and the prices realised per product and month by kind
//! of sale beside an index. Amounts are never added across currencies; a book-currency figure
//! names the rate it used.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::view::{of, Settlement};
use crate::db::settlements::{self, SettlementScope};
use crate::db::{orders, shipments, DbConnection};
use crate::domain::lifecycle::OrderType;
use crate::domain::pricing::{convert, round, PriceStatus};
use crate::domain::settlement::SettlementStatus;
use crate::domain::{CustomerId, Period, PriceIndexId, ProductId, ShipmentId};
use crate::error::OpError;
use crate::pricing::fixed;
use crate::report::Csv;

/// Most settlements one report reads; a wider range is refused with a 422.
pub const MAX_REPORT_SETTLEMENTS: i64 = 20_000;

/// The delivery months a settlement report covers, and optionally one customer.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SettlementReportQuery {
    /// First delivery month (`YYYY-MM`), inclusive.
    #[param(value_type = String, example = "2026-01")]
    pub from: Period,
    /// Last delivery month (`YYYY-MM`), inclusive; at most 120 months after `from`.
    #[param(value_type = String, example = "2026-12")]
    pub to: Period,
    /// Only this customer's settlements.
    #[param(value_type = Option<uuid::Uuid>)]
    pub customer_id: Option<CustomerId>,
}

/// The settlements of the range, as clients read them (open ones valued today).
fn settled(conn: &mut DbConnection, q: &SettlementReportQuery) -> Result<Vec<Settlement>, OpError> {
    crate::reconciliation::check_range(Some(q.from), Some(q.to))?;
    let scope = SettlementScope {
        customer_id: q.customer_id,
        from: Some(q.from),
        to: Some(q.to),
        ..SettlementScope::default()
    };
    let (rows, more) = settlements::list(conn, &scope, MAX_REPORT_SETTLEMENTS, None)?;
    if more.is_some() {
        return Err(OpError::field(
            "to",
            format!("the range holds more than {MAX_REPORT_SETTLEMENTS} settlements; narrow it"),
        ));
    }
    rows.into_iter()
        .map(|s| {
            let shipment = shipments::find(conn, s.shipment_id)?;
            of(conn, s, &shipment)
        })
        .collect()
}

fn dec(s: &Option<String>) -> Decimal {
    s.as_deref()
        .and_then(|v| Decimal::from_str_exact(v).ok())
        .unwrap_or_default()
}

fn money(v: Decimal) -> String {
    fixed(v, 2)
}

/// What one customer's settlements in one currency call for. The service records no invoices
/// or payments: these are the amounts the settlements give, not what is still outstanding.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceivableRow {
    #[schema(value_type = uuid::Uuid)]
    pub customer_id: CustomerId,
    #[schema(example = "DE-MAGT")]
    pub customer_code: String,
    #[schema(example = "USD")]
    pub currency: String,
    pub settlements: usize,
    /// Due at shipment, summed over the settlements.
    #[schema(example = "2236500.00")]
    pub provisional_due: String,
    /// Balances of finalised settlements: to invoice, or credit when negative.
    #[schema(example = "318250.00")]
    pub final_balances: String,
    /// Balances of open settlements at today's prices (final or estimated).
    #[schema(example = "-1200.00")]
    pub open_balances_estimate: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Receivables {
    pub from: Period,
    pub to: Period,
    pub rows: Vec<ReceivableRow>,
}

/// Per customer and currency: what was due at shipment, the balances of the finalised
/// settlements, and the balances the open ones would have at today's prices.
pub fn receivables(
    conn: &mut DbConnection,
    q: &SettlementReportQuery,
) -> Result<Receivables, OpError> {
    let mut rows: BTreeMap<(CustomerId, String), (usize, Decimal, Decimal, Decimal)> =
        BTreeMap::new();
    for s in settled(conn, q)? {
        let e = rows.entry((s.customer_id, s.currency.clone())).or_default();
        e.0 += 1;
        e.1 += dec(&s.provisional_due);
        match s.status {
            SettlementStatus::Final => e.2 += dec(&s.balance),
            SettlementStatus::Open => {
                let estimate = s
                    .current
                    .as_ref()
                    .map(|c| dec(&c.value))
                    .unwrap_or_default();
                if s.current.as_ref().is_some_and(|c| c.value.is_some()) {
                    e.3 += estimate - dec(&s.provisional_due);
                }
            }
        }
    }
    let mut names = crate::names::Names::default();
    let rows = rows
        .into_iter()
        .map(|((customer_id, currency), (n, due, fin, open))| {
            Ok(ReceivableRow {
                customer_code: names.customer(conn, customer_id)?.code,
                customer_id,
                currency,
                settlements: n,
                provisional_due: money(due),
                final_balances: money(fin),
                open_balances_estimate: money(open),
            })
        })
        .collect::<Result<Vec<_>, OpError>>()?;
    Ok(Receivables {
        from: q.from,
        to: q.to,
        rows,
    })
}

impl Receivables {
    pub fn csv(&self) -> Csv {
        Csv::new(
            "receivables.csv",
            &[
                "customer_id",
                "customer_code",
                "currency",
                "settlements",
                "provisional_due",
                "final_balances",
                "open_balances_estimate",
            ],
            self.rows.iter().map(|r| {
                vec![
                    r.customer_id.to_string(),
                    r.customer_code.clone(),
                    r.currency.clone(),
                    r.settlements.to_string(),
                    r.provisional_due.clone(),
                    r.final_balances.clone(),
                    r.open_balances_estimate.clone(),
                ]
            }),
        )
    }
}

/// One open settlement revalued at today's price.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevaluationRow {
    #[schema(value_type = uuid::Uuid)]
    pub shipment_id: ShipmentId,
    #[schema(example = "SHP-2027-000012")]
    pub shipment_number: String,
    #[schema(value_type = uuid::Uuid)]
    pub customer_id: CustomerId,
    pub period: Period,
    #[schema(example = "USD")]
    pub currency: String,
    #[schema(example = "2485000.00")]
    pub provisional_value: String,
    /// The lots at today's price.
    #[schema(example = "2554750.00")]
    pub estimate: String,
    pub price_status: PriceStatus,
    /// estimate − provisional value.
    #[schema(example = "69750.00")]
    pub difference: String,
    /// The difference in the book currency at today's fixing; null without one.
    #[schema(example = "496620.00")]
    pub book_difference: Option<String>,
}

/// The revaluation of one currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevaluationTotal {
    #[schema(example = "USD")]
    pub currency: String,
    pub provisional_value: String,
    pub estimate: String,
    pub difference: String,
    /// Book currency per unit of this one, today; null without a fixing.
    #[schema(example = "7.120000")]
    pub book_rate: Option<String>,
    /// The date of that fixing (the latest on or before today).
    pub book_rate_date: Option<NaiveDate>,
    pub book_difference: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Revaluation {
    /// The business date the prices and fixings are read on.
    pub as_of: NaiveDate,
    #[schema(example = "CNY")]
    pub book_currency: String,
    pub rows: Vec<RevaluationRow>,
    pub totals: Vec<RevaluationTotal>,
}

/// Every open settlement of the range on an index price at today's price against its
/// provisional value, per currency and in the book currency at today's fixing. Fixed prices
/// (which never move) and unpriced months are left out.
pub fn revaluation(
    conn: &mut DbConnection,
    q: &SettlementReportQuery,
) -> Result<Revaluation, OpError> {
    let today = crate::domain::clock::today();
    let book = super::book_currency();
    let mut rows = Vec::new();
    let mut totals: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
    for s in settled(conn, q)? {
        // A fixed price never moves: only index prices are revalued.
        let Some(current) = s
            .current
            .as_ref()
            .filter(|c| c.value.is_some() && c.price_status != PriceStatus::Fixed)
        else {
            continue;
        };
        if s.provisional.value.is_none() {
            continue;
        }
        let (was, now) = (dec(&s.provisional.value), dec(&current.value));
        let t = totals.entry(s.currency.clone()).or_default();
        t.0 += was;
        t.1 += now;
        rows.push(RevaluationRow {
            shipment_id: s.shipment_id,
            shipment_number: s.shipment_number.clone(),
            customer_id: s.customer_id,
            period: s.period,
            currency: s.currency.clone(),
            provisional_value: money(was),
            estimate: money(now),
            price_status: current.price_status,
            difference: money(now - was),
            book_difference: s
                .book
                .final_rate
                .as_deref()
                .and_then(|r| Decimal::from_str_exact(r).ok())
                .map(|r| money((now - was) * r)),
        });
    }
    let totals = totals
        .into_iter()
        .map(|(currency, (was, now))| {
            let fixing = super::value::book_rate(conn, &currency, &book, today)?;
            let rate = fixing.map(|r| r.1);
            Ok(RevaluationTotal {
                book_rate_date: fixing.map(|r| r.0),
                provisional_value: money(was),
                estimate: money(now),
                difference: money(now - was),
                book_rate: rate.map(|r| fixed(r, 6)),
                book_difference: rate.map(|r| money((now - was) * r)),
                currency,
            })
        })
        .collect::<Result<Vec<_>, OpError>>()?;
    Ok(Revaluation {
        as_of: today,
        book_currency: book,
        rows,
        totals,
    })
}

impl Revaluation {
    pub fn csv(&self) -> Csv {
        Csv::new(
            "revaluation.csv",
            &[
                "shipment_id",
                "shipment_number",
                "customer_id",
                "period",
                "currency",
                "provisional_value",
                "estimate",
                "price_status",
                "difference",
                "book_currency",
                "book_difference",
            ],
            self.rows.iter().map(|r| {
                vec![
                    r.shipment_id.to_string(),
                    r.shipment_number.clone(),
                    r.customer_id.to_string(),
                    r.period.to_string(),
                    r.currency.clone(),
                    r.provisional_value.clone(),
                    r.estimate.clone(),
                    r.price_status.as_str().to_string(),
                    r.difference.clone(),
                    self.book_currency.clone(),
                    r.book_difference.clone().unwrap_or_default(),
                ]
            }),
        )
    }
}

/// The query of the price-realisation report: a range, and the index to compare with.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RealisationQuery {
    /// First delivery month (`YYYY-MM`), inclusive.
    #[param(value_type = String, example = "2026-01")]
    pub from: Period,
    /// Last delivery month (`YYYY-MM`), inclusive; at most 120 months after `from`.
    #[param(value_type = String, example = "2026-12")]
    pub to: Period,
    /// Only this product (compare a product with its own index).
    #[param(value_type = Option<uuid::Uuid>)]
    pub product_id: Option<ProductId>,
    /// The index whose monthly average (converted per kg into each row's currency) stands
    /// beside the prices realised.
    #[param(value_type = Option<uuid::Uuid>)]
    pub index_id: Option<PriceIndexId>,
}

/// How a sale was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SaleKind {
    Contract,
    AddOn,
    Spot,
}

/// What one kind of sale realised for a product in a month, in one currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct RealisationRow {
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    #[schema(example = "NDPR-OXIDE")]
    pub product_code: String,
    pub period: Period,
    pub kind: SaleKind,
    #[schema(example = "USD")]
    pub currency: String,
    #[schema(example = "25000.000")]
    pub kg: String,
    /// Final values where known, else provisional.
    #[schema(example = "2554750.00")]
    pub value: String,
    /// value ÷ kg, 2 dp.
    #[schema(example = "102.19")]
    pub average_price: String,
    /// The chosen index's month, converted per kg into this currency (4 dp); null without it.
    #[schema(example = "106.4187")]
    pub index_average: Option<String>,
    /// average price in the book currency at today's fixing.
    pub book_average_price: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Realisation {
    pub from: Period,
    pub to: Period,
    #[schema(example = "CNY")]
    pub book_currency: String,
    pub rows: Vec<RealisationRow>,
}

/// Per product and delivery month, by kind of sale (contract, add-on, spot) and currency: the
/// kilograms settled, their value (final where known) and the volume-weighted price, beside
/// the index's monthly average in the same currency and the price in the book currency.
pub fn realisation(conn: &mut DbConnection, q: &RealisationQuery) -> Result<Realisation, OpError> {
    let book = super::book_currency();
    let today = crate::domain::clock::today();
    // An unknown index is a wrong parameter, named as such.
    if let Some(index) = q.index_id {
        if crate::db::price_indices::currency(conn, index)?.is_none() {
            return Err(OpError::field("index_id", "no such price index"));
        }
    }
    let all: Vec<Settlement> = settled(
        conn,
        &SettlementReportQuery {
            from: q.from,
            to: q.to,
            customer_id: None,
        },
    )?
    .into_iter()
    .filter(|s| q.product_id.is_none_or(|p| p == s.product_id))
    .collect();
    type Key = (ProductId, Period, SaleKind, String);
    let mut cells: BTreeMap<Key, (i64, Decimal)> = BTreeMap::new();
    for s in all {
        let kind = match s.order_id {
            Some(o) => match orders::find(conn, o)?.order_type {
                OrderType::AddOn => SaleKind::AddOn,
                OrderType::Spot => SaleKind::Spot,
            },
            None => SaleKind::Contract,
        };
        let valued = s.final_valuation.as_ref().unwrap_or(&s.provisional);
        if valued.value.is_none() {
            continue;
        }
        let grams: i64 = valued
            .lines
            .iter()
            .filter(|l| l.amount.is_some())
            .filter_map(|l| crate::domain::Kg::new(dec(&Some(l.quantity_kg.clone())))?.grams())
            .sum();
        let e = cells
            .entry((s.product_id, s.period, kind, s.currency.clone()))
            .or_default();
        e.0 += grams;
        e.1 += dec(&valued.value);
    }
    let codes = crate::db::products::codes(conn)?;
    let mut series = crate::fx::SeriesCache::default();
    let mut rows = Vec::new();
    let mut rates: BTreeMap<String, Option<Decimal>> = BTreeMap::new();
    for ((product_id, period, kind, currency), (grams, value)) in cells {
        let kg = Decimal::new(grams, 3);
        let average = (grams > 0).then(|| round(value / kg, 2));
        let index_average = match q.index_id {
            Some(index) => {
                let s = series.get(conn, index, &currency)?;
                s.averages.get(&period).and_then(|a| {
                    let fx = match &s.fx {
                        Some(m) => Some(*m.get(&period)?),
                        None => None,
                    };
                    convert(*a, s.unit, s.vat_pct, fx).map(|c| fixed(c.converted, 4))
                })
            }
            None => None,
        };
        // Each currency's rate to the books, read once for all its rows.
        let rate = match rates.get(&currency) {
            Some(r) => *r,
            None => {
                let r = super::value::book_rate(conn, &currency, &book, today)?.map(|r| r.1);
                rates.insert(currency.clone(), r);
                r
            }
        };
        rows.push(RealisationRow {
            product_code: codes
                .get(&product_id.to_string())
                .cloned()
                .unwrap_or_default(),
            product_id,
            period,
            kind,
            kg: fixed(kg, 3),
            value: money(value),
            average_price: average.map(money).unwrap_or_default(),
            index_average,
            book_average_price: average.zip(rate).map(|(a, r)| money(a * r)),
            currency,
        });
    }
    Ok(Realisation {
        from: q.from,
        to: q.to,
        book_currency: book,
        rows,
    })
}

impl Realisation {
    pub fn csv(&self) -> Csv {
        Csv::new(
            "price-realisation.csv",
            &[
                "product_id",
                "product_code",
                "period",
                "kind",
                "currency",
                "kg",
                "value",
                "average_price",
                "index_average",
                "book_currency",
                "book_average_price",
            ],
            self.rows.iter().map(|r| {
                vec![
                    r.product_id.to_string(),
                    r.product_code.clone(),
                    r.period.to_string(),
                    match r.kind {
                        SaleKind::Contract => "contract",
                        SaleKind::AddOn => "add_on",
                        SaleKind::Spot => "spot",
                    }
                    .to_string(),
                    r.currency.clone(),
                    r.kg.clone(),
                    r.value.clone(),
                    r.average_price.clone(),
                    r.index_average.clone().unwrap_or_default(),
                    self.book_currency.clone(),
                    r.book_average_price.clone().unwrap_or_default(),
                ]
            }),
        )
    }
}
