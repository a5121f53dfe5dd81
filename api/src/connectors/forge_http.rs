//! GET requests to a forge's REST API, shared by the GitHub and GitLab
//! sources: JSON bodies, `Link: <…>; rel="next"` pagination, and the
//! rate-limit headers both document (`retry-after`, `x-ratelimit-*`,
//! `ratelimit-*`). A rate-limited answer is waited out when its reset is
//! near, and otherwise reported with its reset time, never hammered.

use chrono::{DateTime, TimeZone, Utc};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Client, StatusCode, Url};
use serde::de::DeserializeOwned;
use std::time::Duration;

use super::settings::ConnectorSettings;
use super::source::SourceError;

/// Rate-limited answers waited out per request before giving up.
const MAX_WAITS: u32 = 3;

pub struct ForgeHttp {
    client: Client,
    headers: HeaderMap,
    max_wait: Duration,
}

/// One page of a list and the URL of the next, if any.
pub struct Page<T> {
    pub body: T,
    pub next: Option<String>,
}

impl ForgeHttp {
    /// `headers` carry the credentials and the API's media type.
    pub fn new(headers: HeaderMap, settings: &ConnectorSettings) -> Result<Self, SourceError> {
        let client = Client::builder()
            .timeout(Duration::from_secs(settings.request_timeout_secs.max(1)))
            .user_agent(concat!("EngLog/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SourceError::Unreachable(format!("cannot build an HTTP client: {e}")))?;
        Ok(Self {
            client,
            headers,
            max_wait: Duration::from_secs(settings.max_rate_limit_wait_secs),
        })
    }

    /// A header value that must stay out of logs and `Debug` output.
    pub fn secret_header(value: &str) -> Result<HeaderValue, SourceError> {
        let mut v = HeaderValue::from_str(value).map_err(|_| SourceError::Unauthorized)?;
        v.set_sensitive(true);
        Ok(v)
    }

    pub fn header(name: &'static str, value: &'static str) -> (HeaderName, HeaderValue) {
        (
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        )
    }

    /// GETs `url` and decodes its JSON, waiting out rate limits.
    /// The bodies of every page of a list from `first` on, following
    /// `Link: rel="next"`, at most `max_pages` of them.
    pub async fn all_pages<T: DeserializeOwned>(
        &self,
        first: String,
        max_pages: usize,
    ) -> Result<Vec<T>, SourceError> {
        let mut bodies = Vec::new();
        let mut next = Some(first);
        while let Some(url) = next.take() {
            let page = self.get::<T>(&url).await?;
            bodies.push(page.body);
            if bodies.len() < max_pages {
                next = page.next;
            }
        }
        Ok(bodies)
    }

    pub async fn get<T: DeserializeOwned>(&self, url: &str) -> Result<Page<T>, SourceError> {
        let parsed =
            Url::parse(url).map_err(|_| SourceError::BadAnswer(format!("bad URL {url}")))?;
        let mut waits = 0;
        loop {
            let response = self
                .client
                .get(parsed.clone())
                .headers(self.headers.clone())
                .send()
                .await
                .map_err(|e| SourceError::Unreachable(describe(&e)))?;
            let status = response.status();
            let headers = response.headers().clone();
            if let Some(until) = rate_limited(status, &headers) {
                let wait = (until - Utc::now()).to_std().unwrap_or(Duration::ZERO);
                if waits >= MAX_WAITS || wait > self.max_wait {
                    return Err(SourceError::RateLimited { until });
                }
                waits += 1;
                tracing::info!(
                    wait_secs = wait.as_secs(),
                    "rate limited by the forge; waiting"
                );
                tokio::time::sleep(wait).await;
                continue;
            }
            let what = parsed.path().to_owned();
            match status {
                StatusCode::UNAUTHORIZED => return Err(SourceError::Unauthorized),
                StatusCode::FORBIDDEN => return Err(SourceError::Forbidden(what)),
                StatusCode::NOT_FOUND => return Err(SourceError::NotFound(what)),
                s if !s.is_success() => {
                    return Err(SourceError::BadAnswer(format!(
                        "HTTP {} on {what}",
                        s.as_u16()
                    )));
                }
                _ => {}
            }
            let bytes = response.bytes().await.map_err(|e| {
                SourceError::BadAnswer(format!("the body of {what} was cut off ({})", describe(&e)))
            })?;
            let body = serde_json::from_slice(&bytes).map_err(|e| {
                SourceError::BadAnswer(format!("the body of {what} is not the expected JSON ({e})"))
            })?;
            // Spend the last request of a window, then wait for the next
            // one before asking again.
            if remaining(&headers) == Some(0)
                && let Some(until) = reset_at(&headers)
            {
                let wait = (until - Utc::now()).to_std().unwrap_or(Duration::ZERO);
                if wait <= self.max_wait {
                    tokio::time::sleep(wait).await;
                }
            }
            return Ok(Page {
                body,
                next: next_link(&headers),
            });
        }
    }
}

fn describe(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        "the request timed out".into()
    } else if err.is_connect() {
        "the connection was refused or the host is unknown".into()
    } else {
        // reqwest's text names the URL, which holds no secret (tokens
        // travel in headers).
        err.to_string()
    }
}

fn number(headers: &HeaderMap, name: &str) -> Option<i64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

fn remaining(headers: &HeaderMap) -> Option<i64> {
    number(headers, "x-ratelimit-remaining").or_else(|| number(headers, "ratelimit-remaining"))
}

/// The reset instant of the current window (epoch seconds in both
/// GitHub's and GitLab's headers).
fn reset_at(headers: &HeaderMap) -> Option<DateTime<Utc>> {
    let epoch =
        number(headers, "x-ratelimit-reset").or_else(|| number(headers, "ratelimit-reset"))?;
    Utc.timestamp_opt(epoch, 0).single()
}

/// When a 403/429 answer is a rate limit: the instant to wait for.
/// GitHub documents `retry-after` (secondary limits) and
/// `x-ratelimit-remaining: 0` with `x-ratelimit-reset` (primary limits);
/// GitLab answers 429 with `retry-after` and `ratelimit-reset`.
fn rate_limited(status: StatusCode, headers: &HeaderMap) -> Option<DateTime<Utc>> {
    if status != StatusCode::FORBIDDEN && status != StatusCode::TOO_MANY_REQUESTS {
        return None;
    }
    if let Some(secs) = number(headers, "retry-after") {
        return Some(Utc::now() + chrono::Duration::seconds(secs.max(0)));
    }
    if remaining(headers) == Some(0) || status == StatusCode::TOO_MANY_REQUESTS {
        // A 429 without any reset header: wait a minute, as GitHub's docs
        // advise for secondary limits.
        return Some(
            reset_at(headers).unwrap_or_else(|| Utc::now() + chrono::Duration::seconds(60)),
        );
    }
    None
}

/// `base` + `path` with `query` appended (a bad configured base URL reads
/// as "not found" to the person).
pub fn endpoint(base: &str, path: &str, query: &[(&str, &str)]) -> Result<String, SourceError> {
    let mut url = Url::parse(&format!("{base}{path}"))
        .map_err(|_| SourceError::NotFound(format!("bad base URL {base}")))?;
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    Ok(url.into())
}

/// The `rel="next"` target of a `Link` header (RFC 8288).
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    let link = headers.get("link")?.to_str().ok()?;
    link.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let is_next = params
            .split(';')
            .any(|p| p.trim().replace(' ', "") == "rel=\"next\"");
        is_next.then(|| {
            target
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_link_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            "link",
            HeaderValue::from_static(
                "<https://api.github.com/search/issues?q=a&page=1>; rel=\"prev\", <https://api.github.com/search/issues?q=a&page=3>; rel=\"next\", <https://api.github.com/search/issues?q=a&page=5>; rel=\"last\"",
            ),
        );
        assert_eq!(
            next_link(&h).as_deref(),
            Some("https://api.github.com/search/issues?q=a&page=3")
        );
        h.insert(
            "link",
            HeaderValue::from_static("<https://x/?page=1>; rel=\"first\""),
        );
        assert_eq!(next_link(&h), None);
    }

    #[test]
    fn a_forbidden_answer_is_a_rate_limit_only_with_its_headers() {
        let mut h = HeaderMap::new();
        assert_eq!(rate_limited(StatusCode::FORBIDDEN, &h), None);
        h.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        h.insert("x-ratelimit-reset", HeaderValue::from_static("4102444800"));
        assert_eq!(
            rate_limited(StatusCode::FORBIDDEN, &h),
            Utc.timestamp_opt(4_102_444_800, 0).single()
        );
        let mut retry = HeaderMap::new();
        retry.insert("retry-after", HeaderValue::from_static("30"));
        let until = rate_limited(StatusCode::TOO_MANY_REQUESTS, &retry).unwrap();
        assert!((until - Utc::now()).num_seconds() <= 30);
    }
}
