//! A local stand-in for GitLab's REST API v4 at `<server>/api/v4`,
//! answering with the fixture files in `fixtures/gitlab/` (see
//! [`super::fixtures`]). The test can change an MR title, make the next
//! list rate-limited (429), and read which requests arrived.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub const GOOD_TOKEN: &str = "glpat-xT7bQ2mN9rK4vW8yZ1cD";

#[derive(Default)]
pub struct Knobs {
    pub recorder: super::fixtures::Recorder,
    pub rate_limit_next_list: AtomicBool,
}

pub struct FakeGitlab {
    /// The API root a connector is configured with.
    pub base: String,
    pub knobs: Arc<Knobs>,
    _server: tokio::task::JoinHandle<()>,
}

#[derive(Clone)]
struct Shared {
    base: String,
    knobs: Arc<Knobs>,
}

impl FakeGitlab {
    pub async fn start() -> Self {
        let listener = super::fixtures::bind().await;
        let base = format!("http://{}/api/v4", listener.local_addr().expect("addr"));
        let knobs = Arc::new(Knobs::default());
        knobs.recorder.set("title12", "Add SEPA refunds");
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
    shared.knobs.recorder.fixture("gitlab", name, &shared.base)
}

async fn answer(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    shared.knobs.recorder.record(&uri);
    let authorised = headers
        .get("private-token")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == GOOD_TOKEN);
    if !authorised {
        return fixture("unauthorized", &shared);
    }
    let Some(path) = uri.path().strip_prefix("/api/v4") else {
        return (StatusCode::NOT_FOUND, "{\"error\":\"404 Not Found\"}").into_response();
    };
    let param = |k: &str| query.get(k).map(String::as_str);
    let name = match path {
        "/user" => "user",
        "/merge_requests" | "/issues" => {
            if shared
                .knobs
                .rate_limit_next_list
                .swap(false, Ordering::SeqCst)
            {
                return fixture("rate_limited", &shared);
            }
            match (path, param("scope")) {
                ("/merge_requests", Some("created_by_me")) if param("page") == Some("2") => {
                    "mrs_authored_page2"
                }
                ("/merge_requests", Some("created_by_me")) => "mrs_authored_page1",
                ("/merge_requests", Some("all"))
                    if param("reviewer_username") == Some("ada")
                        || param("approved_by_usernames[]") == Some("ada") =>
                {
                    "mrs_reviewed"
                }
                ("/issues", Some("assigned_to_me")) if param("state") == Some("closed") => {
                    "issues_closed"
                }
                _ => return (StatusCode::BAD_REQUEST, "unexpected query").into_response(),
            }
        }
        "/projects/301/merge_requests/12/commits" => "commits_12",
        "/projects/302/merge_requests/5/commits" => "commits_5",
        "/projects/301/merge_requests/40/notes" => "notes_40",
        _ => return (StatusCode::NOT_FOUND, "{\"message\":\"404 Not Found\"}").into_response(),
    };
    fixture(name, &shared)
}
