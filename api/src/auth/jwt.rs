//! Access tokens: HS256 JWTs with pinned validation (algorithm, issuer,
//! audience, required claims, a token-type claim, small leeway), RFC 8725.
//! Each token names its session (`sid`, the refresh-token family) so that
//! revoking the session also ends its access tokens before they expire.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use uuid::Uuid;

const ISSUER: &str = "englog";
const AUDIENCE: &str = "englog-api";
const ACCESS_TYPE: &str = "access";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    iss: String,
    aud: String,
    exp: i64,
    iat: i64,
    jti: Uuid,
    /// The session (refresh-token family) this token belongs to.
    sid: Uuid,
    /// Token type, so no other token we might sign is accepted as access.
    typ: String,
}

/// Cheap to clone: the application state (and so this) is cloned for
/// every request, and the keys and the validation's claim sets would be
/// copied each time (issue 18, the create's call-graph profile).
#[derive(Clone)]
pub struct JwtKeys(Arc<Keys>);

struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    access_ttl_secs: i64,
}

/// What a valid access token asserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessClaims {
    pub user_id: Uuid,
    pub session_id: Uuid,
}

pub struct IssuedAccess {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

impl JwtKeys {
    pub fn new(secret: &[u8], access_ttl_secs: i64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // jsonwebtoken >= 10.3 refuses an `exp` of the wrong JSON type
        // instead of treating it as absent (CVE-2026-25537).
        validation.leeway = 5;
        validation.validate_exp = true;
        Self(Arc::new(Keys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            access_ttl_secs,
        }))
    }

    pub fn issue_access(&self, user_id: Uuid, session_id: Uuid) -> anyhow::Result<IssuedAccess> {
        let now = Utc::now();
        let expires_at = now + chrono::Duration::seconds(self.0.access_ttl_secs);
        let claims = Claims {
            sub: user_id,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            exp: expires_at.timestamp(),
            iat: now.timestamp(),
            jti: Uuid::new_v4(),
            sid: session_id,
            typ: ACCESS_TYPE.into(),
        };
        let token =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.0.encoding)?;
        Ok(IssuedAccess { token, expires_at })
    }

    /// The claims of a well-formed, correctly signed, unexpired access
    /// token, or `None` for anything else. Whether its session is still live
    /// is checked separately, against the database.
    pub fn verify_access(&self, token: &str) -> Option<AccessClaims> {
        let data =
            jsonwebtoken::decode::<Claims>(token, &self.0.decoding, &self.0.validation).ok()?;
        (data.claims.typ == ACCESS_TYPE).then_some(AccessClaims {
            user_id: data.claims.sub,
            session_id: data.claims.sid,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_with_its_key_only() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef", 900);
        let (user, sid) = (Uuid::new_v4(), Uuid::new_v4());
        let issued = keys.issue_access(user, sid).unwrap();
        assert_eq!(
            keys.verify_access(&issued.token),
            Some(AccessClaims {
                user_id: user,
                session_id: sid
            })
        );
        let other = JwtKeys::new(b"another-key-another-key-another!!", 900);
        assert_eq!(other.verify_access(&issued.token), None);
        assert_eq!(keys.verify_access("not.a.token"), None);
    }

    #[test]
    fn expired_tokens_are_refused() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef", -60);
        let issued = keys.issue_access(Uuid::new_v4(), Uuid::new_v4()).unwrap();
        assert_eq!(keys.verify_access(&issued.token), None);
    }
}
