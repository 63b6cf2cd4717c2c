//! The error every operation answers with, in terms a caller can act on. It knows nothing of
//! HTTP: the API turns it into `application/problem+json` (`api::problem`), the desk into a
//! form message, the command line into one line of text.

pub use crate::domain::validation::{Checks, FieldError, Invalid};
use crate::domain::{KgAmount, Period};

/// Why a commitment was refused by the available-to-promise check.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AtpRefusal {
    pub product_id: String,
    /// The month of the commitment that does not fit.
    pub period: Period,
    pub requested: KgAmount,
    pub available: KgAmount,
    /// The first month whose shortfall the commitment would create or deepen.
    pub first_short_period: Period,
    /// For a one-month commitment: the first later month (within two years) whose ATP covers
    /// the quantity, and that month's ATP.
    pub first_fit: Option<(Period, KgAmount)>,
}

impl AtpRefusal {
    /// How the refusal's detail names the month that fits, if there is one.
    pub fn fit_text(&self) -> String {
        match &self.first_fit {
            Some((period, kg)) => format!(
                "; the first month that fits is {period}, with {} kg available",
                kg.display()
            ),
            None => String::new(),
        }
    }
}

/// Why a change was refused: the resource is not at the version the caller expected, and
/// nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale {
    /// The caller named other versions than the current one.
    Version { current: i64 },
    /// Another change was saved between this one's read and its write.
    Concurrent { what: &'static str },
    /// The caller named a version of something that does not exist yet.
    NothingStored,
}

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stale::Version { current } => write!(
                f,
                "the resource is at version {current}, not the one expected; read it again"
            ),
            Stale::Concurrent { what } => {
                write!(f, "the {what} was changed concurrently; read it again")
            }
            Stale::NothingStored => f.write_str("a version was named, but nothing is stored yet"),
        }
    }
}

/// Why the database cannot serve the request now.
#[derive(Debug, Clone)]
pub struct Unavailable {
    pub detail: String,
    pub retry_after_secs: u64,
    /// The connection itself was lost: it must not go back to the pool.
    pub connection_lost: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum OpError {
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// Wrong or missing credentials.
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{detail}")]
    Conflict {
        kind: &'static str,
        detail: String,
        extensions: serde_json::Map<String, serde_json::Value>,
    },
    #[error(
        "{} kg requested for {} but only {} kg is available to promise; it would leave {} short{}",
        .0.requested.display(), .0.period, .0.available.display(), .0.first_short_period,
        .0.fit_text()
    )]
    InsufficientAtp(AtpRefusal),
    #[error("{0}")]
    PreconditionFailed(Stale),
    #[error("{0}")]
    Unprocessable(String),
    #[error("{detail}")]
    TooManyRequests {
        detail: String,
        retry_after_secs: u64,
    },
    #[error("{}", .0.detail)]
    Unavailable(Unavailable),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl OpError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> OpError {
        OpError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn not_found(what: &str) -> OpError {
        OpError::NotFound(format!("{what} not found"))
    }

    /// 409 because the resource's lifecycle state does not allow `action`
    /// (`urn:ndpr:problem:invalid-state`, with `current_status` and `action`).
    pub fn invalid_state(current_status: &str, action: &str, detail: impl Into<String>) -> OpError {
        let mut extensions = serde_json::Map::new();
        extensions.insert("current_status".into(), current_status.into());
        extensions.insert("action".into(), action.into());
        OpError::Conflict {
            kind: "invalid-state",
            detail: detail.into(),
            extensions,
        }
    }

    pub fn conflict(detail: impl Into<String>) -> OpError {
        OpError::Conflict {
            kind: "conflict",
            detail: detail.into(),
            extensions: Default::default(),
        }
    }

    pub fn forbidden_role(role: crate::domain::Role) -> OpError {
        OpError::Forbidden(format!("the {} role may not do this", role.as_str()))
    }

    /// The database is away; the detail is for the client and names no host.
    pub fn unavailable(detail: impl Into<String>) -> OpError {
        OpError::Unavailable(Unavailable {
            detail: detail.into(),
            retry_after_secs: 2,
            connection_lost: false,
        })
    }

    pub fn unexpected(e: impl std::fmt::Display) -> OpError {
        OpError::Unexpected(anyhow::anyhow!("{e}"))
    }

    /// Stored data that does not parse: a server fault, never a default.
    pub fn corrupt(what: &str, id: &str, value: &str) -> OpError {
        OpError::Unexpected(anyhow::anyhow!(
            "corrupt stored data: {what} of {id} is {value:?}"
        ))
    }

    /// Whether the database connection that produced this error is gone.
    pub fn connection_lost(&self) -> bool {
        matches!(self, OpError::Unavailable(u) if u.connection_lost)
    }
}

impl From<Invalid> for OpError {
    fn from(e: Invalid) -> OpError {
        OpError::Validation(e.0)
    }
}

impl From<diesel::result::Error> for OpError {
    /// Database errors carry no database text to the caller: constraint names, SQL and host
    /// names stay in the server log.
    fn from(e: diesel::result::Error) -> OpError {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => OpError::NotFound("not found".into()),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                tracing::info!(error = %info.message(), "unique violation");
                OpError::conflict("it already exists")
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                tracing::info!(error = %info.message(), "foreign key violation");
                OpError::Unprocessable("it refers to something that does not exist".into())
            }
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                OpError::unavailable("the database asked to retry; please try again")
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                tracing::warn!(error = %info.message(), "database connection lost");
                OpError::Unavailable(Unavailable {
                    detail: "the database connection was lost; please try again".into(),
                    retry_after_secs: 2,
                    connection_lost: true,
                })
            }
            Error::DatabaseError(_, info) if is_busy(info.message()) => {
                tracing::warn!(error = %info.message(), "database busy");
                OpError::unavailable("the database is busy; please try again")
            }
            Error::DatabaseError(_, info) if is_disconnect(info.message()) => {
                tracing::warn!(error = %info.message(), "database connection lost");
                OpError::Unavailable(Unavailable {
                    detail: "the database connection was lost; please try again".into(),
                    retry_after_secs: 2,
                    connection_lost: true,
                })
            }
            other => OpError::Unexpected(anyhow::anyhow!("database error: {other}")),
        }
    }
}

/// SQLite's answer when another process holds the write lock past the busy timeout.
fn is_busy(message: &str) -> bool {
    [
        "database is locked",
        "database is busy",
        "deadlock detected",
        "could not serialize access",
    ]
    .iter()
    .any(|m| message.contains(m))
}

/// libpq's texts for a server that went away mid-query.
fn is_disconnect(message: &str) -> bool {
    [
        "server closed the connection",
        "terminating connection",
        "connection to server",
        "no connection to the server",
        "could not receive data",
        "could not send data",
        "SSL SYSCALL",
    ]
    .iter()
    .any(|m| message.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error};

    struct Info(&'static str);

    impl DatabaseErrorInformation for Info {
        fn message(&self) -> &str {
            self.0
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            Some("customers")
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            Some("customers_code_key")
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn mapped(kind: DatabaseErrorKind, message: &'static str) -> OpError {
        OpError::from(Error::DatabaseError(kind, Box::new(Info(message))))
    }

    #[test]
    fn database_texts_never_reach_the_caller() {
        let unique = mapped(
            DatabaseErrorKind::UniqueViolation,
            "duplicate key value violates unique constraint \"customers_code_key\"",
        );
        assert!(matches!(&unique, OpError::Conflict { .. }));
        assert!(!unique.to_string().contains("customers_code_key"));
        let fk = mapped(
            DatabaseErrorKind::ForeignKeyViolation,
            "insert violates foreign key constraint \"orders_customer_id_fkey\"",
        );
        assert!(!fk.to_string().contains("fkey"));
        let lost = mapped(
            DatabaseErrorKind::ClosedConnection,
            "connection to server at \"db.internal\" (10.0.0.5), port 5432 failed",
        );
        assert!(lost.connection_lost());
        assert!(!lost.to_string().contains("db.internal"));
        let busy = mapped(DatabaseErrorKind::Unknown, "database is locked");
        assert!(matches!(busy, OpError::Unavailable(_)));
    }
}
