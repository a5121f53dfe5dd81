//! Which jobs Redis holds at all: queued or delivered and not yet
//! acknowledged (both stay in the job streams until their ack deletes
//! them) or waiting as a delayed retry. The API's reconciler compares this
//! with the jobs the database says are in flight, to republish the ones a
//! Redis restart lost (a restart from an older snapshot keeps the epoch
//! marker but forgets what came after it).

use redis::AsyncCommands;
use redis::streams::StreamRangeReply;
use std::collections::HashSet;
use uuid::Uuid;

use super::{RedisBroker, key, stream_name};
use crate::broker::BrokerResult;
use englog_core::jobs::Priority;

const PAGE: usize = 500;

/// Only the id of a job payload; the rest is skipped, not built.
#[derive(serde::Deserialize)]
struct JobId {
    job_id: Uuid,
}

fn job_id(payload: &[u8]) -> Option<Uuid> {
    serde_json::from_slice::<JobId>(payload)
        .ok()
        .map(|j| j.job_id)
}

impl RedisBroker {
    pub async fn held_jobs(&self) -> BrokerResult<HashSet<Uuid>> {
        let mut conn = self.conn.clone();
        let mut held = HashSet::new();
        for priority in [Priority::High, Priority::Low] {
            let stream = key(&self.prefix, stream_name(priority));
            let mut start = "-".to_owned();
            loop {
                let page: StreamRangeReply = conn.xrange_count(&stream, &start, "+", PAGE).await?;
                let Some(last) = page.ids.last().map(|e| e.id.clone()) else {
                    break;
                };
                let full = page.ids.len() == PAGE;
                held.extend(page.ids.iter().filter_map(|e| {
                    let payload: Vec<u8> = e.get("payload")?;
                    job_id(&payload)
                }));
                if !full {
                    break;
                }
                // Exclusive start: the next page begins after the last id.
                start = format!("({last}");
            }
        }
        let delayed: Vec<Vec<u8>> = conn
            .zrange(key(&self.prefix, "jobs:delayed"), 0, -1)
            .await?;
        held.extend(delayed.iter().filter_map(|p| job_id(p)));
        Ok(held)
    }
}
