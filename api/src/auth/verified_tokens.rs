//! Access tokens whose signature and claims were checked a moment ago.
//!
//! A client sends the same access token with every request until it
//! expires; checking its HS256 signature and decoding its claims again
//! each time was 14 % of a create's server instructions (issue 18). The
//! check depends only on the token's exact text and the key, except for
//! expiry, so a token found here skips the signature but never the clock:
//! its expiry is compared on every hit, with the same leeway as the full
//! check. Revocation is not decided here — whether the token's session is
//! still live is asked on every request, after this.
//!
//! Keyed by the whole token text (no digest, so no collision can let one
//! token stand for another); bounded in entries and in token length.

use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::Mutex;

use super::jwt::AccessClaims;

/// Tokens kept: one per recently active session of this instance.
const CAPACITY: usize = 4096;
/// Longer tokens are checked in full every time (ours are ~300 bytes).
const MAX_TOKEN_BYTES: usize = 1024;

pub struct VerifiedTokens {
    /// Token text → what it asserts and its `exp` (seconds since the epoch).
    seen: Mutex<LruCache<String, (AccessClaims, i64)>>,
    /// Seconds past `exp` a token is still accepted (the full check's leeway).
    leeway: i64,
}

impl VerifiedTokens {
    pub fn new(leeway: i64) -> Self {
        Self {
            seen: Mutex::new(LruCache::new(
                NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN),
            )),
            leeway,
        }
    }

    /// The claims of `token` if it was verified before and, at `now`
    /// (seconds since the epoch), has not expired.
    pub fn get(&self, token: &str, now: i64) -> Option<AccessClaims> {
        // A poisoned lock means only that a panic interrupted a lookup: the
        // full check then answers.
        let mut seen = self.seen.lock().ok()?;
        let &(claims, exp) = seen.get(token)?;
        if exp < now - self.leeway {
            seen.pop(token);
            return None;
        }
        Some(claims)
    }

    /// Remembers a token the full check just accepted.
    pub fn remember(&self, token: &str, claims: AccessClaims, exp: i64) {
        if token.len() > MAX_TOKEN_BYTES {
            return;
        }
        if let Ok(mut seen) = self.seen.lock() {
            seen.put(token.to_owned(), (claims, exp));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn claims() -> AccessClaims {
        AccessClaims {
            user_id: Uuid::now_v7(),
            session_id: Uuid::now_v7(),
        }
    }

    #[test]
    fn a_token_is_answered_until_its_expiry_and_leeway_pass() {
        let tokens = VerifiedTokens::new(5);
        let claims = claims();
        tokens.remember("a.b.c", claims, 1_000);
        assert_eq!(tokens.get("a.b.c", 1_000), Some(claims));
        assert_eq!(tokens.get("a.b.c", 1_005), Some(claims));
        assert_eq!(tokens.get("a.b.c", 1_006), None);
        // Once expired it is gone, even for an earlier clock.
        assert_eq!(tokens.get("a.b.c", 1_000), None);
    }

    #[test]
    fn only_the_exact_text_is_answered_and_long_tokens_are_not_kept() {
        let tokens = VerifiedTokens::new(0);
        tokens.remember("a.b.c", claims(), i64::MAX);
        assert_eq!(tokens.get("a.b.C", 0), None);
        assert_eq!(tokens.get("a.b.c ", 0), None);
        let long = "x".repeat(MAX_TOKEN_BYTES + 1);
        tokens.remember(&long, claims(), i64::MAX);
        assert_eq!(tokens.get(&long, 0), None);
    }
}
