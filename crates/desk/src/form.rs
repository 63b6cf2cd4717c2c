//! A form becomes the API's request body and is read by the API's own serde types, so a form
//! is validated exactly as a JSON body is; an error's field path names the form's input.

use crate::error::OpError;

/// Reads `body` as the API would; an error names the form input `input` gives for the API's
/// field (`api::extract::field_of`, as a JSON body's error would name it).
pub fn parse<T: serde::de::DeserializeOwned>(
    body: serde_json::Value,
    input: impl Fn(&str) -> String,
) -> Result<T, OpError> {
    serde_path_to_error::deserialize(body).map_err(|e| {
        let path = e.path().to_string();
        let (field, message) = crate::api::extract::field_of(&path, &e.into_inner().to_string());
        OpError::field(input(&field), message)
    })
}
