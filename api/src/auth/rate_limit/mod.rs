//! Rate limits on the credential endpoints (register, login, refresh, API
//! token creation, OAuth sign-in), per client IP and per account, in fixed
//! windows.
//!
//! With Redis configured the counters live there, so the limits hold across
//! API instances; otherwise (and, with a warning, while Redis is
//! unreachable) they live in this process.

mod memory;
mod redis_store;
mod settings;

pub use settings::RateLimitSettings;

use std::{net::IpAddr, sync::Arc, time::Duration};

use memory::MemoryCounters;
use redis_store::RedisCounters;

use super::refresh::digest;
use crate::error::{AppError, AppResult};

/// What is being limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Register,
    Login,
    /// A signed-in person's password checked again (changing it, asking
    /// for account deletion): counted per user as a whole, with sign-in's
    /// limits, since only the session's holder can reach it.
    PasswordCheck,
    Refresh,
    CreateApiToken,
    /// Starting or finishing an OAuth sign-in: each start stores a login
    /// state row and each callback calls the provider.
    OAuth,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Register => "register",
            Action::Login => "login",
            Action::PasswordCheck => "password_check",
            Action::Refresh => "refresh",
            Action::CreateApiToken => "create_api_token",
            Action::OAuth => "oauth",
        }
    }
}

/// Where a fixed window's count stands after one more hit.
#[derive(Debug, Clone, Copy)]
struct WindowCount {
    count: u64,
    /// Time until the window ends.
    remaining: Duration,
}

#[derive(Clone)]
pub struct RateLimiter {
    settings: Arc<RateLimitSettings>,
    memory: Arc<MemoryCounters>,
    redis: Option<Arc<RedisCounters>>,
}

impl RateLimiter {
    pub fn new(settings: RateLimitSettings, redis: Option<redis::Client>) -> Self {
        Self {
            settings: Arc::new(settings),
            memory: Arc::new(MemoryCounters::default()),
            redis: redis.map(|client| Arc::new(RedisCounters::new(client))),
        }
    }

    pub fn settings(&self) -> &RateLimitSettings {
        &self.settings
    }

    /// Counts one attempt of `action` from `ip` on `account` (an email or a
    /// user id) and answers RATE_LIMITED, with the seconds until the window
    /// ends, once any count is over its limit. Every attempt counts,
    /// successful or not, so the check costs the same either way.
    ///
    /// Sign-in counts per account *and address* (so a stranger's guesses do
    /// not lock the owner out from elsewhere), and per account over all
    /// addresses against a higher limit (so spreading guesses over many
    /// addresses does not pay).
    pub async fn hit(
        &self,
        action: Action,
        ip: Option<IpAddr>,
        account: Option<&str>,
    ) -> AppResult<()> {
        if !self.settings.enabled {
            return Ok(());
        }
        let (per_ip, per_account) = self.settings.limits(action);
        // An IPv6 client usually holds a whole /64: count it as one address.
        let ip = ip.map(network_of);
        if let (Some(ip), Some(limit)) = (ip, per_ip) {
            self.count(action, &format!("ip:{ip}"), limit).await?;
        }
        if let (Some(account), Some(limit)) = (account, per_account) {
            // Hashed: emails stay out of Redis keys.
            let key = format!("acct:{}", &digest(&account.to_lowercase())[..32]);
            match ip.filter(|_| action == Action::Login) {
                Some(ip) => {
                    self.count(action, &format!("{key}:ip:{ip}"), limit).await?;
                    if let Some(all) = self.settings.login_per_account_all_addresses() {
                        self.count(action, &key, all).await?;
                    }
                }
                // An unknown address counts against the account as a whole.
                None => self.count(action, &key, limit).await?,
            }
        }
        Ok(())
    }

    async fn count(&self, action: Action, subject: &str, limit: u32) -> AppResult<()> {
        let key = format!("{}{}:{subject}", self.settings.key_prefix, action.name());
        let window = Duration::from_secs(self.settings.window_secs.max(1));
        let counted = match &self.redis {
            Some(redis) => match redis.incr(&key, window).await {
                Ok(counted) => counted,
                Err(err) => {
                    tracing::warn!(error = %err, "rate limit: Redis unavailable, counting in this process");
                    self.memory.incr(&key, window)
                }
            },
            None => self.memory.incr(&key, window),
        };
        if counted.count > u64::from(limit) {
            metrics::counter!("englog_rate_limit_refusals_total", "action" => action.name())
                .increment(1);
            let retry_after_secs = counted.remaining.as_millis().div_ceil(1000).max(1);
            return Err(AppError::RateLimited {
                retry_after_secs: u64::try_from(retry_after_secs).unwrap_or(u64::MAX),
            });
        }
        Ok(())
    }
}

/// The address a limit counts: an IPv4 address as is, an IPv6 address as
/// its /64 network (the usual allocation to one customer), so rotating
/// through one's own /64 does not multiply the allowance.
fn network_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let [a, b, c, d, ..] = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(a, b, c, d, 0, 0, 0, 0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_count_by_their_64_network() {
        let one: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let other: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let elsewhere: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(network_of(one), network_of(other));
        assert_ne!(network_of(one), network_of(elsewhere));
        let v4: IpAddr = "203.0.113.7".parse().unwrap();
        assert_eq!(network_of(v4), v4);
    }
}
