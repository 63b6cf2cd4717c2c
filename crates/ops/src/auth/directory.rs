//! A short-lived, per-instance view of which users are active, with which role and token
//! version, so that
//! every request need not query the users table while a deactivation or role change still
//! takes effect everywhere within a few seconds.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use crate::db::users::Standing as UserStanding;
use crate::db::Db;
use crate::domain::UserId;
use crate::error::OpError;

pub struct UserDirectory {
    ttl: Duration,
    entries: RwLock<HashMap<UserId, (UserStanding, Instant)>>,
}

impl UserDirectory {
    pub fn new(ttl: Duration) -> UserDirectory {
        UserDirectory {
            ttl,
            entries: RwLock::new(HashMap::new()),
        }
    }

    /// The user's current standing; `None` when there is no such user.
    pub async fn standing(
        &self,
        db: &Db,
        user_id: UserId,
    ) -> Result<Option<UserStanding>, OpError> {
        if let Ok(entries) = self.entries.read() {
            if let Some((standing, at)) = entries.get(&user_id) {
                if at.elapsed() < self.ttl {
                    return Ok(Some(standing.clone()));
                }
            }
        }
        let row = db
            .read(move |conn| crate::db::users::standing(conn, user_id))
            .await?;
        let Some(standing) = row else {
            self.forget(user_id);
            return Ok(None);
        };
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() > 10_000 {
                entries.clear();
            }
            entries.insert(user_id, (standing.clone(), Instant::now()));
        }
        Ok(Some(standing))
    }

    /// Drops what this instance knows of a user (after a change made here).
    pub fn forget(&self, user_id: UserId) {
        if let Ok(mut entries) = self.entries.write() {
            entries.remove(&user_id);
        }
    }
}
