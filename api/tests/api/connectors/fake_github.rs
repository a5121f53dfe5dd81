//! A local stand-in for GitHub's REST API: every answer is a fixture file
//! (`fixtures/github/*.json`) holding the status, headers and body of the
//! documented response, with the documentation page it follows. Dates are
//! relative to today (`{{day-3}}`), links point back at this server
//! (`{{base}}`). The test can change a PR title or a review's state, make
//! the next search rate-limited, and read which requests arrived.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub const GOOD_TOKEN: &str = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";

#[derive(Default)]
pub struct Knobs {
    pub recorder: super::fixtures::Recorder,
    /// The next search answers 403 rate-limited (then normally).
    pub rate_limit_next_search: AtomicBool,
    /// Each answer waits this long (to hold a sync open).
    pub delay_ms: AtomicU64,
    /// The next search fails this way: `500`, or `truncated` (a 200 whose
    /// body is cut off mid-JSON).
    pub fail_next_search: Mutex<Option<&'static str>>,
}

pub struct FakeGithub {
    pub base: String,
    pub knobs: Arc<Knobs>,
    _server: tokio::task::JoinHandle<()>,
}

#[derive(Clone)]
struct Shared {
    base: String,
    knobs: Arc<Knobs>,
}

impl FakeGithub {
    pub async fn start() -> Self {
        let listener = super::fixtures::bind().await;
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let knobs = Arc::new(Knobs::default());
        for (key, value) in [
            ("title812", "Add idempotency keys for refunds"),
            ("title77", "Fix flaky checkout test"),
            ("review81", "COMMENTED"),
            ("review82", "APPROVED"),
        ] {
            knobs.recorder.set(key, value);
        }
        let shared = Shared {
            base: base.clone(),
            knobs: knobs.clone(),
        };
        let app = axum::Router::new().fallback(answer).with_state(shared);
        let server = super::fixtures::serve(listener, app);
        Self {
            base,
            knobs,
            _server: server,
        }
    }

    pub fn set(&self, key: &str, value: &str) {
        self.knobs.recorder.set(key, value);
    }

    pub fn requests(&self) -> Vec<String> {
        self.knobs.recorder.requests()
    }
}

fn fixture(name: &str, shared: &Shared) -> Response {
    shared.knobs.recorder.fixture("github", name, &shared.base)
}

async fn answer(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    shared.knobs.recorder.record(&uri);
    let delay = shared.knobs.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
    }
    let authorised = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {GOOD_TOKEN}"));
    if !authorised {
        return fixture("unauthorized", &shared);
    }
    let path = uri.path();
    let q = query.get("q").cloned().unwrap_or_default();
    let name = match path {
        "/user" => "user",
        "/search/issues" => {
            if shared
                .knobs
                .rate_limit_next_search
                .swap(false, Ordering::SeqCst)
            {
                return fixture("rate_limited", &shared);
            }
            let failure = shared.knobs.fail_next_search.lock().unwrap().take();
            match failure {
                Some("500") => {
                    return (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        [("content-type", "application/json")],
                        "{\"message\":\"Server Error\"}",
                    )
                        .into_response();
                }
                Some(_) => {
                    return (
                        StatusCode::OK,
                        [("content-type", "application/json")],
                        "{\"total_count\": 2, \"incomplete_results\": false, \"items\": [{\"url\": ",
                    )
                        .into_response();
                }
                None => {}
            }
            if q.contains("author:octocat") {
                if query.get("page").map(String::as_str) == Some("2") {
                    "search_authored_page2"
                } else {
                    "search_authored_page1"
                }
            } else if q.contains("reviewed-by:octocat") {
                "search_reviewed"
            } else if q.contains("assignee:octocat") {
                "search_closed"
            } else {
                return (StatusCode::UNPROCESSABLE_ENTITY, "unexpected query").into_response();
            }
        }
        "/repos/acme/payments-api/pulls/812/commits" => "commits_812",
        "/repos/acme/web-app/pulls/77/commits" => "commits_77",
        "/repos/acme/payments-api/pulls/901/reviews" => "reviews_901",
        _ => return (StatusCode::NOT_FOUND, "{\"message\":\"Not Found\"}").into_response(),
    };
    fixture(name, &shared)
}
