//! What an actor may do with production plans: approve a draft, start a new version. The
//! approval refuses with these checks, and the desk shows its buttons from them.

use crate::domain::lifecycle::PlanStatus;
use crate::domain::production::ProductionPlan;
use crate::domain::Permission;
use crate::error::OpError;
use crate::Actor;

/// The plan actions open to an actor now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanActions {
    pub approve: bool,
    /// Start a new draft version from this one.
    pub revise: bool,
}

/// What `actor` may do with `plan` now.
pub fn allowed_actions(actor: &Actor, plan: &ProductionPlan) -> PlanActions {
    let writes = actor.require(Permission::WritePlans).is_ok();
    PlanActions {
        approve: writes && approvable(plan).is_ok(),
        revise: writes,
    }
}

/// Only a draft is approved (409 otherwise).
pub(super) fn approvable(plan: &ProductionPlan) -> Result<(), OpError> {
    if plan.status == PlanStatus::Draft {
        Ok(())
    } else {
        Err(OpError::invalid_state(
            plan.status.as_str(),
            "approve",
            format!(
                "only a draft plan can be approved; this one is {}",
                plan.status.as_str()
            ),
        ))
    }
}
