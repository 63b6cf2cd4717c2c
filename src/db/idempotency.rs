//! Stored answers of POST requests sent with an `Idempotency-Key`.

use std::collections::BTreeMap;

use chrono::Duration;
use diesel::prelude::*;

use crate::db::schema::idempotency_keys as keys;
use crate::db::{now, DbConnection};
use crate::error::OpError;

/// How long an unfinished claim blocks a retry before it may be taken over.
const STALE_CLAIM_SECS: i64 = 60;

pub struct StoredResponse {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

pub enum Claim {
    /// This request is the first with the key: go ahead.
    Claimed,
    /// A previous request with the key and the same body finished: answer as it did.
    Replay(StoredResponse),
}

type KeyRow = (
    String,
    Option<i32>,
    Option<String>,
    Option<String>,
    chrono::NaiveDateTime,
);

/// Takes the key for this request, or finds the answer to replay.
pub fn claim(
    conn: &mut DbConnection,
    principal: &str,
    key: &str,
    hash: &str,
) -> Result<Claim, OpError> {
    let existing: Option<KeyRow> = keys::table
        .find((principal, key))
        .select((
            keys::request_hash,
            keys::status_code,
            keys::response_headers,
            keys::response_body,
            keys::created_at,
        ))
        .first(conn)
        .optional()?;
    match existing {
        Some((stored_hash, _, _, _, _)) if stored_hash != hash => Err(OpError::Unprocessable(
            "this Idempotency-Key was used with a different request; use a new key".into(),
        )),
        Some((_, Some(status), headers, body, _)) => {
            let headers = headers
                .and_then(|h| serde_json::from_str(&h).ok())
                .unwrap_or_default();
            Ok(Claim::Replay(StoredResponse {
                status: u16::try_from(status).unwrap_or(200),
                headers,
                body: body.unwrap_or_default(),
            }))
        }
        Some((_, None, _, _, created)) if now() - created < Duration::seconds(STALE_CLAIM_SECS) => {
            Err(OpError::Conflict {
                kind: "idempotency-in-progress",
                detail: "a request with this Idempotency-Key is still in progress; retry shortly"
                    .into(),
                extensions: Default::default(),
            })
        }
        Some(_) => {
            diesel::update(keys::table.find((principal, key)))
                .set(keys::created_at.eq(now()))
                .execute(conn)?;
            Ok(Claim::Claimed)
        }
        None => {
            diesel::insert_into(keys::table)
                .values((
                    keys::principal.eq(principal),
                    keys::idem_key.eq(key),
                    keys::request_hash.eq(hash),
                    keys::created_at.eq(now()),
                ))
                .execute(conn)?;
            Ok(Claim::Claimed)
        }
    }
}

/// Stores the answer to replay.
pub fn complete(
    conn: &mut DbConnection,
    principal: &str,
    key: &str,
    res: &StoredResponse,
) -> Result<(), OpError> {
    let headers = serde_json::to_string(&res.headers).unwrap_or_default();
    diesel::update(keys::table.find((principal, key)))
        .set((
            keys::status_code.eq(i32::from(res.status)),
            keys::response_headers.eq(headers),
            keys::response_body.eq(&res.body),
        ))
        .execute(conn)?;
    Ok(())
}

/// Frees the key after a server error so the client can retry.
pub fn release(conn: &mut DbConnection, principal: &str, key: &str) -> Result<(), OpError> {
    diesel::delete(keys::table.find((principal, key))).execute(conn)?;
    Ok(())
}
