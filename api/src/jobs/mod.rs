//! The job wing: everything the API does with jobs, whatever their kind.
//! A request writes its job with [`enqueue`] in its own transaction; the
//! [`relay`] publishes the outbox to the broker (woken after a commit, and
//! on a timer for what an outage left behind) and, with [`reconcile`],
//! republishes what a broker lost; the [`consumer`] reads the workers'
//! events and hands each to the router in [`crate::background`]; every
//! handler changes a job row only through [`status::set`], which never
//! moves a finished job.
//!
//! Adding a job kind: docs/ARCHITECTURE.md, "Adding a job kind".

pub mod consumer;
pub mod embedded_worker;
pub mod enqueue;
pub mod reconcile;
pub mod relay;
pub mod status;

pub use enqueue::{enqueue, rewrite_unpublished};
