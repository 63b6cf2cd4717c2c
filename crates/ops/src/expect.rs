//! Optimistic concurrency: the version a caller last read (`If-Match`, or a form's hidden
//! version), checked against the stored one before any change.

use crate::error::OpError;

/// What the caller expects the current version to be.
#[derive(Debug, Clone, Default)]
pub struct Expect(Option<Vec<String>>);

/// The entity tag of a resource version: `"3"`.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

impl Expect {
    /// No expectation: the change applies to whatever version is current.
    pub fn any() -> Expect {
        Expect(None)
    }

    /// Exactly this version (a form that was opened at it).
    pub fn version(version: i64) -> Expect {
        Expect(Some(vec![etag(version)]))
    }

    /// The entity tags of an `If-Match` header; `*` matches any version.
    pub fn tags(tags: Vec<String>) -> Expect {
        Expect(Some(tags))
    }

    /// Whether the caller named a version at all.
    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }

    /// Refuses with 412 unless there is no expectation, it is `*`, or it names `current`.
    pub fn check(&self, current: i64) -> Result<(), OpError> {
        let Some(tags) = &self.0 else { return Ok(()) };
        let current = etag(current);
        if tags.iter().any(|t| t == "*" || *t == current) {
            Ok(())
        } else {
            Err(OpError::PreconditionFailed(format!(
                "If-Match does not match the current version {current}; read the resource again"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expectations() {
        assert!(Expect::any().check(3).is_ok());
        assert!(Expect::version(3).check(3).is_ok());
        assert!(Expect::version(2).check(3).is_err());
        assert!(Expect::tags(vec!["*".into()]).check(9).is_ok());
        assert!(Expect::tags(vec!["3".into()]).check(3).is_err());
        assert!(Expect::tags(vec![]).check(3).is_err());
    }
}
