//! Logging in: a username and password exchanged for an access token. Failed attempts are
//! counted per (username, client address) in the database, before the password is checked, so
//! they count across instances and under parallel guessing; hashing runs behind a bound.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::password::{self, HashGate};
use crate::auth::TokenKeys;
use crate::db::{throttle, users, Db};
use crate::domain::user::{MAX_PASSWORD_BYTES, MAX_USERNAME_CHARS};
use crate::error::{Checks, OpError};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "admin", "password": "change-me-please"}))]
pub struct Credentials {
    #[schema(max_length = 64)]
    pub username: String,
    #[schema(max_length = 1024)]
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessToken {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the token expires.
    #[schema(example = 3600)]
    pub expires_in: u64,
}

/// The user a successful login names, with the token it earned.
pub struct LoggedIn {
    pub token: AccessToken,
    pub role: crate::domain::Role,
}

/// Checks the credentials from `client` and issues a token. Blocking: it hashes, so call it off
/// the async executor.
pub fn login(
    db: &Db,
    keys: &TokenKeys,
    gate: &HashGate,
    creds: &Credentials,
    client: &str,
) -> Result<LoggedIn, OpError> {
    Checks::default()
        .check(
            creds.username.chars().count() <= MAX_USERNAME_CHARS,
            "username",
            "must be at most 64 characters",
        )
        .check(
            creds.password.len() <= MAX_PASSWORD_BYTES,
            "password",
            "must be at most 1024 bytes",
        )
        .finish()?;
    let Some(_permit) = gate.try_enter() else {
        return Err(OpError::TooManyRequests {
            detail: "too many logins at once; try again in a moment".into(),
            retry_after_secs: 1,
        });
    };
    let username = creds.username.as_str();
    db.write_blocking(|conn| throttle::begin_attempt(conn, username, client))?;
    let user = db.read_blocking(|conn| users::find_by_username(conn, username))?;
    let hash = user
        .as_ref()
        .filter(|u| u.user.active)
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| password::decoy_hash().to_string());
    let matches = password::verify(&creds.password, &hash);
    let Some(user) = user.filter(|u| u.user.active && matches) else {
        return Err(OpError::Unauthenticated(
            "wrong username or password".into(),
        ));
    };
    db.write_blocking(|conn| throttle::succeeded(conn, username, client))?;
    let token = keys.issue(
        &user.user.id.to_string(),
        &user.user.username,
        user.user.role,
        user.token_version,
    )?;
    Ok(LoggedIn {
        token: AccessToken {
            access_token: token,
            token_type: "Bearer".into(),
            expires_in: keys.ttl_secs,
        },
        role: user.user.role,
    })
}
