//! A change run at most once per idempotency key, inside the caller's transaction: a repeat of
//! the same request (a double click, a reload, a client's retry) answers what the first one
//! stored; the same key with another request is refused (422). Keys are per user and expire
//! after a day (`db::idempotency`).

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::idempotency::{self, Claim, StoredResponse};
use crate::db::DbConnection;
use crate::error::OpError;
use crate::Actor;

/// The digest that tells a repeat from another request under the same key: the request's
/// meaning, as the canonical JSON of the command it describes.
pub fn digest_of(command: &impl Serialize) -> Result<String, OpError> {
    let bytes = serde_json::to_vec(command).map_err(OpError::unexpected)?;
    Ok(hex::encode(Sha256::digest(bytes)))
}

/// Runs `run` under `key` (in the key space `scope`), or answers what the first run with the
/// key answered.
pub fn once<T: Serialize + DeserializeOwned>(
    conn: &mut DbConnection,
    actor: &Actor,
    scope: &str,
    key: &str,
    digest: &str,
    run: impl FnOnce(&mut DbConnection) -> Result<T, OpError>,
) -> Result<T, OpError> {
    let scoped = format!("{scope}:{key}");
    if let Claim::Replay(done) = idempotency::claim(conn, actor.user_id, &scoped, digest)? {
        return serde_json::from_str(&done.body).map_err(OpError::unexpected);
    }
    let answer = run(conn)?;
    let stored = StoredResponse {
        status: 200,
        headers: BTreeMap::new(),
        body: serde_json::to_string(&answer).map_err(OpError::unexpected)?,
    };
    idempotency::complete(conn, actor.user_id, &scoped, &stored)?;
    Ok(answer)
}
