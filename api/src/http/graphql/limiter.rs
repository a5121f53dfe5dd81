//! How many GraphQL requests execute at once: per process and per caller.
//!
//! A request waits a short while for a free slot, then is refused; one
//! caller cannot take every slot of the process, and the process never has
//! more executions in flight than it can finish in reasonable time.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;

use crate::config::GraphqlLimits;

/// Whose slots a request uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallerKey {
    User(Uuid),
    /// Anonymous requests (sign-in, registration) share their address's.
    Address(IpAddr),
    Unknown,
}

/// Why no slot was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    /// This caller already has its maximum in flight.
    Caller,
    /// The process has its maximum in flight.
    Instance,
}

pub struct ExecutionLimiter {
    instance: Arc<Semaphore>,
    callers: Mutex<HashMap<CallerKey, Arc<Semaphore>>>,
    per_caller: usize,
    wait: Duration,
}

/// Holds a slot of the process and one of the caller until dropped.
pub struct Slot {
    limiter: Arc<ExecutionLimiter>,
    key: CallerKey,
    caller: Option<OwnedSemaphorePermit>,
    _instance: OwnedSemaphorePermit,
}

impl ExecutionLimiter {
    pub fn new(limits: &GraphqlLimits) -> Arc<Self> {
        Arc::new(Self {
            instance: Arc::new(Semaphore::new(limits.max_concurrent.max(1))),
            callers: Mutex::default(),
            per_caller: limits.max_concurrent_per_caller.max(1),
            wait: Duration::from_millis(limits.queue_wait_ms),
        })
    }

    /// A slot for `key`, waiting up to the configured time for one.
    pub async fn acquire(self: &Arc<Self>, key: CallerKey) -> Result<Slot, Busy> {
        let caller_semaphore = {
            let mut callers = self.callers.lock().unwrap_or_else(|p| p.into_inner());
            callers
                .entry(key)
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_caller)))
                .clone()
        };
        // The caller's slot first: a caller over its share waits on its own
        // semaphore without holding one of the process' slots.
        let caller = tokio::time::timeout(self.wait, caller_semaphore.acquire_owned()).await;
        let caller = match caller {
            Ok(Ok(permit)) => permit,
            _ => {
                self.forget_idle(key);
                return Err(Busy::Caller);
            }
        };
        let instance = tokio::time::timeout(self.wait, self.instance.clone().acquire_owned()).await;
        match instance {
            Ok(Ok(instance)) => Ok(Slot {
                limiter: self.clone(),
                key,
                caller: Some(caller),
                _instance: instance,
            }),
            _ => {
                drop(caller);
                self.forget_idle(key);
                Err(Busy::Instance)
            }
        }
    }

    /// Drops the caller's semaphore once nobody holds or waits for it, so
    /// the map holds only callers with requests in flight.
    fn forget_idle(&self, key: CallerKey) {
        let mut callers = self.callers.lock().unwrap_or_else(|p| p.into_inner());
        // Only the map's own reference left: no slot and no waiter (both
        // hold a clone, taken under this lock).
        if callers
            .get(&key)
            .is_some_and(|semaphore| Arc::strong_count(semaphore) == 1)
        {
            callers.remove(&key);
        }
    }

    #[cfg(test)]
    fn tracked_callers(&self) -> usize {
        self.callers.lock().map(|c| c.len()).unwrap_or(0)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        drop(self.caller.take());
        self.limiter.forget_idle(self.key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(instance: usize, per_caller: usize) -> Arc<ExecutionLimiter> {
        ExecutionLimiter::new(&GraphqlLimits {
            max_concurrent: instance,
            max_concurrent_per_caller: per_caller,
            queue_wait_ms: 20,
            ..GraphqlLimits::default()
        })
    }

    #[tokio::test]
    async fn a_caller_cannot_take_more_than_its_share() {
        let limiter = limiter(10, 2);
        let alice = CallerKey::User(Uuid::now_v7());
        let bob = CallerKey::User(Uuid::now_v7());
        let first = limiter.acquire(alice).await.expect("first slot");
        let _second = limiter.acquire(alice).await.expect("second slot");
        assert_eq!(limiter.acquire(alice).await.err(), Some(Busy::Caller));
        assert!(
            limiter.acquire(bob).await.is_ok(),
            "others are not affected"
        );
        drop(first);
        assert!(
            limiter.acquire(alice).await.is_ok(),
            "a freed slot is reused"
        );
    }

    #[tokio::test]
    async fn the_process_has_a_ceiling_over_all_callers() {
        let limiter = limiter(2, 2);
        let _a = limiter
            .acquire(CallerKey::User(Uuid::now_v7()))
            .await
            .unwrap();
        let _b = limiter
            .acquire(CallerKey::User(Uuid::now_v7()))
            .await
            .unwrap();
        let refused = limiter.acquire(CallerKey::Unknown).await;
        assert_eq!(refused.err(), Some(Busy::Instance));
    }

    #[tokio::test]
    async fn idle_callers_are_forgotten() {
        let limiter = limiter(10, 2);
        for _ in 0..100 {
            let slot = limiter
                .acquire(CallerKey::User(Uuid::now_v7()))
                .await
                .unwrap();
            drop(slot);
        }
        let _ = limiter.acquire(CallerKey::Unknown).await.unwrap();
        let held = limiter.acquire(CallerKey::Unknown).await.unwrap();
        assert_eq!(limiter.tracked_callers(), 1);
        drop(held);
    }
}
