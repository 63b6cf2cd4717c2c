//! Valuing a shipment: the terms that price it and hold its lots, the price known on a day, and
//! what the lots are worth at it (`domain::settlement`).

use chrono::NaiveDate;

use crate::db::{contracts, fx_rates, orders, DbConnection};
use crate::domain::pricing::{price, IndexSeries};
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::settlement::{value_lots, QualityTerm, StoredValuation};
use crate::domain::shipment::Shipment;
use crate::domain::Percent;
use crate::error::OpError;

/// What prices a shipment and what its lots are held to: an order's terms (an add-on order's
/// quality terms and payment share are its contract's; a spot order pays 100 % at shipment),
/// or the contract month's.
#[derive(Debug, Clone)]
pub struct SettlementTerms {
    pub pricing: PricingTerms,
    pub currency: String,
    pub quality: Vec<QualityTerm>,
    pub payment_pct: Percent,
}

pub fn terms_of(conn: &mut DbConnection, s: &Shipment) -> Result<SettlementTerms, OpError> {
    if let Some(order_id) = s.order_id {
        let order = orders::find(conn, order_id)?;
        let (quality, payment_pct) = match order.contract_id {
            Some(c) => {
                let c = contracts::find(conn, c)?;
                (c.quality_terms, c.provisional_payment_pct)
            }
            None => (order.quality_terms, Percent::from_milli(100_000)),
        };
        return Ok(SettlementTerms {
            pricing: order.pricing,
            currency: order.currency,
            quality,
            payment_pct,
        });
    }
    let contract_id = s
        .contract_id
        .ok_or_else(|| OpError::unexpected("a shipment with neither order nor contract"))?;
    let c = contracts::find(conn, contract_id)?;
    Ok(SettlementTerms {
        pricing: c.pricing,
        currency: c.currency,
        quality: c.quality_terms,
        payment_pct: c.provisional_payment_pct,
    })
}

/// The book currency's rate per unit of `currency` on `date` (1 in the book currency itself):
/// the latest fixing on or before that day, with its date.
pub fn book_rate(
    conn: &mut DbConnection,
    currency: &str,
    book: &str,
    date: NaiveDate,
) -> Result<Option<(NaiveDate, rust_decimal::Decimal)>, OpError> {
    if currency == book {
        return Ok(Some((date, rust_decimal::Decimal::ONE)));
    }
    fx_rates::rate_on(conn, currency, book, date)
}

/// The shipment's lots at the price known on `on` — from the quotes and fixings dated up to
/// that day, final only if the quotation month was over by then — with the book rate of that
/// day. A day after the business date counts as the business date.
pub fn valuation(
    conn: &mut DbConnection,
    s: &Shipment,
    terms: &SettlementTerms,
    book: &str,
    on: NaiveDate,
) -> Result<StoredValuation, OpError> {
    let today = crate::domain::clock::today();
    let on = on.min(today);
    let until = (on < today).then_some(on);
    let series = match terms.pricing.index_id() {
        Some(i) => Some(crate::fx::index_series_known(
            conn,
            i,
            &terms.currency,
            until,
        )?),
        None => None,
    };
    let outcome = price(
        &terms.pricing,
        s.period,
        series.as_ref().unwrap_or(&IndexSeries::default()),
        crate::domain::Period::of_date(on),
    );
    let valued = outcome
        .unit_price
        .and_then(|u| value_lots(&s.lots, u, &terms.quality));
    let rate = book_rate(conn, &terms.currency, book, on)?;
    Ok(StoredValuation {
        valued_on: on,
        unit_price: outcome.unit_price,
        price_status: outcome.status,
        basis_period: outcome.basis_period,
        value: valued.as_ref().map(|v| v.total),
        lines: valued.map(|v| v.lines).unwrap_or_default(),
        book_rate: rate.map(|r| r.1),
        book_rate_date: rate.map(|r| r.0),
    })
}
