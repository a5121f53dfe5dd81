//! A stand-in for Ollama in tests: a real HTTP server on loopback speaking
//! `POST /api/generate` with NDJSON streaming, scripted per request to be
//! slow, fail with a status, send malformed lines, or lack the model; for
//! structured output (`format`), to answer with given JSON, text that is not
//! JSON, or JSON that breaks the schema.

use axum::{
    Json, Router,
    body::Body,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How one request is answered.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Streams `chunks` one line each, `gap` apart, then a `done` line.
    Stream { chunks: Vec<String>, gap: Duration },
    /// Waits, then streams.
    Slow { wait: Duration, chunks: Vec<String> },
    /// Answers with this status and an Ollama-style error body.
    Status(u16, String),
    /// Streams lines that are not JSON and never says `done`.
    Malformed,
    /// 404 `model not found`.
    ModelMissing,
    /// Streams `text` as the whole answer (for structured output: the JSON
    /// document, or anything a test wants the model to have said).
    Answer(String),
    /// `then` when the prompt contains `needle`, else `otherwise`.
    Route {
        needle: String,
        then: Box<Reply>,
        otherwise: Box<Reply>,
    },
}

#[derive(Default)]
struct Script {
    replies: Vec<Reply>,
    next: usize,
    prompts: Vec<String>,
    formats: Vec<Option<serde_json::Value>>,
}

impl Reply {
    /// Answers with this JSON document (structured output).
    pub fn json(value: serde_json::Value) -> Self {
        Reply::Answer(value.to_string())
    }

    /// `then` for prompts containing `needle`, `otherwise` for the rest.
    pub fn route(needle: &str, then: Reply, otherwise: Reply) -> Self {
        Reply::Route {
            needle: needle.to_owned(),
            then: Box::new(then),
            otherwise: Box::new(otherwise),
        }
    }
}

/// A loopback port held for a fake model service that starts later. The
/// socket is bound but not listening, so a connection to it is refused (the
/// service is away) and no other process can take the port meanwhile: a
/// port merely found free and released was once taken by another test's
/// server, whose 404 the worker rightly read as a failing service.
pub struct ReservedPort {
    socket: tokio::net::TcpSocket,
    address: SocketAddr,
}

impl ReservedPort {
    pub fn new() -> Self {
        let socket = tokio::net::TcpSocket::new_v4().expect("a TCP socket");
        socket
            .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .expect("bind a loopback port");
        let address = socket.local_addr().expect("its address");
        Self { socket, address }
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }
}

impl Default for ReservedPort {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Clone)]
pub struct FakeOllama {
    pub url: String,
    script: Arc<Mutex<Script>>,
}

impl FakeOllama {
    /// Starts on a free loopback port; requests take the replies in order,
    /// the last one repeating.
    pub async fn start(replies: Vec<Reply>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake ollama");
        Self::serve(listener, replies)
    }

    /// Like [`FakeOllama::start`] on a port reserved earlier, which a
    /// worker was told about while nothing listened there yet.
    pub async fn start_on(port: ReservedPort, replies: Vec<Reply>) -> Self {
        let listener = port.socket.listen(64).expect("listen on the reserved port");
        Self::serve(listener, replies)
    }

    fn serve(listener: tokio::net::TcpListener, replies: Vec<Reply>) -> Self {
        let script = Arc::new(Mutex::new(Script {
            replies,
            ..Script::default()
        }));
        let app = Router::new()
            .route("/api/generate", post(generate))
            .route("/api/version", axum::routing::get(version))
            .with_state(script.clone());
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { url, script }
    }

    /// How many prompts received so far contain `needle`.
    pub fn count(&self, needle: &str) -> usize {
        self.prompts().iter().filter(|p| p.contains(needle)).count()
    }

    /// The `format` of each request so far (`None`: free text).
    pub fn formats(&self) -> Vec<Option<serde_json::Value>> {
        self.script
            .lock()
            .map(|s| s.formats.clone())
            .unwrap_or_default()
    }

    /// Prompts received so far.
    pub fn prompts(&self) -> Vec<String> {
        self.script
            .lock()
            .map(|s| s.prompts.clone())
            .unwrap_or_default()
    }
}

fn line(value: serde_json::Value) -> String {
    format!("{value}\n")
}

fn stream(chunks: Vec<String>, gap: Duration, wait: Duration) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<String, std::io::Error>>(16);
    tokio::spawn(async move {
        tokio::time::sleep(wait).await;
        let count = chunks.len();
        for chunk in chunks {
            let msg = line(serde_json::json!({
                "model": "fake", "created_at": "2026-01-01T00:00:00Z", "response": chunk, "done": false
            }));
            if tx.send(Ok(msg)).await.is_err() {
                return;
            }
            tokio::time::sleep(gap).await;
        }
        let _ = tx
            .send(Ok(line(serde_json::json!({
                "model": "fake", "created_at": "2026-01-01T00:00:00Z", "response": "", "done": true,
                "prompt_eval_count": 1234, "eval_count": count * 3, "total_duration": 1_000_000,
                // 20 ms a token: 50 tokens/s, a figure tests can expect.
                "eval_duration": count * 3 * 20_000_000
            }))))
            .await;
    });
    let body = Body::from_stream(tokio_stream_from(rx));
    ([(header::CONTENT_TYPE, "application/x-ndjson")], body).into_response()
}

fn tokio_stream_from(
    mut rx: tokio::sync::mpsc::Receiver<Result<String, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<String, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

async fn generate(
    State(script): State<Arc<Mutex<Script>>>,
    Json(body): Json<serde_json::Value>,
) -> Response {
    let reply = {
        let Ok(mut s) = script.lock() else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        s.prompts
            .push(body["prompt"].as_str().unwrap_or_default().to_owned());
        s.formats.push(body.get("format").cloned());
        let i = s.next.min(s.replies.len().saturating_sub(1));
        s.next += 1;
        s.replies.get(i).cloned()
    };
    let prompt = body["prompt"].as_str().unwrap_or_default();
    let mut reply = reply;
    while let Some(Reply::Route {
        needle,
        then,
        otherwise,
    }) = reply
    {
        reply = Some(if prompt.contains(&needle) {
            *then
        } else {
            *otherwise
        });
    }
    match reply {
        Some(Reply::Route { .. }) | None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Some(Reply::Stream { chunks, gap }) => stream(chunks, gap, Duration::ZERO),
        Some(Reply::Answer(text)) => stream(vec![text], Duration::ZERO, Duration::ZERO),
        Some(Reply::Slow { wait, chunks }) => stream(chunks, Duration::from_millis(5), wait),
        Some(Reply::Status(code, message)) => (
            StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            Json(serde_json::json!({ "error": message })),
        )
            .into_response(),
        Some(Reply::ModelMissing) => (
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({ "error": "model 'llama3.1:8b' not found, try pulling it first" })),
        )
            .into_response(),
        Some(Reply::Malformed) => (
            [(header::CONTENT_TYPE, "application/x-ndjson")],
            "{not json\n<html>oops</html>\n",
        )
            .into_response(),
    }
}

/// `GET /api/version`, which workers probe to see the service is up.
async fn version() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({ "version": "0.0.0-fake" }))
}
