//! Access tokens: HS256 JWTs with pinned validation (algorithm, issuer,
//! audience, required claims, a token-type claim, small leeway), RFC 8725.
//! Each token names its session (`sid`, the refresh-token family) so that
//! revoking the session also ends its access tokens before they expire.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use uuid::Uuid;

use super::verified_tokens::VerifiedTokens;

const ISSUER: &str = "englog";
const AUDIENCE: &str = "englog-api";
const ACCESS_TYPE: &str = "access";
/// Seconds past `exp` a token is still accepted (clock skew).
const LEEWAY_SECS: i64 = 5;

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
    /// Tokens this key verified a moment ago, so the signature of a token
    /// sent again is not checked again (its expiry always is).
    verified: VerifiedTokens,
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
        // Expiry is compared by `verify_access_at` against the clock it is
        // given, the same for a token verified before and for one checked
        // in full. `exp` is still required: an `exp` of the wrong JSON type
        // does not count as present (CVE-2026-25537), and `Claims` types it
        // as an integer.
        validation.validate_exp = false;
        Self(Arc::new(Keys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            access_ttl_secs,
            verified: VerifiedTokens::new(LEEWAY_SECS),
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
        self.verify_access_at(token, Utc::now().timestamp())
    }

    /// [`Self::verify_access`] at `now` (seconds since the epoch).
    fn verify_access_at(&self, token: &str, now: i64) -> Option<AccessClaims> {
        if let Some(claims) = self.0.verified.get(token, now) {
            return Some(claims);
        }
        let data =
            jsonwebtoken::decode::<Claims>(token, &self.0.decoding, &self.0.validation).ok()?;
        if data.claims.typ != ACCESS_TYPE || data.claims.exp < now - LEEWAY_SECS {
            return None;
        }
        let claims = AccessClaims {
            user_id: data.claims.sub,
            session_id: data.claims.sid,
        };
        self.0.verified.remember(token, claims, data.claims.exp);
        Some(claims)
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

    #[test]
    fn a_token_verified_before_is_still_refused_once_expired() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef", 60);
        let issued = keys.issue_access(Uuid::new_v4(), Uuid::new_v4()).unwrap();
        let now = Utc::now().timestamp();
        assert!(keys.verify_access_at(&issued.token, now).is_some());
        // Known to the verified tokens now, whose answer must still follow
        // the clock: past expiry and leeway, refused; within them, not.
        let expiry = issued.expires_at.timestamp();
        assert!(
            keys.verify_access_at(&issued.token, expiry + LEEWAY_SECS)
                .is_some()
        );
        assert_eq!(
            keys.verify_access_at(&issued.token, expiry + LEEWAY_SECS + 1),
            None
        );
        assert!(keys.verify_access_at(&issued.token, now).is_some());
    }

    #[test]
    fn a_token_of_another_type_is_refused_every_time() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef", 60);
        let claims = Claims {
            sub: Uuid::new_v4(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            exp: Utc::now().timestamp() + 60,
            iat: Utc::now().timestamp(),
            jti: Uuid::new_v4(),
            sid: Uuid::new_v4(),
            typ: "refresh".into(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &keys.0.encoding)
            .unwrap();
        assert_eq!(keys.verify_access(&token), None);
        assert_eq!(keys.verify_access(&token), None);
    }
}
