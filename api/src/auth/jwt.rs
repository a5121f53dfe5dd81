//! Access tokens: HS256 JWTs with pinned validation (algorithm, issuer,
//! audience, required claims, a token-type claim, small leeway).

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
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
    /// Token type, so no other token we might sign is accepted as access.
    typ: String,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    access_ttl_secs: i64,
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
        validation.leeway = 5;
        validation.validate_exp = true;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            access_ttl_secs,
        }
    }

    pub fn issue_access(&self, user_id: Uuid) -> anyhow::Result<IssuedAccess> {
        let now = Utc::now();
        let expires_at = now + chrono::Duration::seconds(self.access_ttl_secs);
        let claims = Claims {
            sub: user_id,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            exp: expires_at.timestamp(),
            iat: now.timestamp(),
            jti: Uuid::new_v4(),
            typ: ACCESS_TYPE.into(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok(IssuedAccess { token, expires_at })
    }

    /// The user id of a valid access token, or `None` for anything else.
    pub fn verify_access(&self, token: &str) -> Option<Uuid> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        (data.claims.typ == ACCESS_TYPE).then_some(data.claims.sub)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_with_its_key_only() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef", 900);
        let user = Uuid::new_v4();
        let issued = keys.issue_access(user).unwrap();
        assert_eq!(keys.verify_access(&issued.token), Some(user));
        let other = JwtKeys::new(b"another-key-another-key-another!!", 900);
        assert_eq!(other.verify_access(&issued.token), None);
        assert_eq!(keys.verify_access("not.a.token"), None);
    }

    #[test]
    fn expired_tokens_are_refused() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef", -60);
        let issued = keys.issue_access(Uuid::new_v4()).unwrap();
        assert_eq!(keys.verify_access(&issued.token), None);
    }
}
