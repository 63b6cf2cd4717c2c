//! Collects every field error of a request before answering, so a client fixes them all at once.

use serde::{Deserialize, Deserializer};

use crate::error::{ApiError, FieldError};

#[derive(Default)]
pub struct Checks(Vec<FieldError>);

impl Checks {
    /// Records `message` against `field` unless `ok`.
    pub fn check(&mut self, ok: bool, field: &str, message: impl Into<String>) -> &mut Self {
        if !ok {
            self.0.push(FieldError::new(field, message));
        }
        self
    }

    /// A required free-text field: trimmed, non-empty, at most `max` characters.
    pub fn text(&mut self, value: &str, field: &str, max: usize) -> &mut Self {
        let len = value.trim().chars().count();
        self.check(len > 0, field, "must not be blank");
        self.check(
            len <= max,
            field,
            format!("must be at most {max} characters"),
        )
    }

    /// The errors found, for callers that add more before answering.
    pub fn into_errors(self) -> Vec<FieldError> {
        self.0
    }

    pub fn finish(&mut self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(std::mem::take(&mut self.0)))
        }
    }
}

/// For PATCH: distinguishes an absent member (`None`) from an explicit `null` (`Some(None)`).
pub fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// An optional `{ "reason": … }` body of a lifecycle action.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// Why: recorded in the audit trail.
    #[schema(example = "customer no longer trading")]
    pub reason: Option<String>,
}
