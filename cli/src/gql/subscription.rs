//! One GraphQL subscription over `graphql-transport-ws` at
//! `<server>/graphql/ws` (wss:// for https servers): `connection_init` with
//! `{"authorization": "Bearer <token>"}` (the key the server reads, case
//! insensitive), `subscribe`, then each `next` payload until `complete`.

use futures_util::{SinkExt, StreamExt};
use graphql_client::GraphQLQuery;
use serde_json::{Value, json};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::CliError;
use crate::error::from_graphql;

const PROTOCOL: &str = "graphql-transport-ws";
/// How long the server may take to accept the connection.
const HANDSHAKE: Duration = Duration::from_secs(15);

/// Why a subscription stopped early; the caller falls back to reading the
/// stored state.
#[derive(Debug)]
pub struct Dropped(pub String);

/// What the server sent next.
pub enum Event {
    /// A `next` payload's `data`.
    Data(Value),
    /// The server ended the subscription (`complete`).
    Complete,
}

pub struct Subscription {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    server: String,
}

impl Subscription {
    /// Connects, authenticates and subscribes to `Q`.
    pub async fn open<Q: GraphQLQuery>(
        server: &str,
        token: &str,
        variables: Q::Variables,
    ) -> Result<Self, Dropped> {
        let url = ws_url(server);
        let mut request = url
            .as_str()
            .into_client_request()
            .map_err(|e| Dropped(format!("bad WebSocket URL {url}: {e}")))?;
        request
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", HeaderValue::from_static(PROTOCOL));
        let connect = tokio_tungstenite::connect_async(request);
        let (socket, _) = tokio::time::timeout(HANDSHAKE, connect)
            .await
            .map_err(|_| Dropped(format!("{url} did not answer in time")))?
            .map_err(|e| Dropped(format!("cannot open {url}: {e}")))?;
        let mut sub = Self {
            socket,
            server: server.to_owned(),
        };
        let init = json!({
            "type": "connection_init",
            "payload": { "authorization": format!("Bearer {token}") },
        });
        sub.send(init).await?;
        tokio::time::timeout(HANDSHAKE, sub.until_ack())
            .await
            .map_err(|_| Dropped("the server did not acknowledge the connection".into()))??;
        let body = serde_json::to_value(Q::build_query(variables))
            .map_err(|e| Dropped(format!("cannot encode the subscription: {e}")))?;
        sub.send(json!({ "id": "1", "type": "subscribe", "payload": body }))
            .await?;
        Ok(sub)
    }

    /// The next event; `Ok(None)` when the socket closed without
    /// `complete`, `Err` for a GraphQL error the server answered with.
    pub async fn next(&mut self) -> Result<Option<Event>, CliError> {
        loop {
            let Some(Ok(message)) = self.socket.next().await else {
                return Ok(None);
            };
            let text = match message {
                Message::Text(t) => t.to_string(),
                Message::Close(_) => return Ok(None),
                _ => continue,
            };
            let Ok(msg) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            match msg["type"].as_str() {
                Some("next") => {
                    if let Some(e) = first_error(&msg["payload"]["errors"]) {
                        return Err(self.refused(e));
                    }
                    return Ok(Some(Event::Data(msg["payload"]["data"].clone())));
                }
                Some("error") => {
                    let e = first_error(&msg["payload"]).unwrap_or(&Value::Null);
                    return Err(self.refused(e));
                }
                Some("complete") => return Ok(Some(Event::Complete)),
                Some("ping") => {
                    let _ = self.send(json!({ "type": "pong" })).await;
                }
                _ => {}
            }
        }
    }

    fn refused(&self, error: &Value) -> CliError {
        let message = error["message"].as_str().unwrap_or("subscription refused");
        from_graphql(&self.server, error["extensions"]["code"].as_str(), message)
    }

    async fn until_ack(&mut self) -> Result<(), Dropped> {
        while let Some(message) = self.socket.next().await {
            let message = message.map_err(|e| Dropped(e.to_string()))?;
            if let Message::Close(frame) = message {
                let why = frame.map(|f| f.reason.to_string()).unwrap_or_default();
                return Err(Dropped(format!("the server closed the connection {why}")));
            }
            if let Message::Text(t) = message
                && serde_json::from_str::<Value>(&t).is_ok_and(|m| m["type"] == "connection_ack")
            {
                return Ok(());
            }
        }
        Err(Dropped(
            "the connection closed before it was acknowledged".into(),
        ))
    }

    async fn send(&mut self, message: Value) -> Result<(), Dropped> {
        self.socket
            .send(Message::Text(message.to_string().into()))
            .await
            .map_err(|e| Dropped(e.to_string()))
    }
}

fn first_error(errors: &Value) -> Option<&Value> {
    errors.as_array().and_then(|e| e.first())
}

/// `http://h/…` → `ws://h/…/graphql/ws`, `https` → `wss`.
fn ws_url(server: &str) -> String {
    let rest = server
        .strip_prefix("https://")
        .map(|r| format!("wss://{r}"))
        .or_else(|| server.strip_prefix("http://").map(|r| format!("ws://{r}")))
        .unwrap_or_else(|| server.to_owned());
    format!("{rest}/graphql/ws")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_socket_lives_beside_graphql() {
        assert_eq!(ws_url("https://e.example"), "wss://e.example/graphql/ws");
        assert_eq!(
            ws_url("http://127.0.0.1:8080/englog"),
            "ws://127.0.0.1:8080/englog/graphql/ws"
        );
    }
}
