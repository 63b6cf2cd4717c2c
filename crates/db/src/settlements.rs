//! The `settlements` table: one per shipped shipment, its provisional valuation fixed on the
//! ship date and its final one frozen when it is finalised.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::domain::settlement::{SettlementStatus, StoredValuation};
use crate::domain::{ContractId, CustomerId, OrderId, Percent, Period, ProductId, ShipmentId};
use crate::error::OpError;
use crate::page::Cursor;
use crate::rows::SettlementRow;
use crate::schema::settlements;
use crate::{now, parse, DbConnection};

/// A settlement as stored.
#[derive(Debug, Clone)]
pub struct StoredSettlement {
    pub shipment_id: ShipmentId,
    pub customer_id: CustomerId,
    pub product_id: ProductId,
    pub contract_id: Option<ContractId>,
    pub order_id: Option<OrderId>,
    pub period: Period,
    pub currency: String,
    pub status: SettlementStatus,
    pub shipped_on: NaiveDate,
    pub payment_pct: Percent,
    pub provisional: StoredValuation,
    pub final_valuation: Option<StoredValuation>,
    pub book_currency: String,
    pub finalised_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: NaiveDateTime,
    pub version: i64,
}

/// What a list of settlements is narrowed to.
#[derive(Debug, Default, Clone)]
pub struct SettlementScope {
    pub status: Option<SettlementStatus>,
    pub customer_id: Option<CustomerId>,
    pub contract_id: Option<ContractId>,
    pub from: Option<Period>,
    pub to: Option<Period>,
}

fn to_stored(r: SettlementRow) -> Result<StoredSettlement, OpError> {
    Ok(StoredSettlement {
        shipment_id: parse::id(&r.shipment_id, "settlements.shipment_id")?,
        customer_id: parse::id(&r.customer_id, "settlements.customer_id")?,
        product_id: parse::id(&r.product_id, "settlements.product_id")?,
        contract_id: parse::opt_id(r.contract_id.as_deref(), "settlements.contract_id")?,
        order_id: parse::opt_id(r.order_id.as_deref(), "settlements.order_id")?,
        period: parse::period(&r.period, "settlements.period")?,
        status: parse::status(&r.status, "settlements.status", SettlementStatus::parse)?,
        shipped_on: r.shipped_on,
        payment_pct: Percent::from_milli(r.payment_milli_pct),
        provisional: parse::json(&r.provisional_json, "settlements.provisional_json")?,
        final_valuation: r
            .final_json
            .as_deref()
            .map(|j| parse::json(j, "settlements.final_json"))
            .transpose()?,
        currency: r.currency,
        book_currency: r.book_currency,
        finalised_at: r.finalised_at.map(parse::utc),
        created_at: r.created_at,
        version: r.version,
    })
}

fn json(v: &StoredValuation) -> Result<String, OpError> {
    serde_json::to_string(v).map_err(OpError::unexpected)
}

/// Stores a new (open) settlement.
pub fn insert(conn: &mut DbConnection, s: &StoredSettlement) -> Result<(), OpError> {
    let at = now();
    diesel::insert_into(settlements::table)
        .values(SettlementRow {
            shipment_id: s.shipment_id.to_string(),
            customer_id: s.customer_id.to_string(),
            product_id: s.product_id.to_string(),
            contract_id: s.contract_id.map(|c| c.to_string()),
            order_id: s.order_id.map(|o| o.to_string()),
            period: s.period.to_string(),
            currency: s.currency.clone(),
            status: s.status.as_str().into(),
            shipped_on: s.shipped_on,
            payment_milli_pct: s
                .payment_pct
                .milli()
                .ok_or_else(|| OpError::field("provisional_payment_pct", "is out of range"))?,
            provisional_json: json(&s.provisional)?,
            final_json: s.final_valuation.as_ref().map(json).transpose()?,
            book_currency: s.book_currency.clone(),
            finalised_at: None,
            created_at: at,
            updated_at: at,
            version: 1,
        })
        .execute(conn)?;
    Ok(())
}

/// The settlement of a shipment, if it has one.
pub fn find(
    conn: &mut DbConnection,
    shipment_id: ShipmentId,
) -> Result<Option<StoredSettlement>, OpError> {
    settlements::table
        .find(shipment_id.to_string())
        .select(SettlementRow::as_select())
        .first(conn)
        .optional()?
        .map(to_stored)
        .transpose()
}

/// Freezes an open settlement at `version` with its final valuation; `false` when it was no
/// longer open at that version (a racing finalisation).
pub fn finalise(
    conn: &mut DbConnection,
    shipment_id: ShipmentId,
    version: i64,
    final_valuation: &StoredValuation,
) -> Result<bool, OpError> {
    let at = now();
    let n = diesel::update(
        settlements::table
            .find(shipment_id.to_string())
            .filter(settlements::version.eq(version))
            .filter(settlements::status.eq(SettlementStatus::Open.as_str())),
    )
    .set((
        settlements::status.eq(SettlementStatus::Final.as_str()),
        settlements::final_json.eq(Some(json(final_valuation)?)),
        settlements::finalised_at.eq(Some(at)),
        settlements::updated_at.eq(at),
        settlements::version.eq(version + 1),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// A page of settlements in (created_at, shipment_id) order after `cursor`.
pub fn list(
    conn: &mut DbConnection,
    scope: &SettlementScope,
    limit: i64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<StoredSettlement>, Option<Cursor>), OpError> {
    let mut q = settlements::table
        .select(SettlementRow::as_select())
        .into_boxed();
    if let Some(s) = scope.status {
        q = q.filter(settlements::status.eq(s.as_str()));
    }
    if let Some(c) = scope.customer_id {
        q = q.filter(settlements::customer_id.eq(c.to_string()));
    }
    if let Some(c) = scope.contract_id {
        q = q.filter(settlements::contract_id.eq(c.to_string()));
    }
    if let Some(f) = scope.from {
        q = q.filter(settlements::period.ge(f.to_string()));
    }
    if let Some(t) = scope.to {
        q = q.filter(settlements::period.le(t.to_string()));
    }
    if let Some(c) = cursor {
        q = q.filter(
            settlements::created_at
                .gt(c.created_at)
                .or(settlements::created_at
                    .eq(c.created_at)
                    .and(settlements::shipment_id.gt(c.id.clone()))),
        );
    }
    let rows: Vec<SettlementRow> = q
        .order((
            settlements::created_at.asc(),
            settlements::shipment_id.asc(),
        ))
        .limit(limit + 1)
        .load(conn)?;
    let (rows, next) = crate::page::split(rows, limit, |r| Cursor {
        created_at: r.created_at,
        id: r.shipment_id.clone(),
    });
    Ok((
        rows.into_iter()
            .map(to_stored)
            .collect::<Result<Vec<_>, _>>()?,
        next,
    ))
}
