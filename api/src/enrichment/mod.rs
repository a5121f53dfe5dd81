//! Entry enrichment: jobs written when entries change (coalesced per entry),
//! the worker's suggestions stored beside entries, accepting and dismissing
//! them, each person's skills vocabulary, and the sentiment and skills
//! trends built from them.

pub mod graphql;
pub mod ingest;
pub mod no_job_memo;
mod preference_probe;
pub mod queue;
pub mod service;
pub mod skills;
pub mod subscription;
pub mod trends;
