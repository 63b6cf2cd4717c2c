//! Optimistic concurrency: the version of a resource a caller last read (an API client's
//! `If-Match`, a desk form's hidden version), checked against the stored one before any change.
//! How a caller names a version is its own affair; here it is a number.

use crate::error::{OpError, Stale};

/// What the caller expects the current version to be.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expect(Option<Vec<i64>>);

impl Expect {
    /// No expectation: the change applies to whatever version is current.
    pub fn any() -> Expect {
        Expect(None)
    }

    /// Exactly this version (a form that was opened at it).
    pub fn version(version: i64) -> Expect {
        Expect(Some(vec![version]))
    }

    /// One of these versions; none at all matches nothing.
    pub fn one_of(versions: Vec<i64>) -> Expect {
        Expect(Some(versions))
    }

    /// Whether the caller named a version at all.
    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }

    /// Refuses (stale) unless there is no expectation or it names `current`.
    pub fn check(&self, current: i64) -> Result<(), OpError> {
        match &self.0 {
            Some(versions) if !versions.contains(&current) => {
                Err(OpError::PreconditionFailed(Stale::Version { current }))
            }
            _ => Ok(()),
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
        assert!(Expect::one_of(vec![2, 3]).check(3).is_ok());
        assert!(Expect::one_of(vec![]).check(3).is_err());
        assert!(matches!(
            Expect::version(2).check(3),
            Err(OpError::PreconditionFailed(Stale::Version { current: 3 }))
        ));
    }
}
