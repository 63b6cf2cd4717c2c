//! A shipment's settlement as the shipment page shows it: provisional at shipment, final (or
//! today's estimate), the balance, and the book-currency figures, in words a desk reads.

use rust_decimal::Decimal;

use super::view;
use crate::ops::settlements::{Settlement, ValuationView};

/// One lot of the settlement.
pub struct SettlementLineView {
    pub lot: String,
    pub kg: String,
    pub adjustment: String,
    pub unit_price: String,
    pub amount: String,
}

/// The settlement section of the shipment page.
pub struct SettlementSummary {
    pub status: &'static str,
    pub provisional: String,
    pub due: String,
    /// "Final" or "Today's estimate".
    pub later_label: &'static str,
    pub later: String,
    pub balance: String,
    pub book: String,
    pub lines: Vec<SettlementLineView>,
    pub out_of_spec: Option<String>,
    pub can_finalise: bool,
    pub version: i64,
}

/// An amount the API wrote as decimal text, as the desk writes money (`USD 1,250.00`).
pub fn money(currency: &str, amount: Option<&String>) -> Option<String> {
    amount
        .and_then(|a| Decimal::from_str_exact(a).ok())
        .map(|a| view::money(currency, a))
}

/// "USD 2,485,000.00 at USD 100.00 per kg (index price on 2026-09 quotes, not yet final)".
fn valuation(currency: &str, v: &ValuationView) -> String {
    use crate::domain::pricing::PriceStatus;
    match money(currency, v.unit_price.as_ref()) {
        None => format!(
            "unpriced on {} (the index has no usable quotes)",
            v.valued_on
        ),
        Some(price) => {
            let basis = v
                .basis_period
                .map(|p| format!(" on {p} quotes"))
                .unwrap_or_default();
            let how = match v.price_status {
                PriceStatus::Fixed => "fixed price".to_string(),
                PriceStatus::Final => format!("index price{basis}, final"),
                PriceStatus::Provisional => format!("index price{basis}, not yet final"),
                PriceStatus::Unpriced => "unpriced".to_string(),
            };
            format!(
                "{} at {price} per kg ({how})",
                money(currency, v.value.as_ref()).unwrap_or_default()
            )
        }
    }
}

/// "USD/CNY 7.170750 (fixing of 2026-12-04)".
fn rate(pair: &str, rate: &str, date: Option<chrono::NaiveDate>) -> String {
    match date {
        Some(d) => format!("{pair} {rate} (fixing of {d})"),
        None => format!("{pair} {rate}"),
    }
}

pub fn summary(s: &Settlement, may_finalise: bool) -> SettlementSummary {
    let c = s.currency.as_str();
    let later = s.final_valuation.as_ref().or(s.current.as_ref());
    let final_known = s.final_valuation.is_some();
    let balance = match money(c, s.balance.as_ref()) {
        Some(b) if s.balance.as_deref().is_some_and(|x| x.starts_with('-')) => {
            format!("{b}: a credit note is owed to the customer")
        }
        Some(b) => format!("{b} still to invoice"),
        None => "known once the price is final".into(),
    };
    let b = &s.book;
    let bk = |v: &Option<String>| money(&b.currency, v.as_ref()).unwrap_or_default();
    let pair = format!("{}/{}", s.currency, b.currency);
    let book = match (&b.provisional_due, &b.provisional_rate) {
        (Some(_), Some(r)) => {
            let mut text = format!(
                "{} due at {}",
                bk(&b.provisional_due),
                rate(&pair, r, b.provisional_rate_date)
            );
            if let (Some(_), Some(fr)) = (&b.final_value, &b.final_rate) {
                text.push_str(&format!(
                    "; final {} at {}",
                    bk(&b.final_value),
                    rate(&pair, fr, b.final_rate_date)
                ));
            }
            if let (Some(_), Some(_)) = (&b.balance, &b.fx_difference) {
                text.push_str(&format!(
                    "; balance {}, of which the rate's move {}",
                    bk(&b.balance),
                    bk(&b.fx_difference)
                ));
            }
            text
        }
        _ => format!(
            "no {}/{} fixing on or before the ship date",
            s.currency, b.currency
        ),
    };
    let lines = s
        .provisional
        .lines
        .iter()
        .map(|l| SettlementLineView {
            lot: l.lot_number.clone(),
            kg: Decimal::from_str_exact(&l.quantity_kg)
                .map(view::kg)
                .unwrap_or_else(|_| l.quantity_kg.clone()),
            adjustment: if l.out_of_spec {
                "out of specification".into()
            } else if l
                .adjustment
                .trim_start_matches('-')
                .trim_matches(['0', '.'])
                .is_empty()
            {
                "none".into()
            } else {
                format!("{c} {} per kg", l.adjustment)
            },
            unit_price: money(c, Some(&l.unit_price)).unwrap_or_default(),
            amount: money(c, l.amount.as_ref()).unwrap_or_else(|| "not settled here".into()),
        })
        .collect();
    SettlementSummary {
        status: match s.status {
            crate::domain::settlement::SettlementStatus::Open => "open",
            crate::domain::settlement::SettlementStatus::Final => "final",
        },
        provisional: format!(
            "{}, valued on {}",
            valuation(c, &s.provisional),
            s.provisional.valued_on
        ),
        due: format!(
            "{} ({} %)",
            money(c, s.provisional_due.as_ref()).unwrap_or_else(|| "—".into()),
            s.provisional_payment_pct.value().normalize()
        ),
        later_label: if final_known {
            "Final"
        } else {
            "Today's estimate"
        },
        later: later.map(|v| valuation(c, v)).unwrap_or_default(),
        balance,
        book,
        lines,
        out_of_spec: (!s.out_of_spec_kg.trim_matches(['0', '.']).is_empty()).then(|| {
            format!(
                "{} kg out of specification, not settled here",
                s.out_of_spec_kg
            )
        }),
        can_finalise: may_finalise
            && final_known
            && s.status == crate::domain::settlement::SettlementStatus::Open,
        version: s.version,
    }
}
