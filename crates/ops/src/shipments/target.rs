//! What a shipment fulfils, and how much may ship against it.

use crate::db::{contracts, licences, orders, shipments, DbConnection};
use crate::domain::lifecycle::OrderType;
use crate::domain::reconciliation::Grams;
use crate::domain::shipment::shipment_limit;
use crate::domain::ShipmentId;
use crate::domain::{ContractId, CustomerId, LicenceId, OrderId, ProductId};
use crate::domain::{KgAmount, Period};
use crate::error::OpError;

/// An order, or a contract's month, with the quantity and tolerance that bound its shipments.
pub struct Target {
    pub order_id: Option<OrderId>,
    pub contract_id: Option<ContractId>,
    pub period: Period,
    pub customer_id: CustomerId,
    pub product_id: ProductId,
    pub committed_g: Grams,
    pub tolerance_milli_pct: i64,
}

/// Finds what a shipment fulfils: a confirmed order, or an active or suspended contract's
/// scheduled month.
pub fn resolve(
    conn: &mut DbConnection,
    order_id: Option<OrderId>,
    contract_id: Option<ContractId>,
    period: Option<Period>,
) -> Result<Target, OpError> {
    match (order_id, contract_id, period) {
        (Some(order_id), None, None) => {
            let order = match orders::find(conn, order_id) {
                Err(OpError::NotFound(_)) => {
                    return Err(OpError::field("order_id", "no such order"))
                }
                other => other?,
            };
            if !order.status.is_commitment() {
                return Err(OpError::field(
                    "order_id",
                    format!(
                        "the order is {}; only confirmed orders ship",
                        order.status.as_str()
                    ),
                ));
            }
            let tolerance = match (order.contract_id, order.order_type) {
                (Some(c), OrderType::AddOn) => contracts::find(conn, c)?.tolerance_milli_pct(),
                _ => 0,
            };
            Ok(Target {
                period: order.period,
                order_id: Some(order.id),
                contract_id: None,
                customer_id: order.customer_id,
                product_id: order.product_id,
                committed_g: order.grams(),
                tolerance_milli_pct: tolerance,
            })
        }
        (None, Some(contract_id), Some(period)) => {
            let c = match contracts::find(conn, contract_id) {
                Err(OpError::NotFound(_)) => {
                    return Err(OpError::field("contract_id", "no such contract"))
                }
                other => other?,
            };
            if !c.status.is_commitment() {
                return Err(OpError::field(
                    "contract_id",
                    format!(
                        "the contract is {}, not active or suspended",
                        c.status.as_str()
                    ),
                ));
            }
            let Some(scheduled) = c.scheduled(period) else {
                return Err(OpError::field(
                    "period",
                    "the contract schedules nothing in this month",
                ));
            };
            Ok(Target {
                order_id: None,
                contract_id: Some(c.id),
                period,
                customer_id: c.customer_id,
                product_id: c.product_id,
                committed_g: scheduled,
                tolerance_milli_pct: c.tolerance_milli_pct(),
            })
        }
        (None, Some(_), None) => Err(OpError::field("period", "is required with contract_id")),
        (None, None, _) => Err(OpError::field(
            "order_id",
            "give order_id, or contract_id and period",
        )),
        _ => Err(OpError::field(
            "order_id",
            "give either order_id or contract_id and period, not both",
        )),
    }
}

impl Target {
    /// 422 naming the limit when `quantity_g` more would take the target past its quantity
    /// plus tolerance (`exclude`: the shipment being changed).
    pub fn check_limit(
        &self,
        conn: &mut DbConnection,
        quantity_g: Grams,
        exclude: Option<ShipmentId>,
    ) -> Result<(), OpError> {
        let existing = shipments::committed_grams(
            conn,
            self.order_id,
            self.contract_id.map(|c| (c, self.period)),
            exclude,
        )?;
        let max = shipment_limit(self.committed_g, self.tolerance_milli_pct);
        let total = existing.saturating_add(quantity_g);
        if total > max {
            return Err(OpError::field(
                "quantity_kg",
                format!(
                    "would bring shipments to {} kg, above the limit of {} kg (quantity plus tolerance); {} kg is already planned or shipped",
                    KgAmount::from_grams(total).display(),
                    KgAmount::from_grams(max).display(),
                    KgAmount::from_grams(existing).display()
                ),
            ));
        }
        Ok(())
    }

    /// 422 unless the licence exists and is for the target's product and customer.
    pub fn check_licence(
        &self,
        conn: &mut DbConnection,
        licence_id: LicenceId,
    ) -> Result<(), OpError> {
        match licences::find(conn, licence_id) {
            Err(OpError::NotFound(_)) => Err(OpError::field(
                "export_licence_id",
                "no such export licence",
            )),
            Err(e) => Err(e),
            Ok(l) if l.product_id != self.product_id || l.customer_id != self.customer_id => {
                Err(OpError::field(
                    "export_licence_id",
                    "the licence is for another product or customer",
                ))
            }
            Ok(_) => Ok(()),
        }
    }
}
