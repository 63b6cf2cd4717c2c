//! What contracts and orders share: the ATP gate with its override, and the action body.

use std::collections::BTreeMap;

use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::db::position::{self, lock_product};
use crate::db::scaled::kg;
use crate::db::DbConnection;
use crate::domain::reconciliation::{check_commitment, Grams, Refusal};
use crate::domain::{Period, Permission};
use crate::error::ApiError;

/// The optional body of a lifecycle action: why, and for ATP-checked actions an explicit
/// override (planners and admins only, with a reason).
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "customer agreed to a later delivery"}))]
pub struct ActionRequest {
    /// Why: required to cancel, reject, terminate and to override the ATP check.
    pub reason: Option<String>,
    /// Confirm even though available-to-promise does not cover it (planner or admin).
    #[serde(default, rename = "override")]
    pub atp_override: bool,
}

impl ActionRequest {
    /// The reason, required and non-blank when `needed`.
    pub fn reason(&self, needed: bool) -> Result<Option<String>, ApiError> {
        let reason = self
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        if needed && reason.is_none() {
            return Err(ApiError::field("reason", "is required for this action"));
        }
        if reason.as_ref().is_some_and(|r| r.chars().count() > 1000) {
            return Err(ApiError::field("reason", "must be at most 1000 characters"));
        }
        Ok(reason)
    }

    /// Allows the action for roles with `permission`, and for planners and admins overriding ATP.
    pub fn authorize(&self, caller: &Principal, permission: Permission) -> Result<(), ApiError> {
        if self.atp_override {
            caller.require(Permission::OverrideAtp).map_err(|_| {
                ApiError::Forbidden(format!(
                    "only planners and admins may override the ATP check, not {}",
                    caller.role.as_str()
                ))
            })?;
            self.reason(true)?;
            return Ok(());
        }
        caller.require(permission)
    }
}

/// Takes the product's lock and checks that `extra` demand fits; with an override a shortfall
/// is accepted. Returns whether the override was needed.
pub fn atp_gate(
    conn: &mut DbConnection,
    product_id: &str,
    extra: &BTreeMap<Period, Grams>,
    atp_override: bool,
) -> Result<bool, ApiError> {
    lock_product(conn, product_id)?;
    let pos = position::load(conn, product_id, None)?;
    match check_commitment(&pos, extra) {
        Ok(()) => Ok(false),
        Err(_) if atp_override => Ok(true),
        Err(r) => Err(insufficient(&r, product_id)),
    }
}

/// 409 with the numbers a desk needs to act on.
pub fn insufficient(r: &Refusal, product_id: &str) -> ApiError {
    let mut ext = serde_json::Map::new();
    ext.insert("product_id".into(), product_id.into());
    ext.insert("period".into(), r.period.to_string().into());
    ext.insert(
        "requested_kg".into(),
        kg(r.requested).display().to_string().into(),
    );
    ext.insert(
        "available_kg".into(),
        kg(r.available).display().to_string().into(),
    );
    ext.insert(
        "first_short_period".into(),
        r.first_short_period.to_string().into(),
    );
    ApiError::Conflict {
        kind: "insufficient-atp",
        detail: format!(
            "{} kg requested for {} but only {} kg is available to promise; it would leave {} short",
            kg(r.requested).display(),
            r.period,
            kg(r.available).display(),
            r.first_short_period
        ),
        extensions: ext,
    }
}

/// Adds the action's reason and override to a change snapshot for audit and events.
pub fn annotate(snapshot: &mut Option<serde_json::Value>, reason: Option<&str>, overridden: bool) {
    if let Some(serde_json::Value::Object(map)) = snapshot {
        if let Some(r) = reason {
            map.insert("reason".into(), r.into());
        }
        if overridden {
            map.insert("atp_override".into(), true.into());
        }
    }
}
