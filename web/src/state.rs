//! The session: the tokens the API issued, kept in `localStorage` so a reload
//! stays signed in, and shared through a Dioxus context. Access tokens are
//! short-lived: [`Session::fresh_access_token`] trades the refresh token for
//! a new pair shortly before expiry, and API calls retry once after a
//! refresh when the server still says UNAUTHENTICATED (see `api::client`).

use std::cell::{Cell, RefCell};

use dioxus::prelude::*;
use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use serde::{Deserialize, Serialize};

use crate::api::{self, ApiError};
use crate::dom;

const STORAGE_KEY: &str = "englog.session";
/// Refresh when the access token has less than this left (milliseconds).
const REFRESH_MARGIN_MS: f64 = 60_000.0;
/// The background refresh checks the tokens at least this often.
const KEEP_FRESH_MAX_SLEEP_MS: i32 = 60_000;
/// The Web Locks name under which tabs take turns refreshing.
const REFRESH_LOCK: &str = "englog-refresh";

/// The tokens from `login`/`register`/`refreshToken`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    /// When the access token expires, in milliseconds since the epoch
    /// (0 when unknown: refresh before the next call).
    #[serde(default)]
    pub expires_at_ms: f64,
}

impl Tokens {
    /// A pair the API just issued; `expires_at` as it sends it (RFC 3339).
    pub fn new(access_token: String, refresh_token: String, expires_at: &str) -> Self {
        Self::issued(access_token, refresh_token, js_sys::Date::parse(expires_at))
    }

    /// A pair just issued that expires at `server_expiry_ms` by the server's
    /// clock. The expiry is kept by this computer's clock instead: now plus
    /// the access token's lifetime (its `exp - iat`), so a clock that is off
    /// neither makes every new token look expired (a refresh per call) nor
    /// keeps an expired one.
    pub fn issued(access_token: String, refresh_token: String, server_expiry_ms: f64) -> Self {
        let expires_at_ms = match jwt_lifetime_ms(&access_token) {
            Some(lifetime) => js_sys::Date::now() + lifetime,
            None if server_expiry_ms.is_nan() => 0.0,
            None => server_expiry_ms,
        };
        Self {
            access_token,
            refresh_token,
            expires_at_ms,
        }
    }

    fn expires_soon(&self) -> bool {
        self.remaining_ms() < REFRESH_MARGIN_MS
    }

    /// Milliseconds until the access token expires (negative: expired).
    fn remaining_ms(&self) -> f64 {
        self.expires_at_ms - js_sys::Date::now()
    }
}

type RefreshFuture = Shared<LocalBoxFuture<'static, Result<Tokens, ApiError>>>;

thread_local! {
    /// The refresh in progress: concurrent calls wait for the same one, as
    /// a refresh token is single use (reusing it ends the session).
    static REFRESHING: RefCell<Option<RefreshFuture>> = const { RefCell::new(None) };
    /// Counts sign-ins and sign-outs on this page: a refresh started for an
    /// earlier session neither stores its pair nor hands it to a later one.
    static SESSION_GENERATION: Cell<u64> = const { Cell::new(0) };
}

fn generation() -> u64 {
    SESSION_GENERATION.with(Cell::get)
}

/// The page's session changed (signed in or out): refreshes of the old one
/// are not joined any more, and drop their outcome (see [`refresh_pair`]).
fn next_generation() {
    SESSION_GENERATION.with(|generation| generation.set(generation.get() + 1));
    REFRESHING.with(|slot| slot.borrow_mut().take());
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

    pub fn notice(&self) -> Option<String> {
        self.notice.peek().clone()
    }

    pub fn sign_in(&self, tokens: Tokens) {
        next_generation();
        save(Some(&tokens));
        let (mut t, mut n) = (self.tokens, self.notice);
        n.set(None);
        t.set(Some(tokens));
    }

    /// The access token as it is now, without refreshing: for a request
    /// that must leave while the page unloads (nothing can be awaited).
    pub fn current_access_token(&self) -> Option<String> {
        self.tokens.peek().as_ref().map(|t| t.access_token.clone())
    }

    /// An access token valid for at least another minute, refreshing first
    /// when needed.
    pub async fn fresh_access_token(&self) -> Result<String, ApiError> {
        let current = self.tokens.peek().clone();
        match current {
            Some(tokens) if !tokens.expires_soon() => Ok(tokens.access_token),
            Some(_) => self.refresh().await,
            None => Err(ApiError::signed_out()),
        }
    }

    /// Trades the refresh token for a new pair (once, however many callers
    /// ask at the same time) and returns the new access token. A refused
    /// refresh signs the person out.
    pub async fn refresh(&self) -> Result<String, ApiError> {
        let Some(started) = self.tokens.peek().clone() else {
            return Err(ApiError::signed_out());
        };
        let started_in = generation();
        let pending = REFRESHING.with(|slot| slot.borrow().clone());
        let future = match pending {
            Some(future) => future,
            None => {
                let future = spawn_refresh(started, started_in);
                REFRESHING.with(|slot| *slot.borrow_mut() = Some(future.clone()));
                future
            }
        };
        let result = future.clone().await;
        // Only this refresh's own entry: by now a later refresh may be the
        // one in the slot, and taking it would let a third run beside it.
        REFRESHING.with(|slot| {
            let mut slot = slot.borrow_mut();
            if slot.as_ref().is_some_and(|pending| pending.ptr_eq(&future)) {
                *slot = None;
            }
        });
        // Signed out, or signed in afresh, while this ran: the outcome
        // belongs to a session this page no longer has. (Storage is already
        // right: `refresh_pair` stores nothing once the generation moved,
        // and sign-in and sign-out store their own state after moving it.)
        if generation() != started_in {
            return Err(ApiError::Superseded);
        }
        match result {
            Ok(tokens) => {
                // Already in storage: `refresh_pair` stored or adopted it.
                let access = tokens.access_token.clone();
                if self.tokens.peek().as_ref() != Some(&tokens) {
                    let mut t = self.tokens;
                    t.set(Some(tokens));
                }
                Ok(access)
            }
            Err(ApiError::AnotherAccount) => {
                self.leave_to_another_account();
                Err(ApiError::AnotherAccount)
            }
            Err(error) => {
                if error.is_unauthenticated() {
                    self.forget(Some("Your session has ended. Please sign in again.".into()));
                }
                Err(error)
            }
        }
    }

    /// Runs for the page's life: refreshes the access token shortly before
    /// it expires even while the page is idle, so a tab left open stays
    /// signed in and its next call does not wait for a refresh. Wakes at
    /// least once a minute, so sign-ins, other tabs' refreshes and a
    /// computer waking from sleep are noticed.
    pub async fn keep_fresh(self) {
        // Set after a refresh: a token issued with less than the margin to
        // live is then refreshed at half its remaining time, not at once
        // again, so a short lifetime cannot become a refresh loop.
        let mut just_refreshed = false;
        loop {
            let remaining = self.tokens.peek().as_ref().map(Tokens::remaining_ms);
            match remaining {
                Some(ms) if ms <= REFRESH_MARGIN_MS && !just_refreshed => {
                    just_refreshed = true;
                    // Failures are handled by `refresh` (signed out when
                    // refused); offline, the next wake tries again.
                    if self.refresh().await.is_err() {
                        dom::sleep(KEEP_FRESH_MAX_SLEEP_MS).await;
                    }
                }
                Some(ms) => {
                    just_refreshed = false;
                    let due_in = if ms > REFRESH_MARGIN_MS {
                        ms - REFRESH_MARGIN_MS
                    } else {
                        ms / 2.0
                    };
                    dom::sleep((due_in as i32).clamp(1_000, KEEP_FRESH_MAX_SLEEP_MS)).await;
                }
                None => {
                    just_refreshed = false;
                    dom::sleep(KEEP_FRESH_MAX_SLEEP_MS).await;
                }
            }
        }
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

    /// Forgets the tokens; `notice` tells the person (on the sign-in page)
    /// why. Storage is cleared only of this tab's person's pair: not when
    /// another tab has since stored another account's pair there (that pair
    /// is its tab's, and clearing it would sign that tab out at its next
    /// reload), nor when this tab holds no pair any more (it already left
    /// storage to another account, and a late answer still lands here).
    pub fn forget(&self, notice: Option<String>) {
        next_generation();
        if let Some(ours) = self.tokens.peek().as_ref()
            && !another_account_stored(ours)
        {
            save(None);
        }
        let (mut t, mut n) = (self.tokens, self.notice);
        n.set(notice);
        t.set(None);
    }

    /// Signs this tab out after another tab signed in to a different
    /// account: storage holds that account's pair now, so it is left as it
    /// is (forgetting it would sign the other tab out on its next reload).
    fn leave_to_another_account(&self) {
        next_generation();
        let (mut t, mut n) = (self.tokens, self.notice);
        n.set(Some(api::ANOTHER_ACCOUNT.into()));
        t.set(None);
    }

    /// Turns an API error into the message to show. An expired or revoked
    /// session signs the person out (the sign-in page then shows why).
    /// Call from event handlers and futures, not while rendering.
    /// Once signed out, a call still finishing (a resource re-running as
    /// the tokens go) keeps the notice already given, e.g. the pending
    /// deletion's date.
    pub fn message_for(&self, error: &ApiError) -> String {
        if error.is_unauthenticated() && self.tokens.peek().is_some() {
            self.forget(Some("Your session has ended. Please sign in again.".into()));
        }
        error.to_string()
    }
}

/// Starts [`refresh_pair`] as a task of its own, so that once the server has
/// been asked, the rotated pair is stored even if every caller waiting for
/// it is gone (a page re-rendering drops its pending calls). Dropped with
/// them, the old refresh token would be spent and the new pair lost, and
/// the next refresh a replay that ends the session.
fn spawn_refresh(tokens: Tokens, started_in: u64) -> RefreshFuture {
    let (done, outcome) = futures_channel::oneshot::channel();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = done.send(refresh_pair(tokens, started_in).await);
    });
    outcome
        .map(|sent| {
            sent.unwrap_or_else(|_| Err(ApiError::Network("the refresh was interrupted".into())))
        })
        .boxed_local()
        .shared()
}

/// Trades the pair, one tab at a time: tabs share the pair through
/// `localStorage`, and a refresh token used twice ends the whole session.
/// Inside the lock, a pair another tab stored meanwhile is adopted instead.
/// `started_in` is the page's session generation when the refresh began: a
/// person who signed out or in since gets nothing stored in their place.
async fn refresh_pair(tokens: Tokens, started_in: u64) -> Result<Tokens, ApiError> {
    dom::with_tab_lock(REFRESH_LOCK, async move {
        if generation() != started_in {
            return Err(ApiError::Superseded);
        }
        // Another tab signed in to another account: its pair is not this
        // tab's person's to adopt. This tab's own pair is left as it is, not
        // ended: another of this person's tabs may still hold it.
        if another_account_stored(&tokens) {
            return Err(ApiError::AnotherAccount);
        }
        // Another tab refreshed meanwhile: our own refresh token is spent,
        // so adopt its pair, or refresh that pair when it too expires soon
        // (spending ours again would be a replay and end the session).
        let current = match load() {
            Some(stored) if stored.refresh_token != tokens.refresh_token => {
                if !stored.expires_soon() {
                    return Ok(stored);
                }
                stored
            }
            _ => tokens,
        };
        let fresh = api::refresh(current.refresh_token.clone()).await?;
        if generation() != started_in {
            // Signed out or in while the server rotated the pair: it belongs
            // to no one now, so end it rather than leave it valid (best
            // effort) and leave storage to the new state.
            let _ = api::logout(fresh.refresh_token).await;
            return Err(ApiError::Superseded);
        }
        // A sign-in takes no lock: one in another tab while the server
        // answered stored that account's pair, which must not be replaced
        // by this person's.
        if another_account_stored(&current) {
            return Err(ApiError::AnotherAccount);
        }
        // Stored before the lock is released, so the next tab adopts it.
        save(Some(&fresh));
        Ok(fresh)
    })
    .await
}

/// `exp - iat` of the access token (a JWT), in milliseconds. Only read for
/// timing, never trusted: the server verifies every token.
fn jwt_lifetime_ms(token: &str) -> Option<f64> {
    let claims = jwt_claims(token)?;
    let lifetime = claims["exp"].as_f64()? - claims["iat"].as_f64()?;
    (lifetime > 0.0).then_some(lifetime * 1000.0)
}

/// Whether storage holds a pair other than `ours` issued to another person.
fn another_account_stored(ours: &Tokens) -> bool {
    load().is_some_and(|stored| {
        stored.refresh_token != ours.refresh_token && !same_person(&stored, ours)
    })
}

/// Whether two pairs were issued to the same person (their access tokens'
/// `sub`). Unreadable tokens prove nothing, so they count as different:
/// adopting a stranger's pair would act for the wrong person, while
/// refusing costs a sign-in at worst. Only compared, never trusted.
fn same_person(a: &Tokens, b: &Tokens) -> bool {
    let sub = |tokens: &Tokens| {
        jwt_claims(&tokens.access_token)?["sub"]
            .as_str()
            .map(str::to_owned)
    };
    matches!((sub(a), sub(b)), (Some(a), Some(b)) if a == b)
}

/// The claims of a JWT, decoded without checking its signature.
fn jwt_claims(token: &str) -> Option<serde_json::Value> {
    let payload = token.split('.').nth(1)?;
    let mut base64: String = payload
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while !base64.len().is_multiple_of(4) {
        base64.push('=');
    }
    let json = web_sys::window()?.atob(&base64).ok()?;
    serde_json::from_str(&json).ok()
}

/// Keeps tokens that arrived outside the forms (the OAuth landing) for
/// [`Session::restore`] to pick up.
pub fn remember(tokens: &Tokens) {
    save(Some(tokens));
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
    // Through a JSON value and the app's one decoder, so the wasm holds no
    // second typed JSON parser just for this.
    api::decode::from_value(serde_json::from_str(&raw).ok()?).ok()
}

fn save(tokens: Option<&Tokens>) {
    let Some(storage) = storage() else { return };
    // A full or disabled storage only costs the reload-survival; ignore it.
    let _ = match tokens.and_then(|t| serde_json::to_string(t).ok()) {
        Some(raw) => storage.set_item(STORAGE_KEY, &raw),
        None => storage.remove_item(STORAGE_KEY),
    };
}
