//! What an actor may do to a contract now: the role's rights crossed with what the contract's
//! status allows. The operations refuse with these checks, and the desk shows its buttons from
//! [`allowed_actions`], so the two cannot disagree.

use crate::atp::{self, Authority};
use crate::domain::contract::Contract;
use crate::domain::lifecycle::{ContractAction, ContractStatus};
use crate::domain::Permission;
use crate::error::OpError;
use crate::Actor;

/// The contract actions open to an actor now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContractActions {
    /// The lifecycle actions the role may take itself, in the order of their buttons.
    pub lifecycle: Vec<ContractAction>,
    /// Activation past a refusal of the ATP gate, with a reason (planners and admins).
    pub activate_with_override: bool,
    /// Change a draft's terms.
    pub edit_terms: bool,
    /// Replace the schedule (an amendment once active).
    pub change_schedule: bool,
    /// Grow the schedule past a refusal of the ATP gate, with a reason.
    pub schedule_with_override: bool,
    /// Start an add-on order above this contract.
    pub new_addon: bool,
}

/// What `actor` may do to `contract` now.
pub fn allowed_actions(actor: &Actor, contract: &Contract) -> ContractActions {
    let lifecycle = ContractAction::ALL
        .into_iter()
        .filter(|a| role_may(actor, *a, false).is_ok() && status_allows(contract, *a).is_ok())
        .collect();
    let schedule_open = schedule_changeable(contract).is_ok();
    ContractActions {
        lifecycle,
        activate_with_override: role_may(actor, ContractAction::Activate, true).is_ok()
            && status_allows(contract, ContractAction::Activate).is_ok(),
        edit_terms: actor.require(Permission::WriteContracts).is_ok() && editable(contract).is_ok(),
        change_schedule: schedule_open
            && atp::role_authority(actor, Permission::WriteContracts, false).is_ok(),
        schedule_with_override: schedule_open
            && contract.status != ContractStatus::Draft
            && atp::role_authority(actor, Permission::WriteContracts, true).is_ok(),
        new_addon: contract.status == ContractStatus::Active
            && actor.require(Permission::WriteOrders).is_ok(),
    }
}

/// Whether the role may take `action` (403 otherwise): contracts are written by the roles that
/// sell; planners and admins may also activate past a refusal of the ATP gate, which is the
/// only lifecycle action an override applies to.
pub(super) fn role_may(
    actor: &Actor,
    action: ContractAction,
    atp_override: bool,
) -> Result<Authority, OpError> {
    let authority = atp::role_authority(actor, Permission::WriteContracts, atp_override)?;
    if action != ContractAction::Activate && authority == Authority::OverrideOnly {
        return Err(OpError::forbidden_role(actor.role));
    }
    Ok(authority)
}

/// The status `action` leads to from the contract's, or 409 saying why not.
pub(super) fn status_allows(
    contract: &Contract,
    action: ContractAction,
) -> Result<ContractStatus, OpError> {
    contract.status.apply(action).ok_or_else(|| {
        OpError::invalid_state(
            contract.status.as_str(),
            action.name(),
            format!(
                "a {} contract cannot {}",
                contract.status.as_str(),
                action.name()
            ),
        )
    })
}

/// Only a draft's terms can be edited (409 otherwise).
pub(super) fn editable(contract: &Contract) -> Result<(), OpError> {
    if contract.status == ContractStatus::Draft {
        Ok(())
    } else {
        Err(OpError::conflict(format!(
            "only draft contracts can be edited; this one is {}",
            contract.status.as_str()
        )))
    }
}

/// A completed or terminated contract's schedule no longer changes (409).
pub(super) fn schedule_changeable(contract: &Contract) -> Result<(), OpError> {
    if matches!(
        contract.status,
        ContractStatus::Completed | ContractStatus::Terminated
    ) {
        Err(OpError::conflict(format!(
            "the schedule of a {} contract cannot change",
            contract.status.as_str()
        )))
    } else {
        Ok(())
    }
}
