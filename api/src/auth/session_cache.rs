//! Sessions this instance saw live a moment ago, so a burst of requests
//! with the same access token checks the session table once, not on every
//! request. Revocation still wins: the instance that revokes forgets at
//! once, every other instance within [`REVOCATION_BOUND`].
//!
//! Hand-written over a mutex-guarded map rather than a cache crate: it
//! holds only positive answers with one fixed lifetime, is read once per
//! authenticated request, and needs nothing a cache library adds (no
//! weights, no eviction policy beyond expiry).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Longest a revoked session keeps working on an instance that did not
/// revoke it.
pub const REVOCATION_BOUND: Duration = Duration::from_secs(5);

/// Entries beyond this trigger a sweep of the expired ones.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Clone, Default)]
pub struct SessionCache {
    /// Session id → (its user, when it was last found live).
    seen: Arc<Mutex<HashMap<Uuid, (Uuid, Instant)>>>,
}

impl SessionCache {
    fn map(&self) -> MutexGuard<'_, HashMap<Uuid, (Uuid, Instant)>> {
        // A panic while holding the lock left a plain map: still usable.
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether the session was found live within the bound.
    pub fn is_live(&self, user_id: Uuid, session_id: Uuid) -> bool {
        self.map()
            .get(&session_id)
            .is_some_and(|(user, at)| *user == user_id && at.elapsed() < REVOCATION_BOUND)
    }

    pub fn remember(&self, user_id: Uuid, session_id: Uuid) {
        let mut map = self.map();
        if map.len() >= SWEEP_ABOVE {
            map.retain(|_, (_, at)| at.elapsed() < REVOCATION_BOUND);
        }
        map.insert(session_id, (user_id, Instant::now()));
    }

    pub fn forget_session(&self, session_id: Uuid) {
        self.map().remove(&session_id);
    }

    pub fn forget_user(&self, user_id: Uuid) {
        self.map().retain(|_, (user, _)| *user != user_id);
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
