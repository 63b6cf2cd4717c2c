//! argon2id password hashes in PHC form.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;

pub fn hash(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
}

pub fn verify(password: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), phc)
        .is_ok()
}

/// Bounds how many password hashes run at once, so a flood of logins cannot take every core
/// from the requests that do not hash.
pub struct HashGate {
    running: std::sync::atomic::AtomicUsize,
    limit: usize,
}

/// A place in the gate, given back when dropped.
pub struct HashPermit<'a>(&'a HashGate);

impl Drop for HashPermit<'_> {
    fn drop(&mut self) {
        self.0
            .running
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl HashGate {
    pub fn new(limit: usize) -> HashGate {
        HashGate {
            running: std::sync::atomic::AtomicUsize::new(0),
            limit: limit.max(1),
        }
    }

    /// Twice the cores of this machine.
    pub fn for_this_machine() -> HashGate {
        HashGate::new(std::thread::available_parallelism().map_or(2, |n| n.get()) * 2)
    }

    /// A place to hash now, or `None` when the gate is full.
    pub fn try_enter(&self) -> Option<HashPermit<'_>> {
        use std::sync::atomic::Ordering;
        let mut current = self.running.load(Ordering::SeqCst);
        loop {
            if current >= self.limit {
                return None;
            }
            match self.running.compare_exchange(
                current,
                current + 1,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => return Some(HashPermit(self)),
                Err(now) => current = now,
            }
        }
    }
}

/// A hash of a random password, verified against when the user does not exist so that
/// a login for an unknown name costs the same time as one for a known name.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash(&random_secret(16)).unwrap_or_default())
}

/// A random URL-safe secret of `bytes` random bytes.
pub fn random_secret(bytes: usize) -> String {
    use base64::Engine;
    let buf: Vec<u8> = (0..bytes).map(|_| rand::random::<u8>()).collect();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_admits_up_to_its_limit() {
        let gate = HashGate::new(2);
        let a = gate.try_enter();
        let b = gate.try_enter();
        assert!(a.is_some() && b.is_some());
        assert!(gate.try_enter().is_none());
        drop(a);
        assert!(gate.try_enter().is_some());
    }

    #[test]
    fn verifies_only_the_right_password() {
        let h = hash("correct horse").unwrap_or_default();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse", &h));
        assert!(!verify("wrong", &h));
        assert!(!verify("x", "not a hash"));
    }
}
