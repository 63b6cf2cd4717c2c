//! Failed-login throttling kept in the database, so it holds across instances.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::login_throttle;
use crate::db::{now, DbConnection};
use crate::error::OpError;

/// Failures allowed before a username is locked.
pub const MAX_FAILURES: i32 = 5;
/// How long a lock lasts.
pub const LOCK_SECS: i64 = 60;

/// Refuses with 429 while `username` is locked.
pub fn check(conn: &mut DbConnection, username: &str) -> Result<(), OpError> {
    let locked_until: Option<Option<NaiveDateTime>> = login_throttle::table
        .find(username)
        .select(login_throttle::locked_until)
        .first(conn)
        .optional()?;
    if let Some(Some(until)) = locked_until {
        let now = now();
        if until > now {
            let secs = (until - now).num_seconds().max(1);
            return Err(OpError::TooManyRequests {
                detail: format!("too many failed logins for this user; try again in {secs} s"),
                retry_after_secs: u64::try_from(secs).unwrap_or(1),
            });
        }
    }
    Ok(())
}

/// Counts a failure; the fifth in a row locks the username for a minute.
pub fn record_failure(conn: &mut DbConnection, username: &str) -> Result<(), OpError> {
    let now = now();
    let failures: Option<i32> = login_throttle::table
        .find(username)
        .select(login_throttle::failures)
        .first(conn)
        .optional()?;
    let failures = failures.unwrap_or(0) + 1;
    let locked_until = (failures >= MAX_FAILURES).then(|| now + Duration::seconds(LOCK_SECS));
    let stored = if locked_until.is_some() { 0 } else { failures };
    let updated = diesel::update(login_throttle::table.find(username))
        .set((
            login_throttle::failures.eq(stored),
            login_throttle::locked_until.eq(locked_until),
            login_throttle::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(login_throttle::table)
            .values((
                login_throttle::username.eq(username),
                login_throttle::failures.eq(stored),
                login_throttle::locked_until.eq(locked_until),
                login_throttle::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A successful login clears the count.
pub fn record_success(conn: &mut DbConnection, username: &str) -> Result<(), OpError> {
    diesel::delete(login_throttle::table.find(username)).execute(conn)?;
    Ok(())
}
