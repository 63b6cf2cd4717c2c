//! What each shipment is worth (docs/business-rules.md, "Settlement"): when a shipment ships
//! its provisional settlement is fixed and stored; while open, its final value follows the
//! price; `finalise` freezes it once the price is final.

mod finalise;
mod reports;
mod value;
mod view;

use std::sync::OnceLock;

pub use finalise::finalise;
pub use reports::{
    realisation, receivables, revaluation, Realisation, RealisationQuery, RealisationRow,
    ReceivableRow, Receivables, Revaluation, RevaluationRow, RevaluationTotal, SaleKind,
    SettlementReportQuery,
};
pub use value::{book_rate, terms_of, valuation, SettlementTerms};
pub use view::{get, list, BookFigures, LineView, Settlement, SettlementFilter, ValuationView};

use crate::db::changes::{self, Change};
use crate::db::settlements::{self, StoredSettlement};
use crate::db::DbConnection;
use crate::domain::settlement::SettlementStatus;
use crate::domain::shipment::Shipment;
use crate::error::OpError;
use crate::Actor;

static BOOK_CURRENCY: OnceLock<String> = OnceLock::new();

/// Sets the book currency (`NDPR_BOOK_CURRENCY`) once, at start.
pub fn set_book_currency(currency: &str) {
    let _ = BOOK_CURRENCY.set(currency.to_string());
}

/// The currency the books are kept in: CNY unless set.
pub fn book_currency() -> String {
    BOOK_CURRENCY
        .get()
        .cloned()
        .unwrap_or_else(|| "CNY".to_string())
}

/// Fixes and stores the provisional settlement of a shipment that has just shipped, in the
/// shipping transaction, with one audit entry and a `settlement.provisional` event.
pub fn on_ship(conn: &mut DbConnection, actor: &Actor, s: &Shipment) -> Result<(), OpError> {
    let terms = terms_of(conn, s)?;
    let book = book_currency();
    let shipped_on = s.shipped_on.unwrap_or_else(crate::domain::clock::today);
    let provisional = valuation(conn, s, &terms, &book, shipped_on)?;
    let stored = StoredSettlement {
        shipment_id: s.id,
        customer_id: s.customer_id,
        product_id: s.product_id,
        contract_id: s.contract_id,
        order_id: s.order_id,
        period: s.period,
        currency: terms.currency.clone(),
        status: SettlementStatus::Open,
        shipped_on,
        payment_pct: terms.payment_pct,
        provisional,
        final_valuation: None,
        book_currency: book,
        finalised_at: None,
        created_at: crate::db::now(),
        version: 1,
    };
    settlements::insert(conn, &stored)?;
    let shown = view::of(conn, stored, s)?;
    record(conn, actor, "provisional", &shown)
}

fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    s: &Settlement,
) -> Result<(), OpError> {
    let id = s.shipment_id.to_string();
    changes::record(
        conn,
        &actor.author(),
        Change {
            action,
            entity_type: "settlement",
            entity_id: &id,
            before: None,
            after: Some(serde_json::to_value(s).map_err(OpError::unexpected)?),
        },
    )?;
    Ok(())
}
