//! Authentication: password hashing, access tokens, and a short-lived cache of who may act.

pub mod caller;
pub mod directory;
pub mod password;
pub mod token;

pub use caller::authenticate;
pub use directory::UserDirectory;
pub use token::TokenKeys;
