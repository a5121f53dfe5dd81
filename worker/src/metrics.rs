//! Prometheus metrics, shared by the worker and the API.
//!
//! One recorder per process (the `metrics` facade is global), installed on
//! first use, so tests that start many apps in one process share it. What
//! is measured lives beside the code it measures; this module installs the
//! recorder, describes every metric once and renders the exposition text.
//! docs/OPERATIONS.md says what each metric means.

use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Duration;

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Seconds buckets for request and job latencies: 1 ms to 30 min.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
    120.0, 300.0, 600.0, 1800.0,
];
/// Tokens per second of a generation: CPU-only models to large GPUs.
const TOKENS_PER_SECOND_BUCKETS: &[f64] = &[
    1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 50.0, 75.0, 100.0, 150.0, 200.0, 400.0, 1000.0,
];

/// The process' recorder, installed on the first call. `None` if another
/// recorder was installed first (then nothing is recorded here).
pub fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full("englog_worker_tokens_per_second".into()),
                        TOKENS_PER_SECOND_BUCKETS,
                    )
                })
                .map(PrometheusBuilder::install_recorder);
            match recorder {
                Ok(Ok(handle)) => {
                    describe();
                    start_upkeep(handle.clone());
                    Some(handle)
                }
                Ok(Err(err)) | Err(err) => {
                    tracing::warn!(error = %err, "metrics recorder not installed");
                    None
                }
            }
        })
        .as_ref()
}

/// How often the recorder's upkeep runs: the exporter's own default.
pub const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The name of the thread that runs the recorder's upkeep.
/// (Linux shows at most 15 bytes of a thread's name.)
pub const UPKEEP_THREAD: &str = "metrics-upkeep";

/// Runs the recorder's upkeep every [`UPKEEP_EVERY`] on a thread of its
/// own. A recorder installed with `install_recorder` keeps every histogram
/// sample until a scrape or an upkeep drains it (the exporter's "Upkeep
/// and maintenance"), so an instance nobody scrapes grew by 16 bytes per
/// GraphQL request, for good. A plain thread, because the recorder may be
/// installed outside a Tokio runtime (tests, the worker's start).
fn start_upkeep(handle: PrometheusHandle) {
    let started = std::thread::Builder::new()
        .name(UPKEEP_THREAD.into())
        .spawn(move || {
            loop {
                std::thread::sleep(UPKEEP_EVERY);
                handle.run_upkeep();
            }
        });
    if let Err(err) = started {
        tracing::warn!(error = %err, "metrics upkeep not started: histogram samples are kept until a scrape");
    }
}

/// Whether [`handle`] installed the recorder: a handle registered before
/// is a no-op for good, one registered after records for the process.
pub fn installed() -> bool {
    HANDLE.get().is_some_and(Option::is_some)
}

/// The exposition text of every metric so far.
pub fn render() -> String {
    handle().map(PrometheusHandle::render).unwrap_or_default()
}

fn describe() {
    // The worker's own.
    describe_counter!(
        "englog_worker_model_calls_total",
        "Calls to the model service, by job kind and outcome (ok, unreachable, timeout, malformed, model_missing, service_error)."
    );
    describe_histogram!(
        "englog_worker_time_to_first_token_seconds",
        Unit::Seconds,
        "Time from sending a generation request to its first text."
    );
    describe_histogram!(
        "englog_worker_tokens_per_second",
        "Completion tokens per second of each finished generation, as the model service reports it."
    );
    describe_gauge!(
        "englog_worker_last_tokens_per_second",
        "Completion tokens per second of the latest finished generation."
    );
    describe_counter!(
        "englog_worker_answers_cut_off_total",
        "Answers that reached their num_predict cap (Ollama's done_reason `length`), by job kind."
    );
    describe_counter!(
        "englog_worker_prompt_tokens_total",
        "Prompt tokens the model service evaluated."
    );
    describe_counter!(
        "englog_worker_completion_tokens_total",
        "Tokens the model service generated."
    );
    describe_gauge!(
        "englog_worker_slots",
        "Jobs this worker process runs at once at most."
    );
    describe_gauge!(
        "englog_worker_busy_slots",
        "Jobs this worker process is running now."
    );
    describe_histogram!(
        "englog_worker_job_duration_seconds",
        Unit::Seconds,
        "Time a worker spent on one delivery of a job, by kind and outcome."
    );
    describe_histogram!(
        "englog_worker_queue_wait_seconds",
        Unit::Seconds,
        "Time from a job's publication to a worker taking it, by kind."
    );
    describe_gauge!(
        "englog_worker_model_reachable",
        "1 when the last call to the model service reached it, else 0."
    );
}

/// One call to the model, measured from the request to its end.
pub struct ModelCall {
    kind: &'static str,
    first_token: Option<Duration>,
}

impl ModelCall {
    pub fn start(kind: &'static str) -> Self {
        Self {
            kind,
            first_token: None,
        }
    }

    pub fn first_token(&mut self, after: Duration) {
        if self.first_token.is_none() {
            self.first_token = Some(after);
            metrics::histogram!("englog_worker_time_to_first_token_seconds", "kind" => self.kind)
                .record(after.as_secs_f64());
        }
    }

    /// A finished generation: its token counts and the model's own
    /// generation time (`eval_duration`, nanoseconds), when reported.
    pub fn finished(&self, prompt_tokens: u64, completion_tokens: u64, eval_nanos: Option<u64>) {
        metrics::counter!("englog_worker_model_calls_total", "kind" => self.kind, "outcome" => "ok")
            .increment(1);
        metrics::gauge!("englog_worker_model_reachable").set(1.0);
        metrics::counter!("englog_worker_prompt_tokens_total", "kind" => self.kind)
            .increment(prompt_tokens);
        metrics::counter!("englog_worker_completion_tokens_total", "kind" => self.kind)
            .increment(completion_tokens);
        if let Some(nanos) = eval_nanos.filter(|n| *n > 0) {
            let rate = completion_tokens as f64 / (nanos as f64 / 1e9);
            metrics::histogram!("englog_worker_tokens_per_second", "kind" => self.kind)
                .record(rate);
            metrics::gauge!("englog_worker_last_tokens_per_second", "kind" => self.kind).set(rate);
        }
    }

    /// The answer reached its `num_predict` cap.
    pub fn cut_off(&self) {
        metrics::counter!("englog_worker_answers_cut_off_total", "kind" => self.kind).increment(1);
    }

    pub fn failed(&self, outcome: &'static str) {
        metrics::counter!("englog_worker_model_calls_total", "kind" => self.kind, "outcome" => outcome)
            .increment(1);
        let reachable = if outcome == "unreachable" { 0.0 } else { 1.0 };
        metrics::gauge!("englog_worker_model_reachable").set(reachable);
    }
}

/// One delivery in a worker's hands: the busy-slot gauge, the queue wait
/// and, when finished, the time spent by outcome.
pub struct JobTimer {
    kind: &'static str,
    started: std::time::Instant,
}

impl JobTimer {
    /// `delivery_id` is the stream entry id: a Redis Streams id starts with
    /// the publication time in milliseconds, which gives the queue wait
    /// (the in-process broker's ids do not, and it records none).
    pub fn start(kind: &'static str, delivery_id: &str) -> Self {
        metrics::gauge!("englog_worker_busy_slots").increment(1.0);
        let published_ms = delivery_id
            .split_once('-')
            .and_then(|(ms, _)| ms.parse::<i64>().ok());
        if let Some(published_ms) = published_ms {
            let waited_ms = chrono::Utc::now().timestamp_millis() - published_ms;
            metrics::histogram!("englog_worker_queue_wait_seconds", "kind" => kind)
                .record(waited_ms.max(0) as f64 / 1000.0);
        }
        Self {
            kind,
            started: std::time::Instant::now(),
        }
    }

    pub fn finish(self, outcome: &'static str) {
        metrics::histogram!(
            "englog_worker_job_duration_seconds",
            "kind" => self.kind,
            "outcome" => outcome
        )
        .record(self.started.elapsed().as_secs_f64());
    }
}

impl Drop for JobTimer {
    fn drop(&mut self) {
        metrics::gauge!("englog_worker_busy_slots").decrement(1.0);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The names of this process' threads.
    fn thread_names() -> Vec<String> {
        std::fs::read_dir("/proc/self/task")
            .expect("/proc/self/task")
            .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
            .map(|name| name.trim_end().to_owned())
            .collect()
    }

    #[test]
    fn installing_the_recorder_starts_its_upkeep() {
        assert!(handle().is_some(), "the recorder is installed");
        // A new thread names itself once it runs: until then it has its
        // parent's name, so wait for it (bounded).
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !thread_names().iter().any(|name| name == UPKEEP_THREAD) {
            assert!(
                std::time::Instant::now() < deadline,
                "no {UPKEEP_THREAD} thread among {:?}",
                thread_names()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
