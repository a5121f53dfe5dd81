//! Parts of an answer written as JSON by their resolver, for transports
//! that serialise the answer themselves (GraphQL over HTTP).
//!
//! async-graphql answers with a `Value` tree that the transport then
//! serialises and drops. For a 50-entry page that tree is most of the
//! server's work: building it (an `IndexMap` per object, a `String` per
//! value) 24 % of the page's instructions, serialising it 22 %, dropping
//! it ~19 % (callgrind, issue 18). A resolver that knows its answer's shape
//! can write the JSON directly instead ([`crate::entries::listed_json`]);
//! what it returns in the tree is a placeholder, a `Value::Binary` that
//! starts with this process's secret, and [`to_vec`] writes the JSON in
//! its place.
//!
//! Why a placeholder and not async-graphql-value's `raw_value` feature (an
//! object holding the JSON as a string): that feature copies every piece
//! and parses it again to check it, on every answer. A placeholder costs
//! nothing to splice, and no client can forge one: a `Value::Binary` comes
//! only from a resolver (the schema has no scalar that answers bytes a
//! client sent), and without the secret it is written as async-graphql
//! writes bytes.
//!
//! A resolver writes JSON only when the request carries [`RawJson`], which
//! only the HTTP transport adds: the WebSocket transport, the MCP tools and
//! tests executing the schema directly read the tree, and get a plain one.

use async_graphql::{Response, Value};
use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};
use std::io::{self, Write};
use std::sync::LazyLock;

/// Bytes reserved for an answer's body up front.
const BODY_CAPACITY: usize = 32 * 1024;

/// Random for each process: a placeholder is recognised by it.
static SECRET: LazyLock<[u8; 16]> = LazyLock::new(|| uuid::Uuid::new_v4().into_bytes());

/// Request data: the transport will write the answer with [`to_vec`], so
/// resolvers may answer with [`RawJson::finish`]ed pieces.
#[derive(Clone, Copy, Default)]
pub struct RawJson;

impl RawJson {
    /// A buffer to write one value's JSON into, then hand to
    /// [`RawJson::finish`].
    pub fn buffer(&self, capacity: usize) -> Vec<u8> {
        let mut buffer = Vec::with_capacity(SECRET.len() + capacity);
        buffer.extend_from_slice(&*SECRET);
        buffer
    }

    /// The placeholder standing for the JSON written into `buffer` (which
    /// must be one complete JSON value).
    pub fn finish(&self, buffer: Vec<u8>) -> Value {
        Value::Binary(buffer.into())
    }
}

/// The answer as JSON, each placeholder replaced by the JSON it stands for.
pub fn to_vec(response: &Response) -> serde_json::Result<Vec<u8>> {
    // A 50-entry page is ~25 KB: grown from less, the body is copied
    // three or four times.
    let mut body = Vec::with_capacity(BODY_CAPACITY);
    let mut serializer = serde_json::Serializer::with_formatter(&mut body, Splicing);
    response.serialize(&mut serializer)?;
    Ok(body)
}

/// serde_json's compact output, except for placeholders.
struct Splicing;

impl Formatter for Splicing {
    fn write_byte_array<W>(&mut self, writer: &mut W, value: &[u8]) -> io::Result<()>
    where
        W: ?Sized + Write,
    {
        match value.strip_prefix(&*SECRET) {
            Some(json) => writer.write_all(json),
            None => CompactFormatter.write_byte_array(writer, value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::{Name, indexmap::IndexMap};

    fn object(entries: Vec<(&str, Value)>) -> Value {
        Value::Object(
            entries
                .into_iter()
                .map(|(key, value)| (Name::new(key), value))
                .collect::<IndexMap<_, _>>(),
        )
    }

    #[test]
    fn a_piece_is_written_in_place_of_its_placeholder() {
        let mut piece = RawJson.buffer(16);
        piece.extend_from_slice(br#"[{"a":1},"x"]"#);
        let response = Response::new(object(vec![
            ("before", Value::from("b")),
            ("page", RawJson.finish(piece)),
            ("after", Value::from(2)),
        ]));
        let body = to_vec(&response).unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"data":{"before":"b","page":[{"a":1},"x"],"after":2}}"#
        );
    }

    #[test]
    fn bytes_without_the_secret_are_written_as_async_graphql_writes_them() {
        let response = Response::new(object(vec![(
            "bytes",
            Value::Binary(b"[1]".to_vec().into()),
        )]));
        assert_eq!(
            to_vec(&response).unwrap(),
            serde_json::to_vec(&response).unwrap()
        );
        assert_eq!(
            String::from_utf8(to_vec(&response).unwrap()).unwrap(),
            r#"{"data":{"bytes":[91,49,93]}}"#
        );
    }

    #[test]
    fn an_answer_without_placeholders_is_serde_jsons() {
        let mut response = Response::new(object(vec![
            ("text", Value::from("quote \" and \u{1}")),
            ("list", Value::List(vec![Value::Null, Value::from(true)])),
        ]));
        response
            .errors
            .push(async_graphql::ServerError::new("no", None));
        assert_eq!(
            to_vec(&response).unwrap(),
            serde_json::to_vec(&response).unwrap()
        );
    }
}
