//! The `shipments` table.

use diesel::prelude::*;

use crate::domain::lifecycle::ShipmentStatus;
use crate::domain::shipment::ShipmentFilter;
use crate::domain::shipment::{Lot, Shipment, TransportMode};
use crate::domain::worklist::{like_prefix, ShipmentSort, Worklist};
use crate::domain::{ContractId, OrderId, ShipmentId};
use crate::domain::{Kg, Period};
use crate::error::OpError;
use crate::page::{after_cursor, page_of, Cursor};
use crate::parse;
use crate::rows::ShipmentRow;
use crate::schema::shipments;
use crate::worklist::{by_code, numbered_page, sort_by, then_by, CodeOf, ListSearch};
use crate::DbConnection;

fn to_entity(r: ShipmentRow) -> Result<Shipment, OpError> {
    Ok(Shipment {
        id: parse::id(&r.id, "shipments.id")?,
        order_id: parse::opt_id(r.order_id.as_deref(), "shipments.order_id")?,
        contract_id: parse::opt_id(r.contract_id.as_deref(), "shipments.contract_id")?,
        period: parse::period(&r.period, "shipments.period")?,
        customer_id: parse::id(&r.customer_id, "shipments.customer_id")?,
        product_id: parse::id(&r.product_id, "shipments.product_id")?,
        quantity_kg: Kg::from_grams(r.quantity_g),
        lots: parse::json::<Vec<Lot>>(&r.lots_json, "shipments.lots_json")?,
        containers: match &r.containers_json {
            Some(c) => parse::json(c, "shipments.containers_json")?,
            None => Vec::new(),
        },
        export_licence_id: parse::opt_id(
            r.export_licence_id.as_deref(),
            "shipments.export_licence_id",
        )?,
        status: parse::status(&r.status, "shipments.status", ShipmentStatus::parse)?,
        number: r.number,
        planned_ship_date: r.planned_ship_date,
        shipped_on: r.shipped_on,
        delivered_on: r.delivered_on,
        vessel: r.vessel,
        voyage: r.voyage,
        bl_number: r.bl_number,
        transport_mode: parse::status(
            &r.transport_mode,
            "shipments.transport_mode",
            TransportMode::parse,
        )?,
        air_waybill: r.air_waybill,
        flight: r.flight,
        consignment_note: r.consignment_note,
        created_at: parse::utc(r.created_at),
        updated_at: parse::utc(r.updated_at),
        version: r.version,
    })
}

fn to_row(s: &Shipment) -> Result<ShipmentRow, OpError> {
    Ok(ShipmentRow {
        id: s.id.to_string(),
        number: s.number.clone(),
        order_id: s.order_id.map(|o| o.to_string()),
        contract_id: s.contract_id.map(|c| c.to_string()),
        period: s.period.to_string(),
        customer_id: s.customer_id.to_string(),
        product_id: s.product_id.to_string(),
        quantity_g: s
            .quantity_kg
            .grams()
            .ok_or_else(|| OpError::field("quantity_kg", "is out of range"))?,
        lots_json: serde_json::to_string(&s.lots).map_err(OpError::unexpected)?,
        planned_ship_date: s.planned_ship_date,
        shipped_on: s.shipped_on,
        delivered_on: s.delivered_on,
        vessel: s.vessel.clone(),
        voyage: s.voyage.clone(),
        bl_number: s.bl_number.clone(),
        containers_json: if s.status == ShipmentStatus::Planned && s.containers.is_empty() {
            None
        } else {
            Some(serde_json::to_string(&s.containers).map_err(OpError::unexpected)?)
        },
        export_licence_id: s.export_licence_id.map(|l| l.to_string()),
        status: s.status.as_str().into(),
        created_at: parse::naive(s.created_at),
        updated_at: parse::naive(s.updated_at),
        version: s.version,
        transport_mode: s.transport_mode.as_str().into(),
        air_waybill: s.air_waybill.clone(),
        flight: s.flight.clone(),
        consignment_note: s.consignment_note.clone(),
    })
}

pub fn find(conn: &mut DbConnection, id: ShipmentId) -> Result<Shipment, OpError> {
    let row = shipments::table
        .find(id.to_string())
        .select(ShipmentRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| OpError::not_found("shipment"))?;
    to_entity(row)
}

pub fn insert(conn: &mut DbConnection, s: &Shipment) -> Result<(), OpError> {
    diesel::insert_into(shipments::table)
        .values(&to_row(s)?)
        .execute(conn)?;
    Ok(())
}

pub fn save(conn: &mut DbConnection, before_version: i64, s: &Shipment) -> Result<(), OpError> {
    crate::versioned::save(conn, "shipment", before_version, &to_row(s)?)
}

/// Grams of the non-cancelled shipments of an order, or of a contract's month, leaving out
/// `exclude` (the shipment being changed).
pub fn committed_grams(
    conn: &mut DbConnection,
    order_id: Option<OrderId>,
    contract_month: Option<(ContractId, Period)>,
    exclude: Option<ShipmentId>,
) -> Result<i64, OpError> {
    let mut q = shipments::table
        .filter(shipments::status.ne(ShipmentStatus::Cancelled.as_str()))
        .select(shipments::quantity_g)
        .into_boxed();
    if let Some(x) = exclude {
        q = q.filter(shipments::id.ne(x.to_string()));
    }
    q = match (order_id, contract_month) {
        (Some(o), _) => q.filter(shipments::order_id.eq(o.to_string())),
        (None, Some((c, p))) => q
            .filter(shipments::contract_id.eq(c.to_string()))
            .filter(shipments::period.eq(p.to_string())),
        (None, None) => return Ok(0),
    };
    Ok(q.load::<i64>(conn)?
        .into_iter()
        .fold(0, i64::saturating_add))
}

/// Status and grams of each non-cancelled shipment of an order.
pub fn of_order(
    conn: &mut DbConnection,
    order_id: OrderId,
) -> Result<Vec<(ShipmentStatus, i64)>, OpError> {
    let rows: Vec<(String, i64)> = shipments::table
        .filter(shipments::order_id.eq(order_id.to_string()))
        .filter(shipments::status.ne(ShipmentStatus::Cancelled.as_str()))
        .select((shipments::status, shipments::quantity_g))
        .load(conn)?;
    rows.into_iter()
        .map(|(s, g)| {
            Ok((
                parse::status(&s, "shipments.status", ShipmentStatus::parse)?,
                g,
            ))
        })
        .collect()
}

/// Applies a shipment filter to a boxed query of the `shipments` table, whatever it selects.
macro_rules! filtered {
    ($q:expr, $f:expr) => {{
        let f: &ShipmentFilter = $f;
        let mut q = $q;
        if let Some(s) = f.status {
            q = q.filter(shipments::status.eq(s.as_str()));
        }
        if let Some(m) = f.transport_mode {
            q = q.filter(shipments::transport_mode.eq(m.as_str()));
        }
        if let Some(o) = f.order_id {
            q = q.filter(shipments::order_id.eq(o.to_string()));
        }
        if let Some(c) = f.contract_id {
            q = q.filter(shipments::contract_id.eq(c.to_string()));
        }
        if let Some(c) = f.customer_id {
            q = q.filter(shipments::customer_id.eq(c.to_string()));
        }
        if let Some(p) = f.product_id {
            q = q.filter(shipments::product_id.eq(p.to_string()));
        }
        if let Some(from) = f.from {
            q = q.filter(shipments::period.ge(from.to_string()));
        }
        if let Some(to) = f.to {
            q = q.filter(shipments::period.le(to.to_string()));
        }
        if let Some(t) = f.updated_since {
            q = q.filter(shipments::updated_at.ge(t.naive_utc()));
        }
        q
    }};
}

pub fn list(
    conn: &mut DbConnection,
    f: &ShipmentFilter,
    limit: i64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<Shipment>, Option<Cursor>), OpError> {
    let q = filtered!(
        shipments::table
            .select(ShipmentRow::as_select())
            .into_boxed(),
        f
    );
    let rows: Vec<ShipmentRow> = after_cursor!(q, shipments, cursor, limit).load(conn)?;
    page_of(rows, limit, to_entity)
}

/// One page of shipments, filtered, searched by number and sorted by any column, with the count
/// of all that match.
pub fn worklist(
    conn: &mut DbConnection,
    f: &ShipmentFilter,
    s: &ListSearch<ShipmentSort>,
) -> Result<Worklist<Shipment>, OpError> {
    macro_rules! searched {
        ($q:expr) => {{
            let mut q = filtered!($q, f);
            if let Some(term) = s.term() {
                q = q.filter(
                    shipments::number
                        .like(like_prefix(&term.to_uppercase()))
                        .escape('\\'),
                );
            }
            q
        }};
    }
    let q = searched!(shipments::table
        .select(ShipmentRow::as_select())
        .into_boxed());
    let d = s.dir;
    let q = match s.sort {
        ShipmentSort::Number => sort_by!(q, d, shipments::number),
        ShipmentSort::Month => sort_by!(q, d, shipments::period),
        ShipmentSort::Quantity => sort_by!(q, d, shipments::quantity_g),
        ShipmentSort::Mode => sort_by!(q, d, shipments::transport_mode),
        ShipmentSort::Status => sort_by!(q, d, shipments::status),
        ShipmentSort::Updated => sort_by!(q, d, shipments::updated_at),
        ShipmentSort::Customer => q.order(by_code("shipments", CodeOf::Customer, d)),
        ShipmentSort::Product => q.order(by_code("shipments", CodeOf::Product, d)),
    };
    let count = searched!(shipments::table.count().into_boxed());
    let (rows, total): (Vec<ShipmentRow>, i64) =
        numbered_page!(conn, count, q, shipments, s.paging, d);
    Ok(Worklist {
        items: rows.into_iter().map(to_entity).collect::<Result<_, _>>()?,
        total,
        page: s.paging.page,
        per_page: s.paging.per_page,
    })
}
