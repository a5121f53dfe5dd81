//! `[rate_limits]` settings.

use serde::{Deserialize, Serialize};

use super::Action;

/// Attempts allowed per window; `0` turns a limit off.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimitSettings {
    pub enabled: bool,
    /// Length of the fixed window, in seconds.
    pub window_secs: u64,
    pub register_per_ip: u32,
    pub login_per_ip: u32,
    /// Sign-in attempts on one account from one client address: a
    /// stranger's guesses lock out only the stranger.
    pub login_per_account: u32,
    /// Sign-in attempts on one account from all addresses together: caps
    /// guessing spread over many addresses.
    pub login_per_account_all_addresses: u32,
    pub refresh_per_ip: u32,
    pub create_api_token_per_account: u32,
    /// OAuth starts and callbacks together.
    pub oauth_per_ip: u32,
    /// Prefix of the Redis keys.
    pub key_prefix: String,
    /// A header carrying the client's IP (e.g. `X-Real-IP`), set only behind
    /// a reverse proxy that overwrites it; otherwise the peer address is used.
    pub client_ip_header: Option<String>,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            window_secs: 15 * 60,
            register_per_ip: 20,
            login_per_ip: 100,
            login_per_account: 10,
            login_per_account_all_addresses: 100,
            refresh_per_ip: 300,
            create_api_token_per_account: 20,
            oauth_per_ip: 60,
            key_prefix: "englog:ratelimit:".into(),
            client_ip_header: None,
        }
    }
}

impl RateLimitSettings {
    /// (per IP, per account) limits of an action.
    pub(super) fn limits(&self, action: Action) -> (Option<u32>, Option<u32>) {
        match action {
            Action::Register => (on(self.register_per_ip), None),
            Action::Login | Action::PasswordCheck => {
                (on(self.login_per_ip), on(self.login_per_account))
            }
            Action::Refresh => (on(self.refresh_per_ip), None),
            Action::CreateApiToken => (None, on(self.create_api_token_per_account)),
            Action::OAuth => (on(self.oauth_per_ip), None),
        }
    }

    /// The limit on one account's sign-ins from all addresses together.
    pub(super) fn login_per_account_all_addresses(&self) -> Option<u32> {
        on(self.login_per_account_all_addresses)
    }
}

/// `0` turns a limit off.
fn on(limit: u32) -> Option<u32> {
    (limit > 0).then_some(limit)
}
