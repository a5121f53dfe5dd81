//! A minimal `graphql-transport-ws` client for subscription tests.

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, http::HeaderValue};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub struct Subscription {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// Connects to `/graphql/ws` authenticated with `init` as the
/// `connection_init` payload; `Err` carries the close reason.
pub async fn connect(port: u16, init: Value) -> Result<Subscription, String> {
    let mut request = format!("ws://127.0.0.1:{port}/graphql/ws")
        .into_client_request()
        .map_err(|e| e.to_string())?;
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .map_err(|e| e.to_string())?;
    socket
        .send(Message::text(
            json!({ "type": "connection_init", "payload": init }).to_string(),
        ))
        .await
        .map_err(|e| e.to_string())?;
    loop {
        match tokio::time::timeout(Duration::from_secs(5), socket.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => {
                let msg: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
                if msg["type"] == "connection_ack" {
                    return Ok(Subscription { socket });
                }
            }
            Ok(Some(Ok(Message::Close(frame)))) => {
                return Err(frame.map(|f| f.reason.to_string()).unwrap_or_default());
            }
            Ok(Some(Ok(_))) => continue,
            Ok(Some(Err(e))) => return Err(e.to_string()),
            Ok(None) => return Err("closed".into()),
            Err(_) => return Err("no connection_ack".into()),
        }
    }
}

impl Subscription {
    /// The first `next` or `error` payload for operation `id`, skipping
    /// what arrives for other operations; `None` after `wait`.
    pub async fn answer_to(&mut self, id: &str, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let msg = self.next_message(deadline).await?;
            if msg["id"] != id {
                continue;
            }
            match msg["type"].as_str() {
                Some("next") => return Some(msg["payload"].clone()),
                Some("error") => return Some(json!({ "errors": msg["payload"] })),
                _ => {}
            }
        }
    }

    /// The next JSON message before `deadline`, answering pings on the way.
    async fn next_message(&mut self, deadline: tokio::time::Instant) -> Option<Value> {
        loop {
            let msg = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .ok()??;
            let Ok(Message::Text(text)) = msg else {
                continue;
            };
            let msg: Value = serde_json::from_str(&text).ok()?;
            if msg["type"] == "ping" {
                let _ = self
                    .socket
                    .send(Message::text(json!({ "type": "pong" }).to_string()))
                    .await;
                continue;
            }
            return Some(msg);
        }
    }

    /// Ends operation `id` from the client's side.
    pub async fn complete(&mut self, id: &str) {
        let msg = json!({ "id": id, "type": "complete" });
        self.socket
            .send(Message::text(msg.to_string()))
            .await
            .expect("send complete");
    }

    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        let msg = json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } });
        self.socket
            .send(Message::text(msg.to_string()))
            .await
            .expect("send subscribe");
    }

    /// The next `next` payload (`data` or `errors`), `None` on `complete` or
    /// after `wait` without one.
    pub async fn next(&mut self, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let msg = self.next_message(deadline).await?;
            match msg["type"].as_str() {
                Some("next") => return Some(msg["payload"].clone()),
                Some("error") => return Some(json!({ "errors": msg["payload"] })),
                Some("complete") => return None,
                _ => {}
            }
        }
    }

    /// Whether the server closes the socket within `wait`.
    pub async fn closed_within(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.socket.next()).await {
                Err(_) => return false,
                Ok(None) | Ok(Some(Err(_))) | Ok(Some(Ok(Message::Close(_)))) => return true,
                Ok(Some(Ok(_))) => continue,
            }
        }
    }
}
