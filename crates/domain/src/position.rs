//! How contracts, orders and plans move a product's monthly position — the totals the ATP gate
//! and the reconciliation read. A change moves the position by what the resource contributes
//! after it less what it contributed before, in the same transaction.

use std::collections::BTreeMap;

use super::contract::Contract;
use super::lifecycle::{OrderStatus, OrderType, PlanStatus};
use super::order::Order;
use super::production::ProductionPlan;
use super::reconciliation::Grams;
use super::Period;
use crate::ids::ProductId;

/// Demand of one product in one month, by kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Demand {
    /// Scheduled under active and suspended contracts.
    pub contract: Grams,
    /// Confirmed (or later) add-on orders.
    pub addon: Grams,
    /// Confirmed (or later) spot orders.
    pub spot: Grams,
    /// Draft and submitted orders.
    pub pending: Grams,
}

impl Demand {
    fn plus(self, o: Demand) -> Demand {
        Demand {
            contract: self.contract.saturating_add(o.contract),
            addon: self.addon.saturating_add(o.addon),
            spot: self.spot.saturating_add(o.spot),
            pending: self.pending.saturating_add(o.pending),
        }
    }

    fn minus(self, o: Demand) -> Demand {
        Demand {
            contract: self.contract.saturating_sub(o.contract),
            addon: self.addon.saturating_sub(o.addon),
            spot: self.spot.saturating_sub(o.spot),
            pending: self.pending.saturating_sub(o.pending),
        }
    }

    pub fn is_zero(&self) -> bool {
        *self == Demand::default()
    }
}

/// One move of one product's position in one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PositionChange {
    /// Demand grows (or shrinks, when negative) by this much.
    Demand {
        product: ProductId,
        period: Period,
        delta: Demand,
    },
    /// The month's plan line is now this one.
    Plan {
        product: ProductId,
        period: Period,
        grams: Grams,
    },
}

type Contribution = BTreeMap<(ProductId, Period), Demand>;

/// What an order adds to its product's demand: pending while draft or submitted, add-on or spot
/// demand once confirmed, nothing once cancelled or rejected.
pub fn order_contribution(o: &Order) -> Contribution {
    let g = o.grams();
    let demand = match (o.status, o.order_type) {
        (OrderStatus::Draft | OrderStatus::Submitted, _) => Demand {
            pending: g,
            ..Demand::default()
        },
        (s, OrderType::AddOn) if s.is_commitment() => Demand {
            addon: g,
            ..Demand::default()
        },
        (s, OrderType::Spot) if s.is_commitment() => Demand {
            spot: g,
            ..Demand::default()
        },
        _ => return Contribution::new(),
    };
    Contribution::from([((o.product_id, o.period), demand)])
}

/// What a contract adds: its schedule while active or suspended, nothing otherwise.
pub fn contract_contribution(c: &Contract) -> Contribution {
    if !c.status.is_commitment() {
        return Contribution::new();
    }
    c.grams()
        .into_iter()
        .map(|(period, grams)| {
            (
                (c.product_id, period),
                Demand {
                    contract: grams,
                    ..Demand::default()
                },
            )
        })
        .collect()
}

/// The moves from `before` to `after`, in (product, month) order so that concurrent changes
/// lock rows in one order.
pub fn demand_changes(before: &Contribution, after: &Contribution) -> Vec<PositionChange> {
    let mut keys: Vec<&(ProductId, Period)> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|key| {
            let was = before.get(key).copied().unwrap_or_default();
            let now = after.get(key).copied().unwrap_or_default();
            let delta = now.minus(was);
            (!delta.is_zero()).then_some(PositionChange::Demand {
                product: key.0,
                period: key.1,
                delta,
            })
        })
        .collect()
}

/// The moves of an order's change (`before` is `None` for a new order).
pub fn order_changes(before: Option<&Order>, after: &Order) -> Vec<PositionChange> {
    demand_changes(
        &before.map(order_contribution).unwrap_or_default(),
        &order_contribution(after),
    )
}

/// The moves of a contract's change.
pub fn contract_changes(before: Option<&Contract>, after: &Contract) -> Vec<PositionChange> {
    demand_changes(
        &before.map(contract_contribution).unwrap_or_default(),
        &contract_contribution(after),
    )
}

/// The moves of a plan's change: on approval its lines become the plan of their months.
/// (A newer version is always approved after an older one, so the latest approval wins.)
pub fn plan_changes(
    before: Option<&ProductionPlan>,
    after: &ProductionPlan,
) -> Vec<PositionChange> {
    let approved_now = after.status == PlanStatus::Approved
        && before.is_none_or(|b| b.status != PlanStatus::Approved);
    if !approved_now {
        return Vec::new();
    }
    let mut lines: Vec<PositionChange> = after
        .lines
        .iter()
        .filter_map(|l| {
            Some(PositionChange::Plan {
                product: l.product_id,
                period: l.period,
                grams: l.planned_kg.grams()?,
            })
        })
        .collect();
    lines.sort_by_key(|c| match c {
        PositionChange::Plan {
            product, period, ..
        }
        | PositionChange::Demand {
            product, period, ..
        } => (*product, *period),
    });
    lines
}

/// The demand totals of many contributions, for recomputing positions from the source rows.
pub fn total(contributions: impl IntoIterator<Item = Contribution>) -> Contribution {
    let mut out = Contribution::new();
    for c in contributions {
        for (key, d) in c {
            let e = out.entry(key).or_default();
            *e = e.plus(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{CustomerId, OrderId};

    fn order(status: &str, kind: &str, kg: &str) -> Order {
        Order {
            id: OrderId::from_uuid(uuid::Uuid::nil()),
            number: "O".into(),
            order_type: OrderType::parse(kind).unwrap_or(OrderType::Spot),
            customer_id: CustomerId::from_uuid(uuid::Uuid::nil()),
            product_id: ProductId::from_uuid(uuid::Uuid::nil()),
            contract_id: None,
            period: Period::parse("2027-01").unwrap_or_else(|| unreachable!()),
            quantity_kg: serde_json::from_value(serde_json::json!(kg))
                .unwrap_or_else(|_| unreachable!()),
            pricing: crate::pricing_terms::PricingTerms::fixed(crate::Price::zero()),
            pricing_source: crate::order::PricingSource::Order,
            currency: "USD".into(),
            incoterm: "FOB".into(),
            incoterm_place: "X".into(),
            status: OrderStatus::parse(status).unwrap_or(OrderStatus::Draft),
            confirmed_at: None,
            external_ref: None,
            created_at: chrono::DateTime::default(),
            updated_at: chrono::DateTime::default(),
            version: 1,
            quality_terms: Vec::new(),
        }
    }

    fn demand(changes: &[PositionChange]) -> Vec<Demand> {
        changes
            .iter()
            .filter_map(|c| match c {
                PositionChange::Demand { delta, .. } => Some(*delta),
                PositionChange::Plan { .. } => None,
            })
            .collect()
    }

    #[test]
    fn an_order_moves_from_pending_to_demand_and_out() {
        let draft = order("draft", "spot", "10");
        assert_eq!(
            demand(&order_changes(None, &draft)),
            [Demand {
                pending: 10_000,
                ..Default::default()
            }]
        );
        let confirmed = order("confirmed", "spot", "10");
        assert_eq!(
            demand(&order_changes(Some(&draft), &confirmed)),
            [Demand {
                spot: 10_000,
                pending: -10_000,
                ..Default::default()
            }]
        );
        let shipped = order("shipped", "spot", "10");
        assert!(order_changes(Some(&confirmed), &shipped).is_empty());
        let cancelled = order("cancelled", "spot", "10");
        assert_eq!(
            demand(&order_changes(Some(&confirmed), &cancelled)),
            [Demand {
                spot: -10_000,
                ..Default::default()
            }]
        );
        let add_on = order("confirmed", "add_on", "10");
        assert_eq!(
            demand(&order_changes(None, &add_on)),
            [Demand {
                addon: 10_000,
                ..Default::default()
            }]
        );
    }
}
