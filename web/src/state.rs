//! The session: the tokens the API issued, kept in `localStorage` so a reload
//! stays signed in, and shared through a Dioxus context.

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{self, ApiError};

const STORAGE_KEY: &str = "englog.session";

/// The tokens from `login`/`register`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
}

/// The signed-in state, provided by `App` and read with [`use_session`].
#[derive(Clone, Copy)]
pub struct Session {
    tokens: Signal<Option<Tokens>>,
    /// Why the person was signed out, shown on the sign-in page.
    notice: Signal<Option<String>>,
}

impl Session {
    /// Reads the tokens saved by an earlier visit. Call inside a component.
    pub fn restore() -> Self {
        Self {
            tokens: Signal::new(load()),
            notice: Signal::new(None),
        }
    }

    pub fn is_signed_in(&self) -> bool {
        self.tokens.read().is_some()
    }

    /// The bearer token for API calls. Does not subscribe: `App` already
    /// re-renders (and remounts the pages) when the tokens change.
    pub fn access_token(&self) -> Option<String> {
        self.tokens.peek().as_ref().map(|t| t.access_token.clone())
    }

    pub fn notice(&self) -> Option<String> {
        self.notice.peek().clone()
    }

    pub fn sign_in(&self, tokens: Tokens) {
        save(Some(&tokens));
        let (mut t, mut n) = (self.tokens, self.notice);
        n.set(None);
        t.set(Some(tokens));
    }

    /// The person signs out: forget the tokens now and end the session on
    /// the server in the background (best effort: the root scope runs it, so
    /// it survives this page unmounting; a failure leaves a refresh token
    /// that expires on its own).
    pub fn sign_out(&self) {
        if let Some(tokens) = self.tokens.peek().clone() {
            dioxus::core::spawn_forever(async move {
                let _ = api::logout(tokens.refresh_token).await;
            });
        }
        self.forget(None);
    }

    /// Forgets the tokens; `notice` tells the person why.
    fn forget(&self, notice: Option<String>) {
        save(None);
        let (mut t, mut n) = (self.tokens, self.notice);
        n.set(notice);
        t.set(None);
    }

    /// Turns an API error into the message to show. An expired or revoked
    /// session signs the person out (the sign-in page then shows why).
    /// Call from event handlers and futures, not while rendering.
    pub fn message_for(&self, error: &ApiError) -> String {
        if error.is_unauthenticated() {
            self.forget(Some("Your session has ended. Please sign in again.".into()));
        }
        error.to_string()
    }
}

/// The session provided by `App`.
pub fn use_session() -> Session {
    use_context()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn load() -> Option<Tokens> {
    let raw = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    serde_json::from_str(&raw).ok()
}

fn save(tokens: Option<&Tokens>) {
    let Some(storage) = storage() else { return };
    // A full or disabled storage only costs the reload-survival; ignore it.
    let _ = match tokens.and_then(|t| serde_json::to_string(t).ok()) {
        Some(raw) => storage.set_item(STORAGE_KEY, &raw),
        None => storage.remove_item(STORAGE_KEY),
    };
}
