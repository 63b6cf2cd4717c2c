//! Users of the service and their roles.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::Role;
use crate::ids::UserId;

/// A user as the API shows it (never the password hash).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    #[schema(value_type = uuid::Uuid, example = "0b9f6c39-5d8e-4a53-9a43-5f1f2d3c4b5a")]
    pub id: UserId,
    #[schema(example = "akiko")]
    pub username: String,
    pub role: Role,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// Usernames: 3–64 of a–z, 0–9, `.`, `_`, `-`, starting with a letter.
pub fn is_username(s: &str) -> bool {
    (3..=MAX_USERNAME_CHARS).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

pub const MAX_USERNAME_CHARS: usize = 64;
pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// What is wrong with a new password, if anything.
pub fn password_problem(password: &str) -> Option<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Some(format!("must be at least {MIN_PASSWORD_CHARS} characters"))
    } else if password.len() > MAX_PASSWORD_BYTES {
        Some(format!("must be at most {MAX_PASSWORD_BYTES} bytes"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(is_username("akiko"));
        assert!(is_username("erp.sync-1"));
        assert!(!is_username("Akiko"));
        assert!(!is_username("ab"));
        assert!(!is_username(&"a".repeat(65)));
        assert!(!is_username("1abc"));
    }

    #[test]
    fn passwords() {
        assert!(password_problem("short").is_some());
        assert!(password_problem("a long enough one").is_none());
        assert!(password_problem(&"x".repeat(1025)).is_some());
    }
}
