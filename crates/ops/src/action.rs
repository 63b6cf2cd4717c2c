//! The optional body of a lifecycle action: why, and for ATP-checked actions an explicit
//! override.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::OpError;

/// Most characters of a reason.
pub const MAX_REASON_CHARS: usize = 1000;

/// The optional body of a lifecycle action: why, and for ATP-checked actions an explicit
/// override (planners and admins only, with a reason).
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "customer agreed to a later delivery"}))]
pub struct ActionRequest {
    /// Why: required to cancel, reject, terminate and to override the ATP check.
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
    /// Confirm even though available-to-promise does not cover it (planner or admin).
    #[serde(default, rename = "override")]
    pub atp_override: bool,
}

/// An optional `{ "reason": … }` body of a lifecycle action.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// Why: recorded in the audit trail.
    #[schema(example = "customer no longer trading", max_length = 1000)]
    pub reason: Option<String>,
}

/// The trimmed reason; required and non-blank when `needed`, at most 1000 characters.
pub fn reason(reason: Option<&str>, needed: bool) -> Result<Option<String>, OpError> {
    let reason = reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    if needed && reason.is_none() {
        return Err(OpError::field("reason", "is required for this action"));
    }
    if reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > MAX_REASON_CHARS)
    {
        return Err(OpError::field("reason", "must be at most 1000 characters"));
    }
    Ok(reason)
}

impl ActionRequest {
    /// The reason, required and non-blank when `needed`.
    pub fn reason(&self, needed: bool) -> Result<Option<String>, OpError> {
        reason(self.reason.as_deref(), needed)
    }

    /// Refuses an override on an action that runs no ATP check.
    pub fn no_override(&self, why: &str) -> Result<(), OpError> {
        if self.atp_override {
            Err(OpError::field("override", why))
        } else {
            Ok(())
        }
    }
}

impl ActionBody {
    pub fn reason(&self) -> Result<Option<String>, OpError> {
        reason(self.reason.as_deref(), false)
    }
}
