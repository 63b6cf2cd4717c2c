//! What is wrong with an input, field by field: the vocabulary every rule reports in, and
//! every layer above turns into its own answer (a 422 problem, a form message, a line of text).

use serde::Serialize;
use utoipa::ToSchema;

/// One thing wrong with one input field.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FieldError {
    /// The field, as a JSON path (`lines[2].period`).
    #[schema(example = "country")]
    pub field: String,
    /// What is wrong with it.
    #[schema(example = "must be an ISO 3166-1 alpha-2 code such as JP")]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Everything wrong with one input, found at once.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid(pub Vec<FieldError>);

/// Collects every field error of a request before answering, so a client fixes them all at once.
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

    pub fn push(&mut self, e: FieldError) -> &mut Self {
        self.0.push(e);
        self
    }

    pub fn extend(&mut self, errors: impl IntoIterator<Item = FieldError>) -> &mut Self {
        self.0.extend(errors);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors found, for callers that add more before answering.
    pub fn into_errors(self) -> Vec<FieldError> {
        self.0
    }

    /// Nothing wrong, or everything found wrong.
    pub fn finish(&mut self) -> Result<(), Invalid> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Invalid(std::mem::take(&mut self.0)))
        }
    }
}
