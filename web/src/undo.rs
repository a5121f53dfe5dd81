//! Deleting entries with a few seconds to undo: the entries leave the list
//! at once, and are deleted on the server only when the undo window closes
//! unopened. Leaving the page (closing the tab, going elsewhere) within the
//! window also deletes them, as the person asked and did not undo.

use dioxus::prelude::*;

use crate::api::{self, ApiError, ops};
use crate::dom;
use crate::state::Session;

/// How long the undo toast stays, in milliseconds.
const UNDO_WINDOW_MS: i32 = 6_000;

#[derive(Clone, PartialEq)]
pub struct PendingDelete {
    pub ids: Vec<String>,
    generation: u32,
}

/// Provided by `App` (lives as long as the page, like its timers).
#[derive(Clone, Copy)]
pub struct Deletions {
    pub pending: Signal<Option<PendingDelete>>,
    /// Bumped when the journal must reload (an undo, a finished delete).
    pub journal_version: Signal<u32>,
    pub error: Signal<Option<String>>,
    generation: Signal<u32>,
}

impl Deletions {
    pub fn new() -> Self {
        Self {
            pending: Signal::new(None),
            journal_version: Signal::new(0),
            error: Signal::new(None),
            generation: Signal::new(0),
        }
    }

    /// Schedules the deletion of `ids`; a deletion still pending is done now.
    pub fn schedule(&self, session: Session, ids: Vec<String>) {
        let this = *self;
        let mut generation = this.generation;
        let next = *generation.peek() + 1;
        generation.set(next);
        let previous = this.pending.peek().clone();
        let mut pending = this.pending;
        pending.set(Some(PendingDelete {
            ids,
            generation: next,
        }));
        if let Some(previous) = previous {
            dioxus::core::spawn_forever(async move { this.commit(session, previous.ids).await });
        }
        dioxus::core::spawn_forever(async move {
            dom::sleep(UNDO_WINDOW_MS).await;
            let due = this.pending.peek().clone().filter(|p| p.generation == next);
            if let Some(due) = due {
                let mut pending = this.pending;
                pending.set(None);
                this.commit(session, due.ids).await;
            }
        });
    }

    /// Deletes what is still pending when the page goes away: `pagehide`
    /// fires on closing, reloading and navigating off the app, where the
    /// undo timer would never run. Call once (from `use_hook`).
    pub fn commit_on_leave(self, session: Session) {
        dom::listen_window("pagehide", move |_| {
            let mut pending = self.pending;
            let due = pending.peek().clone();
            let (Some(due), Some(token)) = (due, session.current_access_token()) else {
                return;
            };
            pending.set(None);
            let variables = ops::bulk_delete_log_entries::Variables { ids: due.ids };
            api::send_while_leaving::<ops::BulkDeleteLogEntries>(&token, variables);
            // If the page is kept for the back button (bfcache), coming back
            // reloads the list: the entries were hidden only while pending.
            let mut version = self.journal_version;
            version += 1;
        });
    }

    /// Undo: the entries were never deleted; show them again.
    pub fn undo(&self) {
        let (mut pending, mut version) = (self.pending, self.journal_version);
        pending.set(None);
        version += 1;
    }

    async fn commit(&self, session: Session, ids: Vec<String>) {
        let variables = ops::bulk_delete_log_entries::Variables { ids };
        let result: Result<_, ApiError> =
            api::authed_unit::<ops::BulkDeleteLogEntries>(session, variables).await;
        let mut error = self.error;
        match result {
            Ok(_) => error.set(None),
            Err(e) => {
                error.set(Some(session.message_for(&e)));
                let mut version = self.journal_version;
                version += 1;
            }
        }
    }
}

pub fn use_deletions() -> Deletions {
    use_context()
}
