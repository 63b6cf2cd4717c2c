//! The authenticated caller, extracted from the bearer token of each request.

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;

use crate::domain::{Permission, Role};
use crate::error::ApiError;
use crate::startup::{AppState, RequestId};

/// Who is calling, with the role they hold now.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: String,
    pub username: String,
    pub role: Role,
    pub request_id: Option<String>,
}

impl Principal {
    /// Refuses with 403 unless the caller's role grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.role.allows(permission) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "the {} role may not do this",
                self.role.as_str()
            )))
        }
    }
}

fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthorized("a bearer access token is required".into()))?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::Unauthorized("the Authorization header is malformed".into()))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_string())
        }
        _ => Err(ApiError::Unauthorized(
            "the Authorization header must be `Bearer <token>`".into(),
        )),
    }
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Principal, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| ApiError::unexpected("application state missing"))?
                .clone();
            let token = bearer(&req)?;
            let claims = state.keys.verify(&token).map_err(ApiError::Unauthorized)?;
            let standing = state
                .users
                .standing(&state.db, &claims.sub)
                .await?
                .filter(|s| s.active)
                .ok_or_else(|| {
                    ApiError::Unauthorized("the user is deactivated or no longer exists".into())
                })?;
            let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
            Ok(Principal {
                user_id: claims.sub,
                username: standing.username,
                role: standing.role,
                request_id,
            })
        })
    }
}
