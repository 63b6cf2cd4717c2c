//! Who is acting: every operation takes one, whether the call came over HTTP, from the desk,
//! from an import or from the command line.

use crate::db::changes::Author;
use crate::domain::{Permission, Role, UserId};
use crate::error::OpError;

#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: UserId,
    pub username: String,
    pub role: Role,
    /// The request being answered, for the audit trail.
    pub request_id: Option<String>,
}

impl Actor {
    /// The service itself (first-start bootstrap, command-line tools), with every permission.
    pub fn system() -> Actor {
        Actor {
            user_id: UserId::SYSTEM,
            username: "system".into(),
            role: Role::Admin,
            request_id: None,
        }
    }

    /// Refuses with `Forbidden` unless the actor's role grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), OpError> {
        if self.role.allows(permission) {
            Ok(())
        } else {
            Err(OpError::forbidden_role(self.role))
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn author(&self) -> Author<'_> {
        Author {
            username: &self.username,
            request_id: self.request_id.as_deref(),
        }
    }
}
