//! What an actor may do to a shipment now: the role's right to write shipments crossed with
//! what the shipment's status allows. The operations refuse with these checks, and the desk
//! shows its forms from [`allowed_actions`].

use crate::domain::lifecycle::ShipmentStatus;
use crate::domain::shipment::Shipment;
use crate::domain::Permission;
use crate::error::OpError;
use crate::Actor;

/// A step of a shipment's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShipmentStep {
    /// Change a planned shipment.
    Edit,
    Ship,
    Deliver,
    Cancel,
}

impl ShipmentStep {
    /// The step as a problem's `action` names it.
    pub fn name(self) -> &'static str {
        match self {
            ShipmentStep::Edit => "edit",
            ShipmentStep::Ship => "ship",
            ShipmentStep::Deliver => "deliver",
            ShipmentStep::Cancel => "cancel",
        }
    }

    /// The status the step starts from, and how a refusal says it.
    fn starts_from(self) -> (ShipmentStatus, &'static str) {
        match self {
            ShipmentStep::Edit => (ShipmentStatus::Planned, "only planned shipments change"),
            ShipmentStep::Ship => (ShipmentStatus::Planned, "only a planned shipment ships"),
            ShipmentStep::Deliver => (
                ShipmentStatus::Shipped,
                "only a shipped shipment is delivered",
            ),
            ShipmentStep::Cancel => (
                ShipmentStatus::Planned,
                "only a planned shipment is cancelled",
            ),
        }
    }
}

/// The shipment steps open to an actor now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShipmentActions {
    pub edit: bool,
    pub ship: bool,
    pub deliver: bool,
    pub cancel: bool,
}

/// What `actor` may do to `shipment` now.
pub fn allowed_actions(actor: &Actor, shipment: &Shipment) -> ShipmentActions {
    let may = |step| {
        actor.require(Permission::WriteShipments).is_ok() && status_allows(shipment, step).is_ok()
    };
    ShipmentActions {
        edit: may(ShipmentStep::Edit),
        ship: may(ShipmentStep::Ship),
        deliver: may(ShipmentStep::Deliver),
        cancel: may(ShipmentStep::Cancel),
    }
}

/// 409 unless the shipment's status is the one `step` starts from.
pub(super) fn status_allows(shipment: &Shipment, step: ShipmentStep) -> Result<(), OpError> {
    let (from, refusal) = step.starts_from();
    if shipment.status == from {
        Ok(())
    } else {
        Err(OpError::invalid_state(
            shipment.status.as_str(),
            step.name(),
            format!("{refusal}; this one is {}", shipment.status.as_str()),
        ))
    }
}
