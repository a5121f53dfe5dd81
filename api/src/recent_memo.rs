//! Answers remembered for a fixed, short time: what an instance found a
//! moment ago and may trust for that long instead of asking the database
//! again (a live session, a person's writes that queue no enrichment job).
//!
//! Hand-written over a mutex-guarded map rather than a cache crate: each
//! use holds one kind of answer with one fixed lifetime, is read once per
//! request, and needs nothing a cache library adds (no weights, no
//! eviction policy beyond expiry).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Entries beyond this trigger a sweep of the expired ones.
const SWEEP_ABOVE: usize = 10_000;

type Remembered<K, V> = HashMap<K, (V, Instant)>;

/// Values by key, each trusted for `LIFETIME_MS` milliseconds after it
/// was remembered. Clones share the same memory.
pub struct RecentMemo<K, V, const LIFETIME_MS: u64> {
    seen: Arc<Mutex<Remembered<K, V>>>,
}

impl<K, V, const LIFETIME_MS: u64> Clone for RecentMemo<K, V, LIFETIME_MS> {
    fn clone(&self) -> Self {
        Self {
            seen: Arc::clone(&self.seen),
        }
    }
}

impl<K, V, const LIFETIME_MS: u64> Default for RecentMemo<K, V, LIFETIME_MS> {
    fn default() -> Self {
        Self {
            seen: Arc::default(),
        }
    }
}

impl<K: Eq + Hash, V: Copy, const LIFETIME_MS: u64> RecentMemo<K, V, LIFETIME_MS> {
    /// How long a remembered value is trusted.
    pub const LIFETIME: Duration = Duration::from_millis(LIFETIME_MS);

    fn map(&self) -> MutexGuard<'_, Remembered<K, V>> {
        // A panic while holding the lock left a plain map: still usable.
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The value remembered for `key` within the lifetime.
    pub fn recall(&self, key: &K) -> Option<V> {
        self.map()
            .get(key)
            .filter(|(_, at)| at.elapsed() < Self::LIFETIME)
            .map(|(value, _)| *value)
    }

    pub fn remember(&self, key: K, value: V) {
        let mut map = self.map();
        if map.len() >= SWEEP_ABOVE {
            map.retain(|_, (_, at)| at.elapsed() < Self::LIFETIME);
        }
        map.insert(key, (value, Instant::now()));
    }

    pub fn forget(&self, key: &K) {
        self.map().remove(key);
    }

    /// Forgets every key whose value matches.
    pub fn forget_where(&self, mut matches: impl FnMut(&V) -> bool) {
        self.map().retain(|_, (value, _)| !matches(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_recalled_within_its_lifetime_until_forgotten() {
        let memo = RecentMemo::<_, _, 60_000>::default();
        assert_eq!(memo.recall(&1), None);
        memo.remember(1, 'a');
        memo.remember(2, 'b');
        assert_eq!(memo.recall(&1), Some('a'));
        memo.forget(&1);
        assert_eq!(memo.recall(&1), None);
        memo.forget_where(|v| *v == 'b');
        assert_eq!(memo.recall(&2), None);
    }

    #[test]
    fn a_value_older_than_the_lifetime_is_not_recalled() {
        let memo = RecentMemo::<_, _, 0>::default();
        memo.remember(1, 'a');
        assert_eq!(memo.recall(&1), None);
    }

    #[test]
    fn a_full_memo_sweeps_its_expired_values() {
        let memo = RecentMemo::<_, _, 0>::default();
        for key in 0..=SWEEP_ABOVE {
            memo.remember(key, ());
        }
        assert!(memo.map().len() < SWEEP_ABOVE, "{}", memo.map().len());
    }
}
