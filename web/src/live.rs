//! A small `graphql-transport-ws` client for one subscription: a report's
//! updates (`insightUpdates`) on `/graphql/ws`, authenticated in
//! `connection_init` (browsers cannot set headers on a WebSocket).

use std::cell::RefCell;
use std::rc::Rc;

use dioxus::core::{Runtime, RuntimeGuard};
use graphql_client::GraphQLQuery;
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{MessageEvent, WebSocket};

use crate::api::ops::{InsightUpdates, insight_updates};
use crate::components::ReportDetails;
use crate::markdown::Cite;

/// What the subscription reports.
#[derive(Clone, PartialEq)]
pub enum LiveEvent {
    Update {
        status: String,
        delta: Option<String>,
        error: Option<String>,
        /// The whole report (first and final updates).
        content: Option<String>,
        citations: Option<Vec<Cite>>,
        /// With the whole report: the gate's warnings and how it was made.
        warnings: Option<Vec<String>>,
        details: Option<ReportDetails>,
    },
    /// The server refused the connection or the subscription.
    Failed(String),
    /// The stream ended (report finished or connection closed).
    Closed,
}

/// An open subscription; dropping it closes the socket.
pub struct LiveSocket {
    socket: WebSocket,
    _callbacks: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

impl Drop for LiveSocket {
    fn drop(&mut self) {
        self.socket.set_onmessage(None);
        self.socket.set_onclose(None);
        let _ = self.socket.close();
    }
}

/// Subscribes to the updates of report `id`; `on_event` runs inside the
/// Dioxus runtime (it may write signals) in the caller's scope.
pub fn follow_insight(
    token: String,
    id: String,
    on_event: impl FnMut(LiveEvent) + 'static,
) -> Result<LiveSocket, String> {
    let location = web_sys::window().ok_or("no window")?.location();
    let scheme = match location.protocol().as_deref() {
        Ok("https:") => "wss",
        _ => "ws",
    };
    let host = location.host().map_err(|_| "no host")?;
    let socket = WebSocket::new_with_str(
        &format!("{scheme}://{host}/graphql/ws"),
        "graphql-transport-ws",
    )
    .map_err(|_| "The browser could not open a WebSocket.".to_owned())?;

    let runtime = Runtime::current();
    let scope = runtime.current_scope_id();
    let handler = Rc::new(RefCell::new(on_event));
    let emit = move |event: LiveEvent| {
        let _guard = RuntimeGuard::new(runtime.clone());
        let handler = handler.clone();
        runtime.in_scope(scope, move || (handler.borrow_mut())(event));
    };
    let emit = Rc::new(emit);

    let on_open = {
        let socket = socket.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let init = json!({ "type": "connection_init", "payload": { "token": token } });
            let _ = socket.send_with_str(&init.to_string());
        })
    };
    let on_message = {
        let (socket, emit) = (socket.clone(), emit.clone());
        Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let Some(text) = event
                .dyn_ref::<MessageEvent>()
                .and_then(|m| m.data().as_string())
            else {
                return;
            };
            let Ok(message) = serde_json::from_str::<Value>(&text) else {
                return;
            };
            match message["type"].as_str() {
                Some("connection_ack") => {
                    let query =
                        InsightUpdates::build_query(insight_updates::Variables { id: id.clone() });
                    let subscribe = json!({ "id": "1", "type": "subscribe", "payload": query });
                    let _ = socket.send_with_str(&subscribe.to_string());
                }
                Some("ping") => {
                    let _ = socket.send_with_str(r#"{"type":"pong"}"#);
                }
                Some("next") => emit(parse_next(&message["payload"])),
                Some("error") => emit(LiveEvent::Failed(error_text(&message["payload"]))),
                Some("complete") => emit(LiveEvent::Closed),
                _ => {}
            }
        })
    };
    let on_close = {
        let emit = emit.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| emit(LiveEvent::Closed))
    };
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    Ok(LiveSocket {
        socket,
        _callbacks: vec![on_open, on_message, on_close],
    })
}

fn parse_next(payload: &Value) -> LiveEvent {
    if let Some(errors) = payload.get("errors").filter(|e| !e.is_null()) {
        return LiveEvent::Failed(error_text(errors));
    }
    let data = payload
        .get("data")
        .cloned()
        .and_then(|d| crate::api::decode::from_value::<insight_updates::ResponseData>(d).ok());
    let Some(data) = data else {
        return LiveEvent::Failed("An update could not be read.".into());
    };
    let update = data.insight_updates;
    let (content, citations, warnings, details) = match update.insight {
        Some(insight) => (
            insight.content.clone(),
            Some(
                insight
                    .citations
                    .iter()
                    .map(|c| Cite {
                        statement: c.statement.clone(),
                        entry_ids: c.entry_ids.clone(),
                    })
                    .collect(),
            ),
            Some(insight.warnings.clone()),
            Some(ReportDetails::from(&insight)),
        ),
        None => (None, None, None, None),
    };
    LiveEvent::Update {
        status: crate::format::enum_name(&update.status),
        delta: update.delta,
        error: update.error,
        content,
        citations,
        warnings,
        details,
    }
}

fn error_text(errors: &Value) -> String {
    errors
        .as_array()
        .and_then(|list| list.first())
        .and_then(|e| e["message"].as_str())
        .unwrap_or("The live updates stopped.")
        .to_owned()
}
