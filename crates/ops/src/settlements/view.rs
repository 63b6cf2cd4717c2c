//! A settlement as clients read it: the provisional valuation fixed at shipment, the current
//! one while open, the final value and balance, and each figure in the book currency.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::value::{terms_of, valuation};
use crate::db::settlements::{self, SettlementScope, StoredSettlement};
use crate::db::{shipments, DbConnection};
use crate::domain::pricing::PriceStatus;
use crate::domain::settlement::{
    amount_due, balance, in_book, SettlementLine, SettlementStatus, StoredValuation,
};
use crate::domain::shipment::Shipment;
use crate::domain::{ContractId, CustomerId, OrderId, Percent, Period, ProductId, ShipmentId};
use crate::error::OpError;
use crate::page::{Page, PageRequest};
use crate::pricing::fixed;
use crate::report::Csv;

fn money(value: Option<Decimal>) -> Option<String> {
    value.map(|v| fixed(v, 2))
}

/// One lot of a valuation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineView {
    #[schema(example = "BT-2027-0312-02")]
    pub lot_number: String,
    #[schema(example = "15000.000")]
    pub quantity_kg: String,
    /// The shipment's unit price.
    #[schema(example = "100.00")]
    pub base_price: String,
    /// The quality adjustment per kg (0 or negative).
    #[schema(example = "-1.00")]
    pub adjustment: String,
    #[schema(example = "99.00")]
    pub unit_price: String,
    /// kg × unit price, 2 dp; null for a lot out of specification (not settled automatically).
    #[schema(example = "1485000.00")]
    pub amount: Option<String>,
    pub out_of_spec: bool,
    /// Quality terms whose assay the lot does not carry (no adjustment for them).
    pub missing_assays: Vec<String>,
}

impl From<&SettlementLine> for LineView {
    fn from(l: &SettlementLine) -> LineView {
        LineView {
            lot_number: l.lot_number.clone(),
            quantity_kg: fixed(l.quantity_kg, 3),
            base_price: fixed(l.base_price, 2),
            adjustment: fixed(l.adjustment, 2),
            unit_price: fixed(l.unit_price, 2),
            amount: money(l.amount),
            out_of_spec: l.out_of_spec,
            missing_assays: l.missing_assays.clone(),
        }
    }
}

/// The lots valued at the price known on one day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ValuationView {
    /// The day the price was read.
    pub valued_on: NaiveDate,
    /// Per kg in the terms' currency; null when nothing priced the month.
    #[schema(example = "100.00")]
    pub unit_price: Option<String>,
    pub price_status: PriceStatus,
    /// The month whose index average priced it.
    #[schema(value_type = Option<String>, example = "2027-02")]
    pub basis_period: Option<Period>,
    pub lines: Vec<LineView>,
    /// The sum of the lines, 2 dp; null when unpriced.
    #[schema(example = "2485000.00")]
    pub value: Option<String>,
}

impl From<&StoredValuation> for ValuationView {
    fn from(v: &StoredValuation) -> ValuationView {
        ValuationView {
            valued_on: v.valued_on,
            unit_price: money(v.unit_price),
            price_status: v.price_status,
            basis_period: v.basis_period,
            lines: v.lines.iter().map(LineView::from).collect(),
            value: money(v.value),
        }
    }
}

/// The settlement's figures in the book currency: the provisional amount due at the ship
/// date's fixing, the final value at the finalisation's (today's while open), and the part of
/// the balance that is the rate's move.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BookFigures {
    #[schema(example = "CNY")]
    pub currency: String,
    /// Book currency per unit of the terms' currency at the ship date; null without a fixing.
    #[schema(example = "7.100000")]
    pub provisional_rate: Option<String>,
    pub provisional_rate_date: Option<NaiveDate>,
    #[schema(example = "15879150.00")]
    pub provisional_due: Option<String>,
    /// At the finalisation (today's rate while open).
    #[schema(example = "7.120000")]
    pub final_rate: Option<String>,
    pub final_rate_date: Option<NaiveDate>,
    #[schema(example = "18189820.00")]
    pub final_value: Option<String>,
    /// final value − provisional due, both in the book currency.
    #[schema(example = "2310670.00")]
    pub balance: Option<String>,
    /// provisional due × (final rate − provisional rate): the balance's part that is FX.
    #[schema(example = "44730.00")]
    pub fx_difference: Option<String>,
}

/// What a shipment is worth, provisional to final.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Settlement {
    #[schema(value_type = uuid::Uuid)]
    pub shipment_id: ShipmentId,
    #[schema(example = "SHP-2027-000012")]
    pub shipment_number: String,
    #[schema(value_type = uuid::Uuid)]
    pub customer_id: CustomerId,
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    #[schema(value_type = Option<uuid::Uuid>)]
    pub contract_id: Option<ContractId>,
    #[schema(value_type = Option<uuid::Uuid>)]
    pub order_id: Option<OrderId>,
    #[schema(example = "2027-03")]
    pub period: Period,
    /// The terms' currency.
    #[schema(example = "USD")]
    pub currency: String,
    pub status: SettlementStatus,
    pub shipped_on: NaiveDate,
    /// The share of the provisional value due at shipment.
    pub provisional_payment_pct: Percent,
    /// Fixed on the day it shipped.
    pub provisional: ValuationView,
    /// provisional value × payment share, 2 dp.
    #[schema(example = "2236500.00")]
    pub provisional_due: Option<String>,
    /// While open: the lots at today's price (an estimate until the price is final).
    pub current: Option<ValuationView>,
    /// The final valuation: frozen when finalised; while open, today's once its price is
    /// final (fixed prices are final from the start).
    #[serde(rename = "final")]
    pub final_valuation: Option<ValuationView>,
    /// final value − provisional due; negative is a credit note. Null until the price is final.
    #[schema(example = "318250.00")]
    pub balance: Option<String>,
    /// Kilograms in lots out of specification, not settled automatically.
    #[schema(example = "0.000")]
    pub out_of_spec_kg: String,
    pub book: BookFigures,
    pub finalised_at: Option<DateTime<Utc>>,
    /// Incremented when finalised; the ETag is this number in quotes.
    pub version: i64,
}

fn is_final(v: &StoredValuation) -> bool {
    matches!(v.price_status, PriceStatus::Final | PriceStatus::Fixed)
}

/// The settlement of `shipment` as stored, with today's valuation while it is open.
pub(super) fn of(
    conn: &mut DbConnection,
    stored: StoredSettlement,
    shipment: &Shipment,
) -> Result<Settlement, OpError> {
    let due = stored
        .provisional
        .value
        .and_then(|v| amount_due(v, stored.payment_pct.value()));
    let current = match stored.status {
        SettlementStatus::Open => {
            let terms = terms_of(conn, shipment)?;
            Some(valuation(
                conn,
                shipment,
                &terms,
                &stored.book_currency,
                crate::domain::clock::today(),
            )?)
        }
        SettlementStatus::Final => None,
    };
    let final_valuation = stored
        .final_valuation
        .clone()
        .or_else(|| current.clone().filter(is_final));
    let final_value = final_valuation.as_ref().and_then(|f| f.value);
    let bal = match (final_value, due) {
        (Some(f), Some(d)) => balance(f, d),
        _ => None,
    };
    let rate_now = final_valuation
        .as_ref()
        .or(current.as_ref())
        .and_then(|v| v.book_rate.zip(v.book_rate_date));
    let due_book = due
        .zip(stored.provisional.book_rate)
        .and_then(|(d, r)| in_book(d, r));
    let final_book = final_value
        .zip(rate_now.map(|r| r.0))
        .and_then(|(f, r)| in_book(f, r));
    let fx_difference = match (due, rate_now, due_book) {
        (Some(d), Some((r, _)), Some(db)) => in_book(d, r).and_then(|x| x.checked_sub(db)),
        _ => None,
    };
    let out_of_spec_g: i64 = shipment
        .lots
        .iter()
        .filter(|l| {
            stored
                .provisional
                .lines
                .iter()
                .any(|x| x.lot_number == l.lot_number && x.out_of_spec)
        })
        .filter_map(|l| l.quantity_kg.grams())
        .sum();
    Ok(Settlement {
        shipment_id: stored.shipment_id,
        shipment_number: shipment.number.clone(),
        customer_id: stored.customer_id,
        product_id: stored.product_id,
        contract_id: stored.contract_id,
        order_id: stored.order_id,
        period: stored.period,
        currency: stored.currency.clone(),
        status: stored.status,
        shipped_on: stored.shipped_on,
        provisional_payment_pct: stored.payment_pct,
        provisional: ValuationView::from(&stored.provisional),
        provisional_due: money(due),
        current: current.as_ref().map(ValuationView::from),
        final_valuation: final_valuation.as_ref().map(ValuationView::from),
        balance: money(bal),
        out_of_spec_kg: fixed(Decimal::new(out_of_spec_g, 3), 3),
        book: BookFigures {
            currency: stored.book_currency.clone(),
            provisional_rate: stored.provisional.book_rate.map(|r| fixed(r, 6)),
            provisional_rate_date: stored.provisional.book_rate_date,
            provisional_due: money(due_book),
            final_rate: rate_now.map(|r| fixed(r.0, 6)),
            final_rate_date: rate_now.map(|r| r.1),
            final_value: money(final_book),
            balance: money(final_book.zip(due_book).and_then(|(f, d)| f.checked_sub(d))),
            fx_difference: money(fx_difference),
        },
        finalised_at: stored.finalised_at,
        version: stored.version,
    })
}

/// The settlement of a shipment; 404 when it has not shipped (or shipped before settlements
/// were kept).
pub fn get(conn: &mut DbConnection, shipment_id: ShipmentId) -> Result<Settlement, OpError> {
    let (shipment, stored) = stored_of(conn, shipment_id)?;
    of(conn, stored, &shipment)
}

/// The shipment and its stored settlement; 404 naming the shipment when it has none.
pub(super) fn stored_of(
    conn: &mut DbConnection,
    shipment_id: ShipmentId,
) -> Result<(Shipment, StoredSettlement), OpError> {
    let shipment = shipments::find(conn, shipment_id)?;
    let stored = settlements::find(conn, shipment_id)?.ok_or_else(|| {
        OpError::NotFound(format!(
            "shipment {} has no settlement: it is settled when it ships",
            shipment.number
        ))
    })?;
    Ok((shipment, stored))
}

/// The filters of the settlements list, shared by the JSON list and its CSV twin.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SettlementFilter {
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub status: Option<SettlementStatus>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub customer_id: Option<CustomerId>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub contract_id: Option<ContractId>,
    /// First delivery month, inclusive.
    #[param(value_type = Option<String>, example = "2027-01")]
    pub from: Option<Period>,
    /// Last delivery month, inclusive.
    #[param(value_type = Option<String>, example = "2027-12")]
    pub to: Option<Period>,
}

/// Settlements in the order they were made, with today's valuation of the open ones.
pub fn list(conn: &mut DbConnection, f: &SettlementFilter) -> Result<Page<Settlement>, OpError> {
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    if let (Some(from), Some(to)) = (f.from, f.to) {
        if from > to {
            return Err(OpError::field("from", "must not be after `to`"));
        }
    }
    let scope = SettlementScope {
        status: f.status,
        customer_id: f.customer_id,
        contract_id: f.contract_id,
        from: f.from,
        to: f.to,
    };
    let (rows, next) = settlements::list(conn, &scope, page.limit, page.cursor.as_ref())?;
    let items = rows
        .into_iter()
        .map(|s| {
            let shipment = shipments::find(conn, s.shipment_id)?;
            of(conn, s, &shipment)
        })
        .collect::<Result<Vec<_>, OpError>>()?;
    Ok(Page::new(items, next))
}

impl Page<Settlement> {
    /// The page as a spreadsheet (`GET /api/v1/settlements.csv`).
    pub fn csv(&self) -> Csv {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        Csv::new(
            "settlements.csv",
            &[
                "shipment_id",
                "shipment_number",
                "customer_id",
                "period",
                "currency",
                "status",
                "shipped_on",
                "provisional_unit_price",
                "provisional_value",
                "provisional_payment_pct",
                "provisional_due",
                "final_unit_price",
                "final_value",
                "balance",
                "book_currency",
                "book_provisional_due",
                "book_final_value",
                "book_balance",
                "book_fx_difference",
            ],
            self.items.iter().map(|s| {
                let fin = s.final_valuation.as_ref();
                vec![
                    s.shipment_id.to_string(),
                    s.shipment_number.clone(),
                    s.customer_id.to_string(),
                    s.period.to_string(),
                    s.currency.clone(),
                    s.status.as_str().to_string(),
                    s.shipped_on.to_string(),
                    text(&s.provisional.unit_price),
                    text(&s.provisional.value),
                    s.provisional_payment_pct.display().to_string(),
                    text(&s.provisional_due),
                    fin.and_then(|f| f.unit_price.clone()).unwrap_or_default(),
                    fin.and_then(|f| f.value.clone()).unwrap_or_default(),
                    text(&s.balance),
                    s.book.currency.clone(),
                    text(&s.book.provisional_due),
                    text(&s.book.final_value),
                    text(&s.book.balance),
                    text(&s.book.fx_difference),
                ]
            }),
        )
    }
}
