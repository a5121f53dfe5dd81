//! In-process fixed-window counters, for the embedded default.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use super::WindowCount;

/// Above this many keys, ended windows are swept on the next hit.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Default)]
pub(super) struct MemoryCounters {
    windows: Mutex<HashMap<String, (u64, Instant)>>,
}

impl MemoryCounters {
    pub(super) fn incr(&self, key: &str, window: Duration) -> WindowCount {
        let now = Instant::now();
        // A poisoned lock only means another request panicked mid-update;
        // the counts are still usable.
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if windows.len() > SWEEP_ABOVE {
            windows.retain(|_, (_, ends)| *ends > now);
        }
        let entry = windows.entry(key.to_owned()).or_insert((0, now + window));
        if entry.1 <= now {
            *entry = (0, now + window);
        }
        entry.0 += 1;
        WindowCount {
            count: entry.0,
            remaining: entry.1 - now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_within_a_window_and_restarts_after_it() {
        let counters = MemoryCounters::default();
        assert_eq!(counters.incr("k", Duration::from_secs(60)).count, 1);
        assert_eq!(counters.incr("k", Duration::from_secs(60)).count, 2);
        assert_eq!(counters.incr("other", Duration::from_secs(60)).count, 1);
        let short = MemoryCounters::default();
        short.incr("k", Duration::from_millis(1));
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(short.incr("k", Duration::from_millis(1)).count, 1);
    }
}
