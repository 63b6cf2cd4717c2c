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

/// The version of the resource the form was opened at, for an optimistic-concurrency check.
pub fn version(f: &Fields) -> Option<crate::ops::Expect> {
    field(f, "version")
        .parse::<i64>()
        .ok()
        .map(crate::ops::Expect::version)
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

/// The digest that tells a retried form from another one sent with the same key: every field
/// but the CSRF token, in name order.
pub fn digest(f: &Fields) -> String {
    use sha2::{Digest, Sha256};
    let mut keys: Vec<&String> = f.keys().filter(|k| k.as_str() != "csrf").collect();
    keys.sort();
    let mut h = Sha256::new();
    for k in keys {
        h.update(k.as_bytes());
        h.update([0]);
        h.update(field(f, k).as_bytes());
        h.update([0]);
    }
    hex::encode(h.finalize())
}

/// The form's idempotency key, when it carries a well-formed one.
pub fn idempotency_key(f: &Fields) -> Option<String> {
    well_formed_key(field(f, "idempotency_key"))
}

/// `key` when it is a well-formed idempotency key (a UUID).
fn well_formed_key(key: &str) -> Option<String> {
    let key = key.trim();
    uuid::Uuid::parse_str(key).ok().map(|_| key.to_string())
}

/// A fresh key for a form about to be shown, or the one it was sent with.
pub fn key_for(f: &Fields) -> String {
    key_or_fresh(field(f, "idempotency_key"))
}

/// `key` when it is well formed, else a fresh one: a form shown again keeps the key it was sent
/// with, so a retry is recognised, and a form shown for the first time gets its own.
pub fn key_or_fresh(key: &str) -> String {
    well_formed_key(key).unwrap_or_else(fresh_key)
}

/// A new idempotency key for a form shown for the first time.
pub fn fresh_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Runs a form's change at most once per idempotency key, in the caller's transaction: a
/// second post of the same form (a double click, a reload) answers where the first one led;
/// the same key with other fields is refused. `run` answers where the browser goes next.
pub fn once(
    conn: &mut crate::db::DbConnection,
    actor: &crate::ops::Actor,
    key: &str,
    fields: &Fields,
    run: impl FnOnce(&mut crate::db::DbConnection) -> Result<String, OpError>,
) -> Result<String, OpError> {
    use crate::db::idempotency::{self, Claim, StoredResponse};
    let scoped = format!("desk:{key}");
    if let Claim::Replay(done) = idempotency::claim(conn, actor.user_id, &scoped, &digest(fields))?
    {
        return Ok(done
            .headers
            .get("location")
            .cloned()
            .unwrap_or_else(|| "/".into()));
    }
    let location = run(conn)?;
    let stored = StoredResponse {
        status: 303,
        headers: [("location".to_string(), location.clone())].into(),
        body: String::new(),
    };
    idempotency::complete(conn, actor.user_id, &scoped, &stored)?;
    Ok(location)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_keeps_a_well_formed_key_and_replaces_any_other() {
        let sent = "6f1c1a52-3f0e-4a55-9d7e-1b2c3d4e5f60";
        assert_eq!(key_or_fresh(sent), sent);
        assert_eq!(key_or_fresh(&format!(" {sent} ")), sent);
        for bad in ["", "not-a-key", "6f1c1a52"] {
            let fresh = key_or_fresh(bad);
            assert!(
                uuid::Uuid::parse_str(&fresh).is_ok(),
                "{bad:?} gave {fresh}"
            );
            assert_ne!(fresh, bad);
        }
        assert_ne!(fresh_key(), fresh_key());
    }

    #[test]
    fn a_version_is_read_only_when_it_is_a_number() {
        let with = |v: &str| Fields::from([("version".to_string(), v.to_string())]);
        assert!(version(&with("3")).is_some());
        assert!(version(&with(" 3 ")).is_some());
        assert!(version(&with("")).is_none());
        assert!(version(&with("three")).is_none());
        assert!(version(&Fields::new()).is_none());
    }
}
