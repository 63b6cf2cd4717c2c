//! Authentication: password hashing, access tokens, login throttling, and who is calling.

pub mod directory;
pub mod password;
pub mod principal;
pub mod throttle;
pub mod token;

pub use directory::UserDirectory;
pub use principal::Principal;
pub use token::TokenKeys;
