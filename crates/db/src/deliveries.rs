//! What is due and what has moved: contract months and committed orders against shipped and
//! delivered shipments.

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::domain::lifecycle::{ContractStatus, OrderStatus, OrderType, ShipmentStatus};
use crate::domain::reconciliation::Grams;
use crate::domain::Period;
use crate::domain::{ContractId, CustomerId, ProductId};
use crate::error::OpError;
use crate::parse;
use crate::schema::{contract_lines, contracts, orders, shipments};
use crate::DbConnection;

/// Shipped and delivered grams, keyed by what the shipments fulfil.
#[derive(Default)]
pub struct Moved {
    /// (contract id, period) → (shipped, delivered)
    pub contract_months: BTreeMap<(String, Period), (Grams, Grams)>,
    /// order id → (shipped, delivered)
    pub orders: BTreeMap<String, (Grams, Grams)>,
}

impl Moved {
    pub fn contract_month(&self, contract: &str, period: Period) -> (Grams, Grams) {
        self.contract_months
            .get(&(contract.to_string(), period))
            .copied()
            .unwrap_or((0, 0))
    }

    pub fn order(&self, order: &str) -> (Grams, Grams) {
        self.orders.get(order).copied().unwrap_or((0, 0))
    }
}

type MovedRow = (Option<String>, Option<String>, String, String, Grams);

/// Sums shipped (shipped or delivered) and delivered quantities of the shipments for the
/// months `from`–`to` (a shipment carries the month it delivers: its contract month, or its
/// order's month), of one customer or product when given. One query however many orders the
/// months hold (an `IN` list of their ids would outgrow SQLite's 32,766 bound variables).
pub fn moved_in(
    conn: &mut DbConnection,
    from: Period,
    to: Period,
    customer: Option<CustomerId>,
    product: Option<ProductId>,
) -> Result<Moved, OpError> {
    let mut q = shipments::table
        .filter(shipments::status.eq_any([
            ShipmentStatus::Shipped.as_str(),
            ShipmentStatus::Delivered.as_str(),
        ]))
        .filter(shipments::period.ge(from.to_string()))
        .filter(shipments::period.le(to.to_string()))
        .into_boxed();
    if let Some(c) = customer {
        q = q.filter(shipments::customer_id.eq(c.to_string()));
    }
    if let Some(p) = product {
        q = q.filter(shipments::product_id.eq(p.to_string()));
    }
    let rows: Vec<MovedRow> = q
        .select((
            shipments::contract_id,
            shipments::order_id,
            shipments::period,
            shipments::status,
            shipments::quantity_g,
        ))
        .load(conn)?;
    sum_moved(rows)
}

/// Sums shipped (shipped or delivered) and delivered quantities of the shipments of these
/// contracts and orders (a few: one contract and its add-on orders).
pub fn moved(
    conn: &mut DbConnection,
    contract_ids: &[String],
    order_ids: &[String],
) -> Result<Moved, OpError> {
    let rows: Vec<MovedRow> = shipments::table
        .filter(shipments::status.eq_any([
            ShipmentStatus::Shipped.as_str(),
            ShipmentStatus::Delivered.as_str(),
        ]))
        .filter(
            shipments::contract_id
                .eq_any(contract_ids)
                .or(shipments::order_id.eq_any(order_ids)),
        )
        .select((
            shipments::contract_id,
            shipments::order_id,
            shipments::period,
            shipments::status,
            shipments::quantity_g,
        ))
        .load(conn)?;
    sum_moved(rows)
}

fn sum_moved(rows: Vec<MovedRow>) -> Result<Moved, OpError> {
    let mut out = Moved::default();
    for (contract_id, order_id, period, status, grams) in rows {
        let delivered = if status == ShipmentStatus::Delivered.as_str() {
            grams
        } else {
            0
        };
        let period = parse::period(&period, "shipments.period")?;
        let slot = match (contract_id, order_id) {
            (Some(c), _) => out.contract_months.entry((c, period)).or_default(),
            (None, Some(o)) => out.orders.entry(o).or_default(),
            (None, None) => continue,
        };
        slot.0 = slot.0.saturating_add(grams);
        slot.1 = slot.1.saturating_add(delivered);
    }
    Ok(out)
}

/// Statuses of orders that count as commitments (confirmed or later).
pub fn committed_order_statuses() -> Vec<&'static str> {
    OrderStatus::ALL
        .iter()
        .filter(|s| s.is_commitment())
        .map(|s| s.as_str())
        .collect()
}

/// A confirmed add-on order of a contract.
pub struct AddOn {
    pub id: String,
    pub period: Period,
    pub grams: Grams,
}

/// Confirmed add-on orders of a contract.
pub fn add_ons(conn: &mut DbConnection, contract_id: &str) -> Result<Vec<AddOn>, OpError> {
    let rows: Vec<(String, String, Grams)> = orders::table
        .filter(orders::contract_id.eq(contract_id))
        .filter(orders::status.eq_any(committed_order_statuses()))
        .select((orders::id, orders::period, orders::quantity_g))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, p, grams)| {
            Ok(AddOn {
                id,
                period: parse::period(&p, "orders.period")?,
                grams,
            })
        })
        .collect()
}

/// A contract's scheduled quantity in one month.
pub struct ContractMonthDue {
    pub contract_id: String,
    pub number: String,
    pub customer_id: CustomerId,
    pub product_id: ProductId,
    pub tolerance_milli_pct: i64,
    pub period: Period,
    pub grams: Grams,
}

/// A committed order due in its month.
pub struct OrderDue {
    pub order_id: String,
    pub number: String,
    pub order_type: OrderType,
    pub customer_id: CustomerId,
    pub product_id: ProductId,
    pub contract_id: Option<ContractId>,
    pub period: Period,
    pub grams: Grams,
}

/// Everything due in `from`–`to` from non-draft contracts and committed orders.
pub fn due(
    conn: &mut DbConnection,
    from: Period,
    to: Period,
    customer: Option<CustomerId>,
    product: Option<ProductId>,
) -> Result<(Vec<ContractMonthDue>, Vec<OrderDue>), OpError> {
    let mut cq = contract_lines::table
        .inner_join(contracts::table)
        .filter(contracts::status.ne(ContractStatus::Draft.as_str()))
        // Months from the one a contract ended in on are released: not owed.
        .filter(
            contracts::ended_period
                .is_null()
                .or(contracts::ended_period.gt(contract_lines::period.nullable())),
        )
        .filter(contract_lines::period.ge(from.to_string()))
        .filter(contract_lines::period.le(to.to_string()))
        .select((
            contracts::id,
            contracts::number,
            contracts::customer_id,
            contracts::product_id,
            contracts::tolerance_milli_pct,
            contract_lines::period,
            contract_lines::quantity_g,
        ))
        .into_boxed();
    let mut oq = orders::table
        .filter(orders::status.eq_any(committed_order_statuses()))
        .filter(orders::period.ge(from.to_string()))
        .filter(orders::period.le(to.to_string()))
        .select((
            orders::id,
            orders::number,
            orders::order_type,
            orders::customer_id,
            orders::product_id,
            orders::quantity_g,
            orders::period,
            orders::contract_id,
        ))
        .into_boxed();
    if let Some(c) = customer {
        cq = cq.filter(contracts::customer_id.eq(c.to_string()));
        oq = oq.filter(orders::customer_id.eq(c.to_string()));
    }
    if let Some(p) = product {
        cq = cq.filter(contracts::product_id.eq(p.to_string()));
        oq = oq.filter(orders::product_id.eq(p.to_string()));
    }
    type CRow = (String, String, String, String, i64, String, Grams);
    type ORow = (
        String,
        String,
        String,
        String,
        String,
        Grams,
        String,
        Option<String>,
    );
    let months: Vec<CRow> = cq.load(conn)?;
    let order_rows: Vec<ORow> = oq.load(conn)?;
    let months = months
        .into_iter()
        .map(
            |(id, number, customer, product, tolerance, period, grams)| {
                Ok(ContractMonthDue {
                    customer_id: parse::id(&customer, "contracts.customer_id")?,
                    product_id: parse::id(&product, "contracts.product_id")?,
                    period: parse::period(&period, "contract_lines.period")?,
                    contract_id: id,
                    number,
                    tolerance_milli_pct: tolerance,
                    grams,
                })
            },
        )
        .collect::<Result<Vec<_>, OpError>>()?;
    let order_rows = order_rows
        .into_iter()
        .map(
            |(id, number, kind, customer, product, grams, period, contract)| {
                Ok(OrderDue {
                    order_type: parse::status(&kind, "orders.order_type", OrderType::parse)?,
                    customer_id: parse::id(&customer, "orders.customer_id")?,
                    product_id: parse::id(&product, "orders.product_id")?,
                    contract_id: parse::opt_id(contract.as_deref(), "orders.contract_id")?,
                    period: parse::period(&period, "orders.period")?,
                    order_id: id,
                    number,
                    grams,
                })
            },
        )
        .collect::<Result<Vec<_>, OpError>>()?;
    Ok((months, order_rows))
}
