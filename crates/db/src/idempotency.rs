//! Stored answers of POST requests sent with an `Idempotency-Key`.
//!
//! A key is claimed by inserting its row; a second request with the key either finds the
//! stored answer (replay), finds the first still running (409), or — when the first died
//! without answering for over a minute — takes the claim over with an update that succeeds for
//! exactly one taker. Keys expire after 24 hours and are purged.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::domain::UserId;
use crate::error::OpError;
use crate::schema::idempotency_keys as keys;
use crate::{now, DbConnection};

/// How long an unfinished claim blocks a retry before it may be taken over.
pub const STALE_CLAIM_SECS: i64 = 60;
/// How long a key and its answer are kept.
pub const EXPIRY_HOURS: i64 = 24;

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
    NaiveDateTime,
);

fn find(conn: &mut DbConnection, principal: &str, key: &str) -> Result<Option<KeyRow>, OpError> {
    Ok(keys::table
        .find((principal, key))
        .select((
            keys::request_hash,
            keys::status_code,
            keys::response_headers,
            keys::response_body,
            keys::created_at,
        ))
        .first(conn)
        .optional()?)
}

/// Inserts the claim unless a row exists; whether it did.
fn insert(
    conn: &mut DbConnection,
    principal: &str,
    key: &str,
    hash: &str,
) -> Result<bool, OpError> {
    let values = (
        keys::principal.eq(principal),
        keys::idem_key.eq(key),
        keys::request_hash.eq(hash),
        keys::created_at.eq(now()),
    );
    let n = match conn {
        DbConnection::Postgresql(pg) => diesel::insert_into(keys::table)
            .values(values)
            .on_conflict_do_nothing()
            .execute(pg)?,
        DbConnection::Sqlite(lite) => diesel::insert_or_ignore_into(keys::table)
            .values(values)
            .execute(lite)?,
    };
    Ok(n == 1)
}

fn in_progress() -> OpError {
    OpError::Conflict {
        kind: "idempotency-in-progress",
        detail: "a request with this Idempotency-Key is still in progress; retry shortly".into(),
        extensions: Default::default(),
    }
}

/// Takes the key for this request, or finds the answer to replay. Run it in its own write
/// transaction, before the request's work.
pub fn claim(
    conn: &mut DbConnection,
    principal: UserId,
    key: &str,
    hash: &str,
) -> Result<Claim, OpError> {
    let principal = &principal.to_string();
    if insert(conn, principal, key, hash)? {
        return Ok(Claim::Claimed);
    }
    let Some((stored_hash, status, headers, body, created)) = find(conn, principal, key)? else {
        return Err(in_progress());
    };
    let age = now() - created;
    if age >= Duration::hours(EXPIRY_HOURS) {
        // An expired key starts afresh, for exactly one taker.
        let n = diesel::delete(
            keys::table
                .find((principal, key))
                .filter(keys::created_at.eq(created)),
        )
        .execute(conn)?;
        return if n == 1 && insert(conn, principal, key, hash)? {
            Ok(Claim::Claimed)
        } else {
            Err(in_progress())
        };
    }
    if stored_hash != hash {
        return Err(OpError::Unprocessable(
            "this Idempotency-Key was used with a different request; use a new key".into(),
        ));
    }
    if let Some(status) = status {
        let headers = headers
            .and_then(|h| serde_json::from_str(&h).ok())
            .unwrap_or_default();
        return Ok(Claim::Replay(StoredResponse {
            status: u16::try_from(status).unwrap_or(200),
            headers,
            body: body.unwrap_or_default(),
        }));
    }
    if age < Duration::seconds(STALE_CLAIM_SECS) {
        return Err(in_progress());
    }
    // The first request died without answering: take the claim over, conditionally, so of
    // racing retries exactly one does.
    let n = diesel::update(
        keys::table
            .find((principal, key))
            .filter(keys::status_code.is_null())
            .filter(keys::created_at.eq(created)),
    )
    .set(keys::created_at.eq(now()))
    .execute(conn)?;
    if n == 1 {
        Ok(Claim::Claimed)
    } else {
        Err(in_progress())
    }
}

/// Stores the answer to replay.
pub fn complete(
    conn: &mut DbConnection,
    principal: UserId,
    key: &str,
    res: &StoredResponse,
) -> Result<(), OpError> {
    let principal = principal.to_string();
    let headers = serde_json::to_string(&res.headers).map_err(OpError::unexpected)?;
    diesel::update(keys::table.find((principal.as_str(), key)))
        .set((
            keys::status_code.eq(i32::from(res.status)),
            keys::response_headers.eq(headers),
            keys::response_body.eq(&res.body),
        ))
        .execute(conn)?;
    Ok(())
}

/// Frees the key after a server error so the client can retry.
pub fn release(conn: &mut DbConnection, principal: UserId, key: &str) -> Result<(), OpError> {
    diesel::delete(keys::table.find((principal.to_string(), key))).execute(conn)?;
    Ok(())
}

/// Deletes keys older than a day; the number deleted.
pub fn purge(conn: &mut DbConnection) -> Result<usize, OpError> {
    let cutoff = now() - Duration::hours(EXPIRY_HOURS);
    Ok(diesel::delete(keys::table.filter(keys::created_at.lt(cutoff))).execute(conn)?)
}
