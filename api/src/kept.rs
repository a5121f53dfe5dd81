//! Values kept per key, at most a fixed number, for what a request
//! computes again and again from a few shapes: statement texts
//! (`entries::page_sql`, `tags::link_sql`) and metric handles
//! (`metrics::http`, `metrics::graphql`). Issue 18, twelfth pass.
//!
//! Lookups take a predicate, so a caller compares its borrowed parts
//! (`&str`, a status) with a kept key without building an owned key first
//! (the allocation this saves is the point). A linear scan: the sets are a
//! few dozen entries. Past its bound nothing more is kept and the caller
//! makes the value every time (still correct, only slower).

use std::sync::{Mutex, MutexGuard};

pub struct Kept<K, V> {
    entries: Mutex<Vec<(K, V)>>,
    max: usize,
}

impl<K, V: Clone> Kept<K, V> {
    pub const fn new(max: usize) -> Self {
        Self {
            entries: Mutex::new(Vec::new()),
            max,
        }
    }

    /// The value kept under the key `matches` recognises.
    pub fn get(&self, matches: impl Fn(&K) -> bool) -> Option<V> {
        self.lock()
            .iter()
            .find(|(key, _)| matches(key))
            .map(|(_, value)| value.clone())
    }

    /// Keeps `value` under `key` unless the bound is reached or `key` is
    /// kept already.
    pub fn keep(&self, key: K, value: V)
    where
        K: PartialEq,
    {
        let mut entries = self.lock();
        if entries.len() < self.max && !entries.iter().any(|(kept, _)| *kept == key) {
            entries.push((key, value));
        }
    }

    /// The value kept under the key `matches` recognises; otherwise
    /// `make`'s, kept under `key()`.
    pub fn get_or_make(
        &self,
        matches: impl Fn(&K) -> bool,
        key: impl FnOnce() -> K,
        make: impl FnOnce() -> V,
    ) -> V {
        let mut entries = self.lock();
        if let Some((_, value)) = entries.iter().find(|(kept, _)| matches(kept)) {
            return value.clone();
        }
        let value = make();
        if entries.len() < self.max {
            entries.push((key(), value.clone()));
        }
        value
    }

    fn lock(&self) -> MutexGuard<'_, Vec<(K, V)>> {
        // A panic while holding the lock leaves a plain Vec intact.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_value_is_made_once_per_key_and_nothing_is_kept_past_the_bound() {
        let kept: Kept<u16, String> = Kept::new(2);
        let made = Cell::new(0);
        let make = |text: &str| {
            made.set(made.get() + 1);
            text.to_owned()
        };
        for _ in 0..3 {
            assert_eq!(kept.get_or_make(|k| *k == 200, || 200, || make("ok")), "ok");
        }
        assert_eq!(made.get(), 1);
        kept.keep(404, "missing".to_owned());
        // Already kept: the first value stays.
        kept.keep(404, "other".to_owned());
        assert_eq!(kept.get(|k| *k == 404).as_deref(), Some("missing"));
        // Full: made every time, never kept.
        kept.get_or_make(|k| *k == 500, || 500, || make("error"));
        kept.get_or_make(|k| *k == 500, || 500, || make("error"));
        assert_eq!(made.get(), 3);
        assert_eq!(kept.get(|k| *k == 500), None);
    }
}
