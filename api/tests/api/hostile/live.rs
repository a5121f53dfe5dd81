//! Polls `/live` while hostile documents are sent, to show the server
//! keeps answering everyone else.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

pub struct LiveWatch {
    stop: Arc<AtomicBool>,
    task: JoinHandle<LiveReport>,
}

#[derive(Debug, Default)]
pub struct LiveReport {
    pub answered: usize,
    pub failed: usize,
    pub slowest: Duration,
}

impl LiveWatch {
    /// Asks `url` every 25 ms on its own connection pool; a request that
    /// gets no answer within 5 s counts as failed.
    pub fn start(url: String) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let task = tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .expect("HTTP client");
            let mut report = LiveReport::default();
            while !flag.load(Ordering::Relaxed) {
                let started = Instant::now();
                match client.get(&url).send().await {
                    Ok(response) if response.status().is_success() => {
                        report.answered += 1;
                        report.slowest = report.slowest.max(started.elapsed());
                    }
                    _ => report.failed += 1,
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            report
        });
        Self { stop, task }
    }

    pub async fn finish(self) -> LiveReport {
        self.stop.store(true, Ordering::Relaxed);
        self.task.await.expect("live watcher")
    }
}
