//! When an order does not fit its month: move it to a month that fits and confirm it there, or
//! split it — what is available in its month stays and is confirmed, the rest becomes a second
//! order confirmed in the first month that covers it — the way an ERP's partial confirmation
//! does. Each is one transaction: both orders or neither.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::actions::status_allows;
use super::NewOrder;
use crate::action::{self, ActionRequest};
use crate::db::DbConnection;
use crate::domain::lifecycle::OrderAction;
use crate::domain::order::{Order, PricingSource};
use crate::domain::{Kg, KgAmount, OrderId, Period, Permission};
use crate::error::OpError;
use crate::lifecycle;
use crate::reconciliation::{horizon, HorizonQuery};
use crate::{Actor, Expect};

/// How far ahead of the order's month a split or move looks for a month that fits.
pub const LOOK_AHEAD_MONTHS: i32 = crate::atp::FIT_HORIZON_MONTHS;

/// A split of an order that does not fit its month.
#[derive(Debug, Default, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "partial confirmation agreed with the customer"}))]
pub struct SplitRequest {
    /// The kg kept and confirmed in the order's month; by default what is available to
    /// promise there.
    #[schema(example = "3000.000")]
    pub keep_kg: Option<Kg>,
    /// The month the rest is confirmed in; by default the first month within 12 after the
    /// order's whose available-to-promise covers it.
    #[schema(example = "2027-05")]
    pub rest_period: Option<Period>,
    /// Why, for the audit trail.
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
}

/// The two confirmed orders a split leaves.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SplitOrders {
    /// The order, with what stays in its month, confirmed.
    pub kept: Order,
    /// A new order with the rest, confirmed in its month.
    pub moved: Order,
}

/// A move of an order to another delivery month, confirmed there.
#[derive(Debug, Default, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"period": "2027-05", "reason": "customer accepts May"}))]
pub struct MoveRequest {
    /// The new delivery month; by default the first month within 12 after the order's whose
    /// available-to-promise covers it.
    #[schema(example = "2027-05")]
    pub period: Option<Period>,
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
}

/// The first month after `after` (within the look-ahead) whose ATP covers `kg` of `order`'s
/// product, as things stand in this transaction.
fn first_fit(
    conn: &mut DbConnection,
    order: &Order,
    kg: Kg,
    after: Period,
) -> Result<Option<Period>, OpError> {
    let h = horizon(
        conn,
        &HorizonQuery {
            product_id: order.product_id,
            quantity_kg: kg,
            from: after.next(),
            to: after.plus(LOOK_AHEAD_MONTHS),
        },
    )?;
    Ok(h.first_fit_period)
}

/// What a split would do, as things stand: keep what is available in the month, and the first
/// later month that takes the rest once the kept part is counted (`domain::split`). The desk
/// offers this before the person chooses; `split` confirms the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitOffer {
    pub keep: Kg,
    pub rest: Kg,
    pub rest_period: Period,
}

/// The split of `quantity` of `product` in `period`, if one is possible (see `SplitOffer`).
pub fn split_offer(
    conn: &mut DbConnection,
    product: crate::domain::ProductId,
    period: Period,
    quantity: Kg,
) -> Result<Option<SplitOffer>, OpError> {
    let Some(grams) = quantity.grams() else {
        return Ok(None);
    };
    let pos = crate::db::product_position::load(conn, product, None)?;
    Ok(
        crate::domain::split::split_plan(&pos, period, grams, LOOK_AHEAD_MONTHS).map(|p| {
            SplitOffer {
                keep: Kg::from_grams(p.keep),
                rest: Kg::from_grams(p.rest),
                rest_period: p.rest_period,
            }
        }),
    )
}

/// What is available to promise for `order`'s product in its month.
fn available(conn: &mut DbConnection, order: &Order) -> Result<KgAmount, OpError> {
    let h = horizon(
        conn,
        &HorizonQuery {
            product_id: order.product_id,
            quantity_kg: order.quantity_kg,
            from: order.period,
            to: order.period,
        },
    )?;
    Ok(h.months
        .first()
        .map(|m| m.atp_kg)
        .unwrap_or(KgAmount::from_grams(0)))
}

/// Who may split or move an order, and whether its status allows confirming it.
fn check(actor: &Actor, order: &Order) -> Result<(), OpError> {
    actor.require(Permission::WriteOrders)?;
    status_allows(order, OrderAction::Confirm).map(drop)
}

/// Changes the draft or submitted order's month or quantity (an `action` in the audit trail),
/// then confirms it through the ATP gate.
fn change_and_confirm(
    conn: &mut DbConnection,
    actor: &Actor,
    id: OrderId,
    expect: &Expect,
    action: &'static str,
    reason: Option<String>,
    change: impl FnOnce(&mut Order),
) -> Result<Order, OpError> {
    let changed = lifecycle::change(
        conn,
        actor,
        id,
        expect,
        action,
        |_, before: &Order, note| {
            check(actor, before)?;
            note.reason = reason.clone();
            let mut after = before.clone();
            change(&mut after);
            Ok(after)
        },
    )?;
    super::confirm(
        conn,
        actor,
        id,
        &Expect::version(changed.version),
        &ActionRequest {
            reason,
            atp_override: false,
        },
    )
}

/// Keeps what is available in the order's month (or `keep_kg`) and confirms it, and confirms
/// the rest as a new order in `rest_period` (or the first month that covers it). Refused with
/// 409 when the order already fits (confirm it), when nothing at all is available in its month
/// (move it), or when no month within a year covers the rest; with the ATP refusal when a
/// month named does not cover its part. Nothing changes unless both are confirmed.
pub fn split(
    conn: &mut DbConnection,
    actor: &Actor,
    id: OrderId,
    expect: &Expect,
    req: &SplitRequest,
) -> Result<SplitOrders, OpError> {
    actor.require(Permission::WriteOrders)?;
    let reason = action::reason(req.reason.as_deref(), false)?;
    let order = super::get(conn, id)?;
    expect.check(order.version)?;
    check(actor, &order)?;
    let total = order.grams();
    let keep_g = match req.keep_kg {
        Some(k) => k.grams().filter(|g| *g > 0 && *g < total).ok_or_else(|| {
            OpError::field(
                "keep_kg",
                "must be more than 0 and less than the order's quantity",
            )
        })?,
        None => {
            let atp = available(conn, &order)?
                .display()
                .checked_mul(rust_decimal::Decimal::from(1000))
                .and_then(|g| rust_decimal::prelude::ToPrimitive::to_i64(&g))
                .unwrap_or(0);
            if atp >= total {
                return Err(OpError::conflict(format!(
                    "the whole order fits in {}; confirm it instead of splitting it",
                    order.period
                )));
            }
            if atp <= 0 {
                return Err(OpError::conflict(format!(
                    "nothing is available to promise in {}; move the order instead",
                    order.period
                )));
            }
            atp
        }
    };
    let keep = Kg::from_grams(keep_g);
    let rest = Kg::from_grams(total - keep_g);
    let kept = change_and_confirm(
        conn,
        actor,
        id,
        &Expect::version(order.version),
        "split",
        reason.clone(),
        |o| o.quantity_kg = keep,
    )?;
    let rest_period = match req.rest_period {
        Some(p) => p,
        None => first_fit(conn, &kept, rest, kept.period)?.ok_or_else(|| {
            OpError::conflict(format!(
                "no month within {LOOK_AHEAD_MONTHS} after {} has {} kg available to promise",
                kept.period,
                rest.display()
            ))
        })?,
    };
    let moved = super::create(
        conn,
        actor,
        NewOrder {
            number: None,
            order_type: order.order_type,
            customer_id: order.customer_id,
            product_id: order.product_id,
            contract_id: order.contract_id,
            period: rest_period,
            quantity_kg: rest,
            pricing: match order.pricing_source {
                PricingSource::Order => Some(order.pricing.clone()),
                PricingSource::Contract => None,
            },
            currency: Some(order.currency.clone()),
            incoterm: Some(order.incoterm.clone()),
            incoterm_place: Some(order.incoterm_place.clone()),
            external_ref: None,
            quality_terms: match order.order_type {
                crate::domain::lifecycle::OrderType::Spot => order.quality_terms.clone(),
                crate::domain::lifecycle::OrderType::AddOn => Vec::new(),
            },
        },
    )
    .map_err(|e| rename(e, "period", "rest_period"))?;
    let moved = super::confirm(
        conn,
        actor,
        moved.id,
        &Expect::version(moved.version),
        &ActionRequest {
            reason: Some(format!("split from {}", kept.number)),
            atp_override: false,
        },
    )?;
    Ok(SplitOrders { kept, moved })
}

/// Moves a draft or submitted order to `period` (or the first month within a year that covers
/// it) and confirms it there, in one transaction: refused with the ATP refusal when the month
/// does not cover it, and nothing changes.
pub fn move_and_confirm(
    conn: &mut DbConnection,
    actor: &Actor,
    id: OrderId,
    expect: &Expect,
    req: &MoveRequest,
) -> Result<Order, OpError> {
    actor.require(Permission::WriteOrders)?;
    let reason = action::reason(req.reason.as_deref(), false)?;
    let order = super::get(conn, id)?;
    check(actor, &order)?;
    let period = match req.period {
        Some(p) => p,
        None => first_fit(conn, &order, order.quantity_kg, order.period)?.ok_or_else(|| {
            OpError::conflict(format!(
                "no month within {LOOK_AHEAD_MONTHS} after {} has {} kg available to promise",
                order.period,
                order.quantity_kg.display()
            ))
        })?,
    };
    change_and_confirm(conn, actor, id, expect, "moved", reason, |o| {
        o.period = period
    })
}

fn rename(e: OpError, from: &str, to: &str) -> OpError {
    match e {
        OpError::Validation(errors) => OpError::Validation(
            errors
                .into_iter()
                .map(|f| {
                    if f.field == from {
                        crate::error::FieldError::new(to, f.message)
                    } else {
                        f
                    }
                })
                .collect(),
        ),
        other => other,
    }
}
