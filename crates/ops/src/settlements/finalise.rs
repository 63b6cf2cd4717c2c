//! `finalise`: freezes a settlement once its price is final. Later corrections of quotes or
//! fixings change only open settlements.

use super::value::{terms_of, valuation};
use super::view::{of, Settlement};
use crate::db::settlements;
use crate::db::DbConnection;
use crate::domain::pricing::PriceStatus;
use crate::domain::settlement::SettlementStatus;
use crate::domain::{Permission, ShipmentId};
use crate::error::{OpError, Stale};
use crate::{Actor, Expect};

/// Freezes the settlement of a shipment at today's valuation, which must be final (the
/// quotation month over, with its quotes and fixings) or fixed. Roles: admin, sales. 409 when
/// it is already final or its price is not; one audit entry and a `settlement.final` event.
pub fn finalise(
    conn: &mut DbConnection,
    actor: &Actor,
    shipment_id: ShipmentId,
    expect: &Expect,
) -> Result<Settlement, OpError> {
    actor.require(Permission::FinaliseSettlements)?;
    let (shipment, stored) = super::view::stored_of(conn, shipment_id)?;
    expect.check(stored.version)?;
    if stored.status == SettlementStatus::Final {
        return Err(OpError::conflict(format!(
            "the settlement of {} is already final",
            shipment.number
        )));
    }
    let terms = terms_of(conn, &shipment)?;
    let v = valuation(
        conn,
        &shipment,
        &terms,
        &stored.book_currency,
        crate::domain::clock::today(),
    )?;
    if !matches!(v.price_status, PriceStatus::Final | PriceStatus::Fixed) {
        let basis = v
            .basis_period
            .map(|p| format!(" (priced on {p} so far)"))
            .unwrap_or_default();
        return Err(OpError::conflict(format!(
            "the price of {} is {}{basis}: a settlement is finalised once its price is final",
            shipment.period,
            v.price_status.as_str()
        )));
    }
    if !settlements::finalise(conn, shipment_id, stored.version, &v)? {
        return Err(OpError::PreconditionFailed(Stale::Version {
            current: stored.version + 1,
        }));
    }
    let frozen = settlements::find(conn, shipment_id)?
        .ok_or_else(|| OpError::unexpected("a settlement vanished while it was finalised"))?;
    let shown = of(conn, frozen, &shipment)?;
    super::record(conn, actor, "final", &shown)?;
    Ok(shown)
}
