//! What an actor may do to an order now: the role's rights crossed with what the order's
//! status allows. The operations refuse with these checks, and the desk shows its buttons from
//! [`allowed_actions`], so the two cannot disagree.

use crate::atp::{self, Authority};
use crate::domain::lifecycle::{OrderAction, OrderStatus};
use crate::domain::order::Order;
use crate::domain::Permission;
use crate::error::OpError;
use crate::Actor;

/// The order actions open to an actor now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrderActions {
    /// Change a draft's month, quantity, Incoterm or reference.
    pub edit: bool,
    pub submit: bool,
    /// Confirm through the ATP gate.
    pub confirm: bool,
    /// Confirm past a refusal of the ATP gate, with a reason (planners and admins).
    pub override_atp: bool,
    pub reject: bool,
    pub cancel: bool,
    /// Start a new order from this one.
    pub copy: bool,
}

impl OrderActions {
    /// Whether anything at all may be done to the order.
    pub fn any(&self) -> bool {
        self.edit || self.submit || self.confirm || self.override_atp || self.reject || self.cancel
    }
}

/// What `actor` may do to `order` now.
pub fn allowed_actions(actor: &Actor, order: &Order) -> OrderActions {
    let may = |action, atp_override| {
        role_may(actor, action, atp_override).is_ok() && status_allows(order, action).is_ok()
    };
    OrderActions {
        edit: actor.require(Permission::WriteOrders).is_ok() && editable(order).is_ok(),
        submit: may(OrderAction::Submit, false),
        confirm: may(OrderAction::Confirm, false),
        override_atp: may(OrderAction::Confirm, true),
        reject: may(OrderAction::Reject, false),
        cancel: may(OrderAction::Cancel, false),
        copy: actor.require(Permission::WriteOrders).is_ok(),
    }
}

/// Whether the role may take `action` (403 otherwise): orders are written by the roles that
/// enter them; planners and admins may also confirm past a refusal of the ATP gate, which is
/// the only action an override applies to.
pub(super) fn role_may(
    actor: &Actor,
    action: OrderAction,
    atp_override: bool,
) -> Result<Authority, OpError> {
    let authority = atp::role_authority(actor, Permission::WriteOrders, atp_override)?;
    if action != OrderAction::Confirm && authority == Authority::OverrideOnly {
        return Err(OpError::forbidden_role(actor.role));
    }
    Ok(authority)
}

/// The status `action` leads to from the order's, or 409 saying why not.
pub(super) fn status_allows(order: &Order, action: OrderAction) -> Result<OrderStatus, OpError> {
    order.status.apply(action).ok_or_else(|| {
        OpError::invalid_state(
            order.status.as_str(),
            action.name(),
            format!(
                "a {} order cannot be {}",
                order.status.as_str(),
                action.past()
            ),
        )
    })
}

/// Only a draft can be edited (409 otherwise).
pub(super) fn editable(order: &Order) -> Result<(), OpError> {
    if order.status == OrderStatus::Draft {
        Ok(())
    } else {
        Err(OpError::conflict(format!(
            "only draft orders can be edited; this one is {}",
            order.status.as_str()
        )))
    }
}
