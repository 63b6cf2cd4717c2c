//! Fault injection for the tests that prove a panic inside a write transaction rolls back and
//! leaves the pool healthy. Nothing is armed unless a test arms it; the check on the write path
//! is one relaxed atomic load.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

static ANY: AtomicBool = AtomicBool::new(false);
static ARMED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Makes the next write transaction on the database at `database_url` panic after its work and
/// before its commit (once).
#[doc(hidden)]
pub fn arm_panic_in_write(database_url: &str) {
    if let Ok(mut armed) = ARMED.lock() {
        armed.push(database_url.to_string());
        ANY.store(true, Ordering::SeqCst);
    }
}

/// Panics when a fault is armed for this database (and disarms it).
pub(crate) fn maybe_panic(database_url: &str) {
    if !ANY.load(Ordering::Relaxed) {
        return;
    }
    let hit = ARMED.lock().ok().is_some_and(|mut armed| {
        let found = armed.iter().position(|u| u == database_url);
        if let Some(i) = found {
            armed.remove(i);
        }
        ANY.store(!armed.is_empty(), Ordering::SeqCst);
        found.is_some()
    });
    if hit {
        panic!("injected fault: panic inside a write transaction");
    }
}
