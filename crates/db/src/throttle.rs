//! Failed logins counted per (username, client address) in the database, so the count holds
//! across instances and guesses from one address never lock the user out from another.
//!
//! An attempt is counted before its password is checked, in one transaction that holds the
//! row: of any number of parallel guesses, at most `MAX_FAILURES` reach the password check.
//! From the fifth failure in a row on, each further one locks the pair for twice as long as
//! the last, up to an hour. A success clears the count.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::error::OpError;
use crate::schema::login_attempts as la;
use crate::{now, DbConnection};

/// Failures in a row before a (username, client) pair is locked.
pub const MAX_FAILURES: i32 = 5;
/// The first lock; each further failure doubles it.
pub const FIRST_LOCK_SECS: i64 = 30;
/// The longest lock.
pub const MAX_LOCK_SECS: i64 = 3600;
/// Rows untouched for this long (and not locked) are purged.
pub const EXPIRY_HOURS: i64 = 24;

/// How long the lock lasts after `failures` failures in a row (none below the threshold).
pub fn lock_secs(failures: i32) -> Option<i64> {
    let beyond = failures.checked_sub(MAX_FAILURES)?;
    let doublings = u32::try_from(beyond).ok()?.min(20);
    Some((FIRST_LOCK_SECS << doublings).min(MAX_LOCK_SECS))
}

fn too_many(until: NaiveDateTime, now: NaiveDateTime) -> OpError {
    let secs = (until - now).num_seconds().max(1);
    OpError::TooManyRequests {
        detail: format!(
            "too many failed logins for this user from this address; try again in {secs} s"
        ),
        retry_after_secs: u64::try_from(secs).unwrap_or(1),
    }
}

/// Counts an attempt as a failure before its password is checked (a success clears it);
/// refuses with 429 while the pair is locked. Run it in its own write transaction.
pub fn begin_attempt(conn: &mut DbConnection, username: &str, client: &str) -> Result<(), OpError> {
    let now = now();
    let key = (username, client);
    // The row exists before anyone reads it, so racing first attempts queue on its lock
    // instead of racing to insert it.
    let fresh = (
        la::username.eq(username),
        la::client.eq(client),
        la::failures.eq(0),
        la::locked_until.eq(None::<NaiveDateTime>),
        la::updated_at.eq(now),
    );
    let (failures, locked_until): (i32, Option<NaiveDateTime>) = match conn {
        DbConnection::Postgresql(pg) => {
            diesel::insert_into(la::table)
                .values(fresh)
                .on_conflict_do_nothing()
                .execute(pg)?;
            la::table
                .find(key)
                .select((la::failures, la::locked_until))
                .for_update()
                .first(pg)?
        }
        DbConnection::Sqlite(lite) => {
            diesel::insert_or_ignore_into(la::table)
                .values(fresh)
                .execute(lite)?;
            la::table
                .find(key)
                .select((la::failures, la::locked_until))
                .first(lite)?
        }
    };
    if let Some(until) = locked_until {
        if until > now {
            return Err(too_many(until, now));
        }
    }
    let failures = failures.saturating_add(1);
    let locked_until = lock_secs(failures).map(|s| now + Duration::seconds(s));
    diesel::update(la::table.find(key))
        .set((
            la::failures.eq(failures),
            la::locked_until.eq(locked_until),
            la::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// A successful login clears the count of its pair.
pub fn succeeded(conn: &mut DbConnection, username: &str, client: &str) -> Result<(), OpError> {
    diesel::delete(la::table.find((username, client))).execute(conn)?;
    Ok(())
}

/// Deletes rows untouched for a day that hold no lock; the number deleted.
pub fn purge(conn: &mut DbConnection) -> Result<usize, OpError> {
    let now = now();
    let cutoff = now - Duration::hours(EXPIRY_HOURS);
    Ok(diesel::delete(
        la::table
            .filter(la::updated_at.lt(cutoff))
            .filter(la::locked_until.is_null().or(la::locked_until.lt(now))),
    )
    .execute(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_grow_exponentially_and_stop_at_an_hour() {
        assert_eq!(lock_secs(4), None);
        assert_eq!(lock_secs(5), Some(30));
        assert_eq!(lock_secs(6), Some(60));
        assert_eq!(lock_secs(7), Some(120));
        assert_eq!(lock_secs(50), Some(3600));
        assert_eq!(lock_secs(i32::MAX), Some(3600));
    }
}
