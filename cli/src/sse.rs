//! The answer bodies of MCP's Streamable HTTP, as JSON-RPC messages: one
//! JSON document (`application/json`), or server-sent events whose `data`
//! lines each carry one message (`text/event-stream`).

use serde_json::Value;

/// The messages of a body; what is not JSON is skipped (SSE comments,
/// keep-alives, priming events with empty data).
pub fn messages(content_type: &str, body: &str) -> Vec<Value> {
    let raw: Vec<String> = if content_type.starts_with("text/event-stream") {
        event_data(body)
    } else {
        vec![body.to_owned()]
    };
    raw.iter()
        .filter_map(|d| serde_json::from_str::<Value>(d).ok())
        .flat_map(|v| match v {
            // A batch answer: one line per message.
            Value::Array(items) => items,
            one => vec![one],
        })
        .collect()
}

/// The `data` of each event: its `data:` lines joined by newlines, events
/// separated by a blank line.
fn event_data(body: &str) -> Vec<String> {
    let mut events = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in body.lines() {
        if line.is_empty() {
            if !current.is_empty() {
                events.push(current.join("\n"));
                current.clear();
            }
        } else if let Some(data) = line.strip_prefix("data:") {
            current.push(data.strip_prefix(' ').unwrap_or(data));
        }
    }
    if !current.is_empty() {
        events.push(current.join("\n"));
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_streams_give_one_message_per_event() {
        let body = ": keep-alive\n\nid: 1\ndata: \n\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\ndata: \"id\":1,\"result\":{}}\n\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\n";
        let got = messages("text/event-stream; charset=utf-8", body);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0]["id"], 1);
        assert_eq!(got[1]["method"], "notifications/progress");
    }

    #[test]
    fn json_bodies_are_one_message_or_a_batch() {
        assert_eq!(messages("application/json", "{\"id\":1}").len(), 1);
        assert_eq!(
            messages("application/json", "[{\"id\":1},{\"id\":2}]").len(),
            2
        );
        assert!(messages("application/json", "").is_empty());
    }
}
