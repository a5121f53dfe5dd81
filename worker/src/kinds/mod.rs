//! One module per job kind, side by side. Each does its kind's work and
//! returns the event that carries the result; the lifecycle around it
//! (started, retries, waiting for the model, giving up, acknowledging) is
//! [`crate::lifecycle`]'s. A new kind adds its module and one arm in each
//! function below.

mod enrichment;
mod report;

use englog_core::jobs::{Job, JobEvent};

use crate::broker::Delivery;
use crate::lifecycle::{Failure, KindPolicy};
use crate::step::WorkerContext;

/// The kind's span and how it ends when given up on.
pub(crate) fn policy(job: &Job) -> KindPolicy {
    match job {
        Job::Report(r) => KindPolicy {
            span: tracing::info_span!("job", job = %r.job_id, insight = %r.insight_id, attempt = r.attempt),
            dead_letter: true,
            gave_up: "gave up",
        },
        Job::Enrichment(e) => KindPolicy {
            span: tracing::info_span!("enrichment", job = %e.job_id, entry = %e.entry.id, attempt = e.attempt),
            // A missing suggestion harms nobody, and the next edit of the
            // entry asks again: no operator needs to see it.
            dead_letter: false,
            gave_up: "dropped",
        },
    }
}

/// Does the job's work; `Ok` is the event with its result.
pub(crate) async fn work(ctx: &WorkerContext, delivery: &Delivery) -> Result<JobEvent, Failure> {
    match &delivery.job {
        Job::Report(r) => report::work(ctx, delivery, r).await,
        Job::Enrichment(e) => enrichment::work(ctx, e).await,
    }
}
