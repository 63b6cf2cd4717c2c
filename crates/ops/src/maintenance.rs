//! Housekeeping the service does by itself: expired idempotency keys and login-throttle rows
//! are purged.

use crate::db::{idempotency, throttle, DbConnection};
use crate::error::OpError;

/// What one purge removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub idempotency_keys: usize,
    pub login_attempts: usize,
}

/// Deletes idempotency keys older than 24 hours and login-throttle rows untouched for as long.
pub fn purge(conn: &mut DbConnection) -> Result<Purged, OpError> {
    Ok(Purged {
        idempotency_keys: idempotency::purge(conn)?,
        login_attempts: throttle::purge(conn)?,
    })
}
