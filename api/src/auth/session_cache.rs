//! Sessions this instance saw live a moment ago, so a burst of requests
//! with the same access token checks the session table once, not on every
//! request. Revocation still wins: the instance that revokes forgets at
//! once, every other instance within [`REVOCATION_BOUND`].

use std::time::Duration;
use uuid::Uuid;

use crate::recent_memo::RecentMemo;

/// Longest a revoked session keeps working on an instance that did not
/// revoke it.
pub const REVOCATION_BOUND: Duration = Duration::from_millis(REVOCATION_BOUND_MS);
const REVOCATION_BOUND_MS: u64 = 5_000;

#[derive(Clone, Default)]
pub struct SessionCache {
    /// Session id → its user, when found live.
    seen: RecentMemo<Uuid, Uuid, REVOCATION_BOUND_MS>,
}

impl SessionCache {
    /// Whether the session was found live within the bound.
    pub fn is_live(&self, user_id: Uuid, session_id: Uuid) -> bool {
        self.seen.recall(&session_id) == Some(user_id)
    }

    pub fn remember(&self, user_id: Uuid, session_id: Uuid) {
        self.seen.remember(session_id, user_id);
    }

    pub fn forget_session(&self, session_id: Uuid) {
        self.seen.forget(&session_id);
    }

    pub fn forget_user(&self, user_id: Uuid) {
        self.seen.forget_where(|user| *user == user_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_live_until_forgotten_and_only_for_its_user() {
        let cache = SessionCache::default();
        let (user, other, session) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        assert!(!cache.is_live(user, session));
        cache.remember(user, session);
        assert!(cache.is_live(user, session));
        assert!(!cache.is_live(other, session));
        cache.forget_user(user);
        assert!(!cache.is_live(user, session));
        cache.remember(user, session);
        cache.forget_session(session);
        assert!(!cache.is_live(user, session));
    }
}
