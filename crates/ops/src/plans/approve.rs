use serde::Serialize;
use utoipa::ToSchema;

use super::impact::{compute, PlanImpact};
use crate::action::ActionBody;
use crate::db::{counters, plans, DbConnection};
use crate::domain::lifecycle::PlanStatus;
use crate::domain::production::ProductionPlan;
use crate::domain::Permission;
use crate::domain::PlanId;
use crate::error::OpError;
use crate::lifecycle::{self, Note, Tracked};
use crate::{Actor, Expect};

/// The approval's answer: the plan and what it did.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanApproval {
    pub plan: ProductionPlan,
    pub impact: PlanImpact,
}

/// draft → approved; the previously approved version becomes superseded, and for every
/// (product, month) this version mentions its line is now the plan. Plans are facts, so a plan
/// that creates shortfalls is approved all the same; the answer and the event carry the impact.
pub fn approve(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PlanId,
    expect: &Expect,
    body: &ActionBody,
) -> Result<PlanApproval, OpError> {
    actor.require(Permission::WritePlans)?;
    let reason = body.reason()?;
    // One approval at a time across instances.
    counters::next(conn, "plan_approvals")?;
    let mut impact = None;
    let plan = lifecycle::change(
        conn,
        actor,
        id,
        expect,
        "approved",
        |conn, before: &ProductionPlan, note| {
            super::actions::approvable(before)?;
            if plans::newer_approved(conn, before.version_no)? > 0 {
                return Err(OpError::conflict(
                    "a newer plan version is already approved; create a new version instead",
                ));
            }
            let computed = compute(conn, before)?;
            let at = note.at;
            for old in plans::approved(conn)? {
                let mut superseded = old.clone();
                superseded.status = PlanStatus::Superseded;
                superseded.touch(at);
                plans::save(conn, old.version, &superseded)?;
                lifecycle::record(
                    conn,
                    actor,
                    "superseded",
                    Some(&old),
                    &superseded,
                    &Note::default(),
                )?;
            }
            let mut after = before.clone();
            after.status = PlanStatus::Approved;
            after.approved_at = Some(at);
            after.approved_by = Some(actor.username.clone());
            let mut shown = after.clone();
            shown.touch(at);
            let mut data = serde_json::json!({ "plan": &shown, "impact": &computed });
            if let Some(r) = &reason {
                data["reason"] = r.clone().into();
            }
            note.data = Some(data);
            impact = Some(computed);
            Ok(after)
        },
    )?;
    let impact = impact.ok_or_else(|| OpError::unexpected("approval without impact"))?;
    Ok(PlanApproval { plan, impact })
}
