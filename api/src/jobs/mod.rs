//! What report and enrichment jobs share on the API side. For now: the
//! one guarded status setter of a job row ([`status`]); the outbox relay
//! and the event consumer still live in `insights` (issue 16 moves them
//! here).

pub mod status;
