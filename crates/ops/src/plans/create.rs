use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::{counters, now_utc, products, DbConnection};
use crate::domain::lifecycle::PlanStatus;
use crate::domain::production::{PlanLine, ProductionPlan};
use crate::domain::Permission;
use crate::domain::{EntityId, PlanId};
use crate::error::{FieldError, OpError};
use crate::{lifecycle, Actor};

/// Most lines of one plan version.
pub const MAX_LINES: usize = 5000;

/// A new plan version (draft).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "Q2 revision", "lines": [{"product_id": "0b9f6c39-5d8e-4a53-9a43-5f1f2d3c4b5a", "period": "2027-04", "planned_kg": "42000.000"}]}))]
pub struct NewPlan {
    #[schema(max_length = 1000)]
    pub note: String,
    #[schema(min_items = 1, max_items = 5000)]
    pub lines: Vec<PlanLine>,
}

fn check(new: &NewPlan) -> Result<(), OpError> {
    let mut errors = Vec::new();
    if new.note.chars().count() > 1000 {
        errors.push(FieldError::new("note", "must be at most 1000 characters"));
    }
    if new.lines.is_empty() || new.lines.len() > MAX_LINES {
        errors.push(FieldError::new("lines", "must hold 1 to 5000 lines"));
    }
    let mut seen = BTreeSet::new();
    for (i, l) in new.lines.iter().enumerate() {
        if !seen.insert((l.product_id, l.period)) {
            errors.push(FieldError::new(
                format!("lines[{i}].period"),
                "appears twice for this product",
            ));
        }
        if l.planned_kg.grams().is_none_or(|g| g < 0) {
            errors.push(FieldError::new(
                format!("lines[{i}].planned_kg"),
                "must be zero or more",
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(OpError::Validation(errors))
    }
}

/// Creates a draft plan version listing only what it sets. Roles: admin, planner.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    new: NewPlan,
) -> Result<ProductionPlan, OpError> {
    actor.require(Permission::WritePlans)?;
    check(&new)?;
    let ids: Vec<String> = new
        .lines
        .iter()
        .map(|l| l.product_id.to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let known = products::existing(conn, &ids)?;
    let unknown: Vec<FieldError> = new
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !known.contains(&l.product_id.to_string()))
        .map(|(i, _)| FieldError::new(format!("lines[{i}].product_id"), "no such product"))
        .collect();
    if !unknown.is_empty() {
        return Err(OpError::Validation(unknown));
    }
    let at = now_utc();
    let mut lines = new.lines;
    lines.sort_by(|a, b| {
        a.product_id
            .to_string()
            .cmp(&b.product_id.to_string())
            .then(a.period.cmp(&b.period))
    });
    let plan = ProductionPlan {
        id: EntityId::fresh(),
        version_no: counters::next(conn, "plans")?,
        note: new.note.trim().to_string(),
        status: PlanStatus::Draft,
        lines,
        approved_at: None,
        approved_by: None,
        created_at: at,
        updated_at: at,
        version: 1,
    };
    lifecycle::create(conn, actor, plan)
}

/// Creates the plan at most once per idempotency key (the desk's editor): a repeat of the same
/// version answers the one created first.
pub fn create_once(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &str,
    new: NewPlan,
) -> Result<PlanId, OpError> {
    let digest = crate::idempotency::digest_of(&new)?;
    crate::idempotency::once(conn, actor, "plan-editor", key, &digest, |c| {
        create(c, actor, new).map(|p| p.id)
    })
}
