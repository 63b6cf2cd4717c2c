use serde::Deserialize;
use utoipa::ToSchema;

use super::terms;
use crate::action::ActionRequest;
use crate::atp::{self, Authority};
use crate::db::{contracts, DbConnection};
use crate::domain::contract::{growth, Amendment, Contract, ScheduleLine};
use crate::domain::lifecycle::ContractStatus;
use crate::domain::ContractId;
use crate::domain::Permission;
use crate::error::OpError;
use crate::{lifecycle, Actor, Expect};

/// A new delivery schedule. For an active or suspended contract this is an amendment and
/// needs a reason; growing any month runs the ATP check.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"schedule": [{"period": "2027-01", "quantity_kg": "15000.000"}], "reason": "customer asked for more in January"}))]
pub struct ScheduleReplacement {
    #[schema(max_items = 240)]
    pub schedule: Vec<ScheduleLine>,
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
    /// Accept a shortfall the growth would cause (planner or admin, with a reason).
    #[serde(default, rename = "override")]
    pub atp_override: bool,
}

/// Replaces a contract's schedule. On a draft it simply replaces it; on an active or suspended
/// contract it is an amendment, kept with who, when, why and the old and new schedule, and
/// months that grow pass the ATP gate. A planner may only grow a schedule past a refusal.
pub fn replace_schedule(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ContractId,
    expect: &Expect,
    req: ScheduleReplacement,
) -> Result<Contract, OpError> {
    let action = ActionRequest {
        reason: req.reason.clone(),
        atp_override: req.atp_override,
    };
    let authority = atp::authority(actor, Permission::WriteContracts, &action)?;
    let reason = action.reason(false)?;
    let mut amended: Option<(Vec<ScheduleLine>, bool)> = None;
    let after = lifecycle::change(
        conn,
        actor,
        id,
        expect,
        "schedule_replaced",
        |conn, before: &Contract, note| {
            super::actions::schedule_changeable(before)?;
            let amendment = before.status != ContractStatus::Draft;
            if amendment && reason.is_none() {
                return Err(OpError::field(
                    "reason",
                    "is required to amend an active or suspended contract",
                ));
            }
            let mut t = before.terms();
            t.schedule = req.schedule;
            terms::validate(conn, &t)?;
            let growth = growth(&before.grams(), &t.grams());
            note.reason = reason.clone();
            note.atp_override = if amendment && !growth.is_empty() {
                atp::gate(
                    conn,
                    authority,
                    before.product_id,
                    &growth,
                    req.atp_override,
                )?
            } else if authority == Authority::OverrideOnly {
                return Err(OpError::Forbidden(
                    "a planner may change a contract's schedule only to grow it past a refusal of \
                 the ATP check"
                        .into(),
                ));
            } else {
                false
            };
            if amendment {
                note.action = Some("amended");
                amended = Some((before.schedule.clone(), note.atp_override));
            }
            let mut after = before.clone();
            after.set_schedule(t.schedule);
            Ok(after)
        },
    )?;
    if let Some((old_schedule, atp_override)) = amended {
        contracts::insert_amendment(
            conn,
            &Amendment {
                id: uuid::Uuid::new_v4(),
                contract_id: after.id,
                actor: actor.username.clone(),
                reason: reason.unwrap_or_default(),
                old_schedule,
                new_schedule: after.schedule.clone(),
                atp_override,
                at: after.updated_at,
            },
        )?;
    }
    Ok(after)
}
