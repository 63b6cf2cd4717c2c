//! Who a token speaks for: the one check behind the API's bearer token and the desk's session
//! cookie alike.

use super::{TokenKeys, UserDirectory};
use crate::db::Db;
use crate::domain::UserId;
use crate::error::OpError;
use crate::Actor;

/// The user `token` names, with the role they hold now: refused (`Unauthenticated`) when the
/// token is invalid or expired, the user is deactivated or gone, or the password changed since
/// the token was issued; `Unavailable` when the database is away.
pub async fn authenticate(
    keys: &TokenKeys,
    users: &UserDirectory,
    db: &Db,
    token: &str,
) -> Result<Actor, OpError> {
    let claims = keys.verify(token).map_err(OpError::Unauthenticated)?;
    let user_id = UserId::parse(&claims.sub)
        .ok_or_else(|| OpError::Unauthenticated("the access token names no user".into()))?;
    let standing = users
        .standing(db, user_id)
        .await?
        .filter(|s| s.active)
        .ok_or_else(|| {
            OpError::Unauthenticated("the user is deactivated or no longer exists".into())
        })?;
    if standing.token_version != claims.tv {
        return Err(OpError::Unauthenticated(
            "the access token was issued before the password changed; log in again".into(),
        ));
    }
    Ok(Actor {
        user_id,
        username: standing.username,
        role: standing.role,
        request_id: None,
    })
}
