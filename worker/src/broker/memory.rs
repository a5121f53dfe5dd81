//! In-process broker for the embedded default: the same semantics as the
//! Redis one (pending deliveries, reclaim after idle, delayed retries, dead
//! letters, acknowledged events), held in memory. Jobs not yet finished when
//! the process stops are republished from the API's outbox on restart.

use englog_core::jobs::{Job, JobEventEnvelope, Priority};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, broadcast};
use uuid::Uuid;

use super::{
    BrokerResult, BrokerTiming, Delivery, EnrichmentUpdate, InsightUpdate, StreamStats, WorkerSeen,
};

struct Pending<T> {
    item: T,
    consumer: String,
    last_seen: Instant,
}

#[derive(Default)]
struct State {
    next_id: u64,
    jobs: VecDeque<(String, Job)>,
    low_jobs: VecDeque<(String, Job)>,
    pending_jobs: HashMap<String, Pending<(Job, Priority)>>,
    dead: Vec<(Job, String)>,
    events: VecDeque<(String, JobEventEnvelope)>,
    pending_events: HashMap<String, Pending<JobEventEnvelope>>,
    cancelled: HashSet<Uuid>,
    /// Retries waiting for their delay, by a key the waiting task holds;
    /// kept here (not in the task) so [`MemoryBroker::purge_user`] reaches
    /// them.
    delayed: HashMap<u64, Job>,
    /// Heartbeats by worker: when, and whether it reached its model.
    workers: HashMap<String, WorkerSeen>,
}

impl State {
    /// `<milliseconds>-<sequence>`, like a Redis Streams id, so a delivery
    /// tells when it was published either way.
    fn id(&mut self) -> String {
        self.next_id += 1;
        format!("{}-{}", chrono::Utc::now().timestamp_millis(), self.next_id)
    }
}

struct Inner {
    state: Mutex<State>,
    jobs_ready: Notify,
    events_ready: Notify,
    updates: broadcast::Sender<InsightUpdate>,
    enrichment: broadcast::Sender<EnrichmentUpdate>,
    /// Never fires: in-process updates cannot be lost in transit.
    resyncs: broadcast::Sender<()>,
    timing: BrokerTiming,
}

#[derive(Clone)]
pub struct MemoryBroker {
    inner: Arc<Inner>,
}

impl MemoryBroker {
    pub fn new(timing: BrokerTiming) -> Self {
        let (updates, _) = broadcast::channel(1024);
        let (enrichment, _) = broadcast::channel(1024);
        Self {
            inner: Arc::new(Inner {
                state: Mutex::new(State::default()),
                jobs_ready: Notify::new(),
                events_ready: Notify::new(),
                updates,
                enrichment,
                resyncs: broadcast::channel(1).0,
                timing,
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data behind; keep going.
        self.inner.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub async fn publish_job(&self, job: &Job) -> BrokerResult<()> {
        {
            let mut state = self.state();
            let id = state.id();
            match job.priority() {
                Priority::High => state.jobs.push_back((id, job.clone())),
                Priority::Low => state.low_jobs.push_back((id, job.clone())),
            }
        }
        self.inner.jobs_ready.notify_waiters();
        Ok(())
    }

    pub async fn retry_later(&self, job: &Job, delay: Duration) -> BrokerResult<()> {
        let key = {
            let mut state = self.state();
            state.next_id += 1;
            let key = state.next_id;
            state.delayed.insert(key, job.clone());
            key
        };
        let broker = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            // Gone if purged meanwhile.
            let due = broker.state().delayed.remove(&key);
            if let Some(job) = due {
                let _ = broker.publish_job(&job).await;
            }
        });
        Ok(())
    }

    fn take_job(&self, consumer: &str) -> Option<Delivery> {
        let mut state = self.state();
        let reclaim_after = self.inner.timing.reclaim_after;
        if let Some((id, pending)) = state
            .pending_jobs
            .iter_mut()
            .find(|(_, p)| p.last_seen.elapsed() >= reclaim_after)
        {
            pending.consumer = consumer.to_owned();
            pending.last_seen = Instant::now();
            return Some(Delivery {
                id: id.clone(),
                job: pending.item.0.clone(),
                priority: pending.item.1,
            });
        }
        let (id, job, priority) = match state.jobs.pop_front() {
            Some((id, job)) => (id, job, Priority::High),
            None => {
                let (id, job) = state.low_jobs.pop_front()?;
                (id, job, Priority::Low)
            }
        };
        state.pending_jobs.insert(
            id.clone(),
            Pending {
                item: (job.clone(), priority),
                consumer: consumer.to_owned(),
                last_seen: Instant::now(),
            },
        );
        Some(Delivery { id, job, priority })
    }

    pub async fn next_job(&self, consumer: &str, wait: Duration) -> BrokerResult<Option<Delivery>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            // Register interest before looking, so a publish in between is
            // not missed.
            let notified = self.inner.jobs_ready.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(delivery) = self.take_job(consumer) {
                return Ok(Some(delivery));
            }
            // Wake in time to reclaim an abandoned job, too.
            let tick = tokio::time::Instant::now() + self.inner.timing.reclaim_after.min(wait);
            if tokio::time::timeout_at(tick.min(deadline), notified)
                .await
                .is_err()
                && tokio::time::Instant::now() >= deadline
            {
                return Ok(self.take_job(consumer));
            }
        }
    }

    pub async fn heartbeat(&self, consumer: &str, delivery: &Delivery) -> BrokerResult<()> {
        if let Some(p) = self.state().pending_jobs.get_mut(&delivery.id)
            && p.consumer == consumer
        {
            p.last_seen = Instant::now();
        }
        Ok(())
    }

    pub async fn ack(&self, delivery: &Delivery) -> BrokerResult<()> {
        self.state().pending_jobs.remove(&delivery.id);
        Ok(())
    }

    pub async fn dead_letter(&self, delivery: &Delivery, reason: &str) -> BrokerResult<()> {
        let mut state = self.state();
        state.pending_jobs.remove(&delivery.id);
        state.dead.push((delivery.job.clone(), reason.to_owned()));
        Ok(())
    }

    pub async fn dead_letter_count(&self) -> BrokerResult<u64> {
        Ok(self.state().dead.len() as u64)
    }

    pub async fn worker_heartbeat(&self, worker: &str, model_reachable: bool) -> BrokerResult<()> {
        let seen = WorkerSeen {
            at: chrono::Utc::now(),
            model_reachable,
        };
        self.state().workers.insert(worker.to_owned(), seen);
        Ok(())
    }

    pub async fn latest_worker(&self) -> BrokerResult<Option<WorkerSeen>> {
        Ok(self.state().workers.values().max_by_key(|w| w.at).cloned())
    }

    pub async fn stream_stats(&self) -> BrokerResult<Vec<StreamStats>> {
        let state = self.state();
        let pending = |priority: Priority| {
            state
                .pending_jobs
                .values()
                .filter(|p| p.item.1 == priority)
                .count() as u64
        };
        Ok(vec![
            StreamStats {
                stream: "jobs",
                length: state.jobs.len() as u64 + pending(Priority::High),
                pending: pending(Priority::High),
            },
            StreamStats {
                stream: "jobs:low",
                length: state.low_jobs.len() as u64 + pending(Priority::Low),
                pending: pending(Priority::Low),
            },
            StreamStats {
                stream: "events",
                length: (state.events.len() + state.pending_events.len()) as u64,
                pending: state.pending_events.len() as u64,
            },
            StreamStats {
                stream: "jobs:dead",
                length: state.dead.len() as u64,
                pending: 0,
            },
        ])
    }

    pub async fn publish_event(&self, event: &JobEventEnvelope) -> BrokerResult<()> {
        {
            let mut state = self.state();
            let id = state.id();
            state.events.push_back((id, event.clone()));
        }
        self.inner.events_ready.notify_waiters();
        Ok(())
    }

    fn take_events(&self, consumer: &str, max: usize) -> Vec<(String, JobEventEnvelope)> {
        let mut state = self.state();
        let reclaim_after = self.inner.timing.reclaim_after;
        let mut out: Vec<(String, JobEventEnvelope)> = state
            .pending_events
            .iter_mut()
            .filter(|(_, p)| p.last_seen.elapsed() >= reclaim_after)
            .take(max)
            .map(|(id, p)| {
                p.consumer = consumer.to_owned();
                p.last_seen = Instant::now();
                (id.clone(), p.item.clone())
            })
            .collect();
        while out.len() < max {
            let Some((id, event)) = state.events.pop_front() else {
                break;
            };
            state.pending_events.insert(
                id.clone(),
                Pending {
                    item: event.clone(),
                    consumer: consumer.to_owned(),
                    last_seen: Instant::now(),
                },
            );
            out.push((id, event));
        }
        out.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then(a.0.cmp(&b.0)));
        out
    }

    pub async fn next_events(
        &self,
        consumer: &str,
        max: usize,
        wait: Duration,
    ) -> BrokerResult<Vec<(String, JobEventEnvelope)>> {
        let notified = self.inner.events_ready.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let events = self.take_events(consumer, max);
        if !events.is_empty() {
            return Ok(events);
        }
        let _ = tokio::time::timeout(wait, notified).await;
        Ok(self.take_events(consumer, max))
    }

    pub async fn ack_events(&self, ids: &[String]) -> BrokerResult<()> {
        let mut state = self.state();
        for id in ids {
            state.pending_events.remove(id);
        }
        Ok(())
    }

    pub async fn cancel(&self, job_id: Uuid) -> BrokerResult<()> {
        self.state().cancelled.insert(job_id);
        Ok(())
    }

    pub async fn is_cancelled(&self, job_id: Uuid) -> BrokerResult<bool> {
        Ok(self.state().cancelled.contains(&job_id))
    }

    pub async fn broadcast(&self, update: &InsightUpdate) -> BrokerResult<()> {
        // No receivers is normal: nobody is watching.
        let _ = self.inner.updates.send(update.clone());
        Ok(())
    }

    pub fn updates(&self) -> broadcast::Receiver<InsightUpdate> {
        self.inner.updates.subscribe()
    }

    pub fn resyncs(&self) -> broadcast::Receiver<()> {
        self.inner.resyncs.subscribe()
    }

    pub async fn broadcast_enrichment(&self, update: &EnrichmentUpdate) -> BrokerResult<()> {
        let _ = self.inner.enrichment.send(update.clone());
        Ok(())
    }

    pub fn enrichment_updates(&self) -> broadcast::Receiver<EnrichmentUpdate> {
        self.inner.enrichment.subscribe()
    }

    pub async fn ping(&self) -> BrokerResult<()> {
        Ok(())
    }

    /// Every queued, delivered-unacknowledged and delayed job.
    pub async fn held_jobs(&self) -> BrokerResult<HashSet<Uuid>> {
        let state = self.state();
        Ok(state
            .jobs
            .iter()
            .chain(state.low_jobs.iter())
            .map(|(_, j)| j.job_id())
            .chain(state.pending_jobs.values().map(|p| p.item.0.job_id()))
            .chain(state.delayed.values().map(Job::job_id))
            .collect())
    }

    /// Never lost while the process lives; a restart is handled at start
    /// (the outbox republishes everything unfinished).
    pub async fn claim_epoch(&self) -> BrokerResult<bool> {
        Ok(false)
    }

    /// Drops every queued, pending, delayed and dead-lettered job and every
    /// event of `user_id`; returns how many were dropped.
    pub async fn purge_user(&self, user_id: Uuid) -> BrokerResult<u64> {
        let mut state = self.state();
        let count = |s: &State| {
            s.jobs.len()
                + s.low_jobs.len()
                + s.pending_jobs.len()
                + s.dead.len()
                + s.events.len()
                + s.pending_events.len()
                + s.delayed.len()
        };
        let before = count(&state);
        state.jobs.retain(|(_, j)| j.user_id() != user_id);
        state.low_jobs.retain(|(_, j)| j.user_id() != user_id);
        state
            .pending_jobs
            .retain(|_, p| p.item.0.user_id() != user_id);
        state.dead.retain(|(j, _)| j.user_id() != user_id);
        state.events.retain(|(_, e)| e.user_id != user_id);
        state
            .pending_events
            .retain(|_, p| p.item.user_id != user_id);
        state.delayed.retain(|_, j| j.user_id() != user_id);
        let after = count(&state);
        Ok((before - after) as u64)
    }
}
