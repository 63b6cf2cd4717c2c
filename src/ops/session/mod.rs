//! Logging in: a username and password exchanged for an access token, with failed attempts
//! throttled in the database so they count across instances.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{password, TokenKeys};
use crate::db::{throttle, users, Db};
use crate::error::OpError;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "admin", "password": "change-me-please"}))]
pub struct Credentials {
    pub username: String,
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

/// Checks the credentials and issues a token; wrong ones count towards the lock. Blocking: it
/// hashes, so call it off the async executor.
pub fn login(db: &Db, keys: &TokenKeys, creds: &Credentials) -> Result<AccessToken, OpError> {
    let username = creds.username.clone();
    let user = db.read_blocking(|conn| {
        throttle::check(conn, &username)?;
        users::find_by_username(conn, &username)
    })?;
    let hash = user
        .as_ref()
        .filter(|u| u.user.active)
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| password::decoy_hash().to_string());
    let matches = password::verify(&creds.password, &hash);
    let user = user.filter(|u| u.user.active && matches);
    let succeeded = user.is_some();
    db.write_blocking(|conn| {
        if succeeded {
            throttle::record_success(conn, &username)
        } else {
            throttle::record_failure(conn, &username)
        }
    })?;
    let user = user.ok_or_else(|| OpError::Unauthenticated("wrong username or password".into()))?;
    let token = keys.issue(
        &user.user.id.to_string(),
        &user.user.username,
        user.user.role,
    )?;
    Ok(AccessToken {
        access_token: token,
        token_type: "Bearer".into(),
        expires_in: keys.ttl_secs,
    })
}
