//! The ATP gate that confirming an order, activating a contract and growing an active
//! contract's schedule pass through, and who may override it.

use std::collections::BTreeMap;

use crate::action::ActionRequest;
use crate::db::product_position::{self, lock_product};
use crate::db::DbConnection;
use crate::domain::reconciliation::{available_to_promise, check_commitment, Grams};
use crate::domain::ProductId;
use crate::domain::{KgAmount, Period, Permission};
use crate::error::{AtpRefusal, OpError};
use crate::Actor;

/// On what grounds an actor makes an ATP-gated change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    /// The role may make the change (and, for planners and admins, override a refusal).
    Own,
    /// The role may not make the change, only override the ATP check's refusal of it
    /// (a planner confirming what sales cannot).
    OverrideOnly,
}

/// Who may make an ATP-gated change: roles with `permission`; planners and admins otherwise
/// only to override a refusal, with a reason. An override never grants a write the role lacks.
pub fn authority(
    actor: &Actor,
    permission: Permission,
    cmd: &ActionRequest,
) -> Result<Authority, OpError> {
    let authority = role_authority(actor, permission, cmd.atp_override)?;
    if cmd.atp_override {
        cmd.reason(true)?;
    }
    Ok(authority)
}

/// The role's part of [`authority`], before the command's reason is looked at: what the desk
/// asks to decide which buttons a page shows.
pub fn role_authority(
    actor: &Actor,
    permission: Permission,
    atp_override: bool,
) -> Result<Authority, OpError> {
    if atp_override && !actor.role.allows(Permission::OverrideAtp) {
        return Err(OpError::Forbidden(format!(
            "only planners and admins may override the ATP check, not {}",
            actor.role.as_str()
        )));
    }
    if actor.role.allows(permission) {
        Ok(Authority::Own)
    } else if atp_override {
        Ok(Authority::OverrideOnly)
    } else {
        Err(OpError::forbidden_role(actor.role))
    }
}

/// How far after a refused month the refusal looks for one that fits.
pub const FIT_HORIZON_MONTHS: i32 = 24;

/// The first month after `period`, within [`FIT_HORIZON_MONTHS`], whose ATP covers `grams`
/// (as `/atp/horizon` reckons it), and that month's ATP.
fn first_fit(
    pos: &crate::domain::reconciliation::ProductPosition,
    period: Period,
    grams: Grams,
) -> Option<(Period, KgAmount)> {
    (1..=FIT_HORIZON_MONTHS)
        .map(|n| period.plus(n))
        .map(|m| (m, available_to_promise(pos, m)))
        .find(|(_, atp)| *atp >= grams)
        .map(|(m, atp)| (m, KgAmount::from_grams(atp)))
}

/// Takes the product's lock and checks that `extra` demand fits; with an override a shortfall
/// is accepted. Returns whether the override was needed. An actor who may only override is
/// refused (403) when nothing needed overriding.
pub fn gate(
    conn: &mut DbConnection,
    authority: Authority,
    product_id: ProductId,
    extra: &BTreeMap<Period, Grams>,
    atp_override: bool,
) -> Result<bool, OpError> {
    lock_product(conn, product_id)?;
    let pos = product_position::load(conn, product_id, None)?;
    let overridden = match check_commitment(&pos, extra) {
        Ok(()) => false,
        Err(_) if atp_override => true,
        Err(r) => {
            // A one-month commitment is told where it would fit, so the caller need not ask.
            let first_fit = (extra.len() == 1)
                .then(|| first_fit(&pos, r.period, r.requested))
                .flatten();
            return Err(OpError::InsufficientAtp(AtpRefusal {
                product_id: product_id.to_string(),
                period: r.period,
                requested: KgAmount::from_grams(r.requested),
                available: KgAmount::from_grams(r.available),
                first_short_period: r.first_short_period,
                first_fit,
            }));
        }
    };
    if authority == Authority::OverrideOnly && !overridden {
        return Err(OpError::Forbidden(
            "a planner may make this change only to override a refusal of the ATP check, and \
             available-to-promise covers it"
                .into(),
        ));
    }
    Ok(overridden)
}
