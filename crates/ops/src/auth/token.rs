//! HS256 access tokens with expiry, issuer and audience checked.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::RwLock;

use crate::domain::Role;

pub const ISSUER: &str = "ndpr-contracts";
pub const AUDIENCE: &str = "ndpr-contracts-api";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub name: String,
    pub role: Role,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    /// The user's token version when issued; a password change or deactivation raises it.
    #[serde(default)]
    pub tv: i64,
}

/// The keys and rules for issuing and checking tokens.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub ttl_secs: u64,
    /// Tokens whose signature and claims were checked, until they expire: a client sends the
    /// same token with every request, and decoding it again costs more than the lookup.
    verified: RwLock<HashMap<String, Claims>>,
}

/// Most tokens remembered as verified; past this the memory starts afresh.
const MAX_VERIFIED: usize = 10_000;

impl TokenKeys {
    pub fn new(secret: &[u8], ttl_secs: u64) -> TokenKeys {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl_secs,
            verified: RwLock::new(HashMap::new()),
        }
    }

    pub fn issue(
        &self,
        user_id: &str,
        username: &str,
        role: Role,
        token_version: i64,
    ) -> anyhow::Result<String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            name: username.to_string(),
            role,
            iat: now,
            exp: now + i64::try_from(self.ttl_secs).unwrap_or(i64::MAX / 2),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            tv: token_version,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| anyhow::anyhow!("token signing failed: {e}"))
    }

    /// The claims of a valid token; why not, otherwise.
    pub fn verify(&self, token: &str) -> Result<Claims, String> {
        let now = chrono::Utc::now().timestamp();
        if let Ok(verified) = self.verified.read() {
            if let Some(claims) = verified.get(token) {
                // The same leeway as the full check, so a cached token expires when it would.
                if claims.exp + i64::try_from(self.validation.leeway).unwrap_or(0) >= now {
                    return Ok(claims.clone());
                }
            }
        }
        let claims = self.decode(token)?;
        if let Ok(mut verified) = self.verified.write() {
            if verified.len() >= MAX_VERIFIED {
                verified.retain(|_, c| c.exp >= now);
                if verified.len() >= MAX_VERIFIED {
                    verified.clear();
                }
            }
            verified.insert(token.to_string(), claims.clone());
        }
        Ok(claims)
    }

    fn decode(&self, token: &str) -> Result<Claims, String> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|e| {
                use jsonwebtoken::errors::ErrorKind::*;
                match e.kind() {
                    ExpiredSignature => "the access token has expired".to_string(),
                    InvalidIssuer | InvalidAudience => {
                        "the access token was not issued for this service".to_string()
                    }
                    InvalidSignature => "the access token signature is invalid".to_string(),
                    InvalidAlgorithm => "the access token algorithm is not accepted".to_string(),
                    _ => "the access token is malformed".to_string(),
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_verify_and_others_do_not() {
        let keys = TokenKeys::new(b"0123456789abcdef0123456789abcdef", 60);
        let token = keys
            .issue("u1", "alice", Role::Sales, 0)
            .unwrap_or_default();
        let claims = keys.verify(&token).map_err(|e| e.to_string());
        assert_eq!(claims.map(|c| c.role), Ok(Role::Sales));
        let other = TokenKeys::new(b"another-secret-another-secret-xx", 60);
        assert!(other.verify(&token).is_err());
        assert!(keys.verify("not.a.token").is_err());
    }

    #[test]
    fn remembered_claims_are_used_only_until_they_expire() {
        let keys = TokenKeys::new(b"0123456789abcdef0123456789abcdef", 60);
        let token = keys
            .issue("u1", "alice", Role::Sales, 0)
            .unwrap_or_default();
        let claims = keys.verify(&token).unwrap_or_else(|e| panic!("{e}"));
        let remember = |key: &str, exp: i64| {
            if let Ok(mut verified) = keys.verified.write() {
                let mut c = claims.clone();
                c.exp = exp;
                verified.insert(key.to_string(), c);
            }
        };
        let now = chrono::Utc::now().timestamp();
        // A remembered entry answers without decoding (this key is no token at all)…
        remember("remembered", now + 30);
        assert!(keys.verify("remembered").is_ok());
        // …but not once it has expired, leeway included: then the token is decoded afresh.
        remember("remembered", now - 10);
        assert!(keys.verify("remembered").is_err());
    }
}
