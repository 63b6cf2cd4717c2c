//! What every page's header shows: who is logged in, the CSRF token of the log-out form, and
//! the links the user's role opens (from the operations' own capabilities).

use crate::extract::DeskSession;
use crate::ops::Capabilities;

pub struct User {
    pub username: String,
    pub role: &'static str,
    pub csrf: String,
    /// Whether the role enters orders (the "New order" link).
    pub can_order: bool,
    /// Whether the role manages users (the "Users" link).
    pub is_admin: bool,
    /// What the last action did.
    pub flash: Option<String>,
}

impl User {
    pub fn of(session: &DeskSession) -> User {
        let caps = Capabilities::of(&session.actor);
        User {
            username: session.actor.username.clone(),
            role: session.actor.role.as_str(),
            csrf: session.csrf.clone(),
            can_order: caps.enter_orders,
            is_admin: caps.manage_users,
            flash: session.flash.clone(),
        }
    }
}
