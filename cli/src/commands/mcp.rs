//! `englog mcp --stdio`: a bridge for assistants that only start local
//! programs (Claude Desktop). Each JSON-RPC message read from stdin (one
//! per line) is POSTed to `<server>/mcp` with the stored token; each
//! message of the answer is written to stdout as one line. stdout carries
//! nothing else: notes go to stderr.
//!
//! Requests are forwarded concurrently (a slow tool call does not hold up
//! a `ping`), except `initialize`, whose answer names the protocol version
//! sent on every later request (`MCP-Protocol-Version`).

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::task::JoinSet;

use crate::config;
use crate::error::CliError;
use crate::sse;

/// Tool calls may read a lot (a year's summary); longer than GraphQL's.
const TIMEOUT: Duration = Duration::from_secs(300);
/// JSON-RPC: an error of the server (here: of the bridge or transport).
const SERVER_ERROR: i64 = -32000;
const PARSE_ERROR: i64 = -32700;

#[derive(Debug, clap::Args)]
pub struct McpArgs {
    /// Speak MCP over stdin/stdout (the only transport of the bridge).
    #[arg(long)]
    pub stdio: bool,
}

pub async fn run(a: McpArgs) -> Result<(), CliError> {
    if !a.stdio {
        return Err(CliError::usage(
            "use `englog mcp --stdio` (assistants that speak HTTP connect to <server>/mcp directly; see docs/MCP.md)",
        ));
    }
    let credentials = config::resolve()?;
    let http = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .user_agent(concat!("englog-cli/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| CliError::local(format!("cannot set up HTTP: {e}")))?;
    let bridge = Arc::new(Bridge {
        http,
        url: format!("{}/mcp", credentials.server),
        token: credentials.token,
        protocol: Mutex::default(),
        session: Mutex::default(),
        stdout: tokio::sync::Mutex::new(tokio::io::stdout()),
    });
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut in_flight = JoinSet::new();
    loop {
        let line = match lines.next_line().await {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(e) => {
                eprintln!("englog mcp: cannot read stdin: {e}");
                break;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let b = bridge.clone();
        if line.contains("\"initialize\"") {
            b.forward(line).await;
        } else {
            in_flight.spawn(async move { b.forward(line).await });
        }
    }
    // stdin closed: answer what is in flight, then end.
    while in_flight.join_next().await.is_some() {}
    Ok(())
}

struct Bridge {
    http: reqwest::Client,
    url: String,
    token: String,
    /// The version `initialize` negotiated.
    protocol: Mutex<Option<String>>,
    /// `Mcp-Session-Id`, if the server ever gives one.
    session: Mutex<Option<String>>,
    stdout: tokio::sync::Mutex<tokio::io::Stdout>,
}

impl Bridge {
    async fn forward(&self, line: String) {
        let message: Value = match serde_json::from_str(&line) {
            Ok(m) => m,
            Err(e) => {
                let err = error(Value::Null, PARSE_ERROR, &format!("not JSON: {e}"));
                return self.write(&[err]).await;
            }
        };
        // Only requests get answers; notifications and responses do not.
        let request_id = match (&message.get("method"), message.get("id")) {
            (Some(_), Some(id)) => Some(id.clone()),
            _ => None,
        };
        let is_initialize = message["method"] == "initialize";
        let answer = match self.post(&line, &message).await {
            Ok(messages) => messages,
            Err(reason) => match request_id {
                Some(id) => vec![error(id, SERVER_ERROR, &reason)],
                None => {
                    eprintln!("englog mcp: {reason}");
                    Vec::new()
                }
            },
        };
        if is_initialize {
            let version = answer
                .iter()
                .find_map(|m| m.pointer("/result/protocolVersion")?.as_str());
            if let (Some(v), Ok(mut slot)) = (version, self.protocol.lock()) {
                *slot = Some(v.to_owned());
            }
        }
        self.write(&answer).await;
    }

    /// The messages the server answered, or why there are none.
    async fn post(&self, body: &str, message: &Value) -> Result<Vec<Value>, String> {
        let mut request = self
            .http
            .post(&self.url)
            .bearer_auth(&self.token)
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, "application/json, text/event-stream")
            .body(body.to_owned());
        let negotiated = self.protocol.lock().ok().and_then(|p| p.clone());
        for (name, value) in mirrored_headers(message, negotiated) {
            request = request.header(name, value);
        }
        if let Some(s) = self.session.lock().ok().and_then(|s| s.clone()) {
            request = request.header("Mcp-Session-Id", s);
        }
        let response = request
            .send()
            .await
            .map_err(|e| crate::gql::client::unreachable(&self.url, &e).to_string())?;
        let status = response.status();
        if let Some(id) = response
            .headers()
            .get("mcp-session-id")
            .and_then(|v| v.to_str().ok())
            && let Ok(mut slot) = self.session.lock()
        {
            *slot = Some(id.to_owned());
        }
        if status == reqwest::StatusCode::UNAUTHORIZED {
            return Err(format!(
                "token rejected by {}: run `englog login` with a new API token",
                self.url
            ));
        }
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let text = response.text().await.map_err(|e| e.to_string())?;
        let messages = sse::messages(&content_type, &text);
        if status.is_success() || !messages.is_empty() {
            return Ok(messages);
        }
        let detail: String = text.trim().chars().take(200).collect();
        Err(format!("{} answered {status}: {detail}", self.url))
    }

    async fn write(&self, messages: &[Value]) {
        if messages.is_empty() {
            return;
        }
        let mut text = String::new();
        for m in messages {
            text.push_str(&m.to_string());
            text.push('\n');
        }
        let mut out = self.stdout.lock().await;
        let _ = out.write_all(text.as_bytes()).await;
        let _ = out.flush().await;
    }
}

/// The HTTP headers Streamable HTTP asks a client to mirror from the
/// message (what an HTTP client such as the official SDKs sends): the
/// protocol version (the request's own `_meta` one on 2026-07-28 and
/// later, else what `initialize` negotiated), `Mcp-Method`, and `Mcp-Name`
/// for the methods that name a tool, prompt or resource.
fn mirrored_headers(message: &Value, negotiated: Option<String>) -> Vec<(&'static str, String)> {
    let mut headers = Vec::new();
    let version = message
        .pointer("/params/_meta/io.modelcontextprotocol~1protocolVersion")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or(negotiated);
    if let Some(version) = version {
        headers.push(("MCP-Protocol-Version", version));
    }
    if let Some(method) = message["method"].as_str() {
        headers.push(("Mcp-Method", method.to_owned()));
        let named = match method {
            "tools/call" | "prompts/get" => message.pointer("/params/name"),
            "resources/read" => message.pointer("/params/uri"),
            _ => None,
        };
        // Only header-safe text is mirrored (visible ASCII).
        if let Some(name) = named.and_then(Value::as_str)
            && name.bytes().all(|b| (0x20..0x7f).contains(&b))
        {
            headers.push(("Mcp-Name", name.to_owned()));
        }
    }
    headers
}

fn error(id: Value, code: i64, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_mirror_the_message() {
        let call = json!({ "jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {
            "name": "search_entries", "arguments": {},
            "_meta": { "io.modelcontextprotocol/protocolVersion": "2026-07-28" } } });
        assert_eq!(
            mirrored_headers(&call, Some("2025-06-18".into())),
            [
                ("MCP-Protocol-Version", "2026-07-28".to_owned()),
                ("Mcp-Method", "tools/call".to_owned()),
                ("Mcp-Name", "search_entries".to_owned()),
            ]
        );
        let listed = json!({ "jsonrpc": "2.0", "id": 2, "method": "tools/list" });
        assert_eq!(
            mirrored_headers(&listed, Some("2025-06-18".into())),
            [
                ("MCP-Protocol-Version", "2025-06-18".to_owned()),
                ("Mcp-Method", "tools/list".to_owned()),
            ]
        );
    }
}
