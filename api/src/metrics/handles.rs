//! Counter and histogram handles kept per label set. `counter!` with
//! labels builds a key on every call (each label's value owned, then
//! hashed and compared by the registry): about a dozen allocations per
//! HTTP request for its two metrics and the GraphQL operation's two
//! (callgrind, issue 18, twelfth pass). A handle registered once records
//! the same series at the cost of an atomic add.
//!
//! Only handles registered after the process' recorder is installed are
//! kept: one registered before is a no-op, and stays one.

use metrics::{Counter, Histogram};

use crate::kept::Kept;

/// Label sets kept at most: route templates, methods and statuses make a
/// few dozen; GraphQL operation names are bounded by `graphql::MAX_NAMES`
/// label values.
const KEPT_MAX: usize = 512;

pub struct Handles<K>(Kept<K, (Counter, Histogram)>);

impl<K> Handles<K> {
    pub const fn new() -> Self {
        Self(Kept::new(KEPT_MAX))
    }

    /// The handles of the label set `matches` recognises; `register` makes
    /// them (with `counter!` and `histogram!`) for a set not kept yet,
    /// kept under `key()`.
    pub fn handles(
        &self,
        matches: impl Fn(&K) -> bool,
        key: impl FnOnce() -> K,
        register: impl FnOnce() -> (Counter, Histogram),
    ) -> (Counter, Histogram) {
        if !englog_worker::metrics::installed() {
            return register();
        }
        self.0.get_or_make(matches, key, register)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_label_set_is_registered_once_when_the_recorder_is_installed() {
        let installed = englog_worker::metrics::handle().is_some();
        let kept: Handles<u16> = Handles::new();
        let registered = Cell::new(0);
        let register = || {
            registered.set(registered.get() + 1);
            (
                metrics::counter!("englog_test_kept_total"),
                metrics::histogram!("englog_test_kept_seconds"),
            )
        };
        for status in [200, 200, 200, 404] {
            let (counter, histogram) = kept.handles(|kept| *kept == status, || status, register);
            counter.increment(1);
            histogram.record(0.5);
        }
        // Without a recorder (another test process' choice) nothing is
        // kept and every call registers.
        assert_eq!(registered.get(), if installed { 2 } else { 4 });
        if installed {
            // Kept handles record the one series.
            let text = englog_worker::metrics::render();
            assert!(text.contains("englog_test_kept_total 4"), "{text}");
            assert!(text.contains("englog_test_kept_seconds_count 4"), "{text}");
        }
    }
}
