//! What every desk form shares: its fields as typed, and the request body it describes, read
//! by the same serde types as the API so a form is validated exactly as a JSON body is.

use std::collections::HashMap;

use crate::error::OpError;

/// A posted form or a query string, by input name.
pub type Fields = HashMap<String, String>;

/// A field as typed, trimmed; empty when absent.
pub fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.get(name).map(String::as_str).unwrap_or_default().trim()
}

/// A field, or none when left blank.
pub fn optional(f: &Fields, name: &str) -> Option<String> {
    Some(field(f, name).to_string()).filter(|v| !v.is_empty())
}

/// Reads `body` as the API would; an error names the form input `input` gives for the API
/// field path and message.
pub fn parse<T: serde::de::DeserializeOwned>(
    body: serde_json::Value,
    input: impl Fn(&str, &str) -> String,
) -> Result<T, OpError> {
    serde_path_to_error::deserialize(body).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        OpError::field(input(&path, &message), message)
    })
}

/// The API's field errors renamed to the form's inputs.
pub fn renamed(e: OpError, input: impl Fn(&str) -> String) -> OpError {
    match e {
        OpError::Validation(errors) => OpError::Validation(
            errors
                .into_iter()
                .map(|f| crate::error::FieldError::new(input(&f.field), f.message))
                .collect(),
        ),
        other => other,
    }
}
