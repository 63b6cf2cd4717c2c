//! Answers of expensive reads kept per instance until the data changes. Every change to the
//! data writes an event in its own transaction (`db::changes::record`), so the events counter
//! is the data's version: an answer computed at version N is exact for as long as the counter
//! reads N. A read asks for the counter and the answer in one read transaction, so the two
//! agree; any instance's change moves the counter, so every instance recomputes. The business
//! date is part of every key (late, final and provisional depend on it), and an answer is never
//! kept longer than `MAX_AGE` whatever the counter says (a restored backup, say).

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::db::{counters, DbConnection};
use crate::error::OpError;

/// The longest an answer is kept, even when nothing changed.
pub const MAX_AGE: Duration = Duration::from_secs(60);

/// The most answers kept; past it the oldest are dropped.
const CAPACITY: usize = 512;

struct Entry {
    version: i64,
    at: Instant,
    value: Arc<dyn Any + Send + Sync>,
}

/// Answers by key, each with the data version it was computed at.
#[derive(Default, Clone)]
pub struct ReadCache {
    entries: Arc<Mutex<HashMap<String, Entry>>>,
}

impl ReadCache {
    /// The answer to `key` at the data's current version: kept, or computed by `compute` on the
    /// same connection (call it inside one read transaction) and kept.
    pub fn get_or_compute<T: Send + Sync + 'static>(
        &self,
        conn: &mut DbConnection,
        key: &str,
        compute: impl FnOnce(&mut DbConnection) -> Result<T, OpError>,
    ) -> Result<Arc<T>, OpError> {
        let version = counters::current(conn, "events")?;
        let key = format!("{key}@{}", crate::domain::clock::today());
        if let Some(kept) = self.kept(&key, version) {
            return Ok(kept);
        }
        let value = Arc::new(compute(conn)?);
        self.keep(key, version, value.clone());
        Ok(value)
    }

    fn kept<T: Send + Sync + 'static>(&self, key: &str, version: i64) -> Option<Arc<T>> {
        let entries = self.entries.lock().ok()?;
        let e = entries.get(key)?;
        if e.version != version || e.at.elapsed() > MAX_AGE {
            return None;
        }
        e.value.clone().downcast::<T>().ok()
    }

    fn keep(&self, key: String, version: i64, value: Arc<dyn Any + Send + Sync>) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= CAPACITY {
            entries.retain(|_, e| e.at.elapsed() <= MAX_AGE / 2);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(
            key,
            Entry {
                version,
                at: Instant::now(),
                value,
            },
        );
    }
}
