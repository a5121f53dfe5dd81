//! Parts of an answer written as JSON by their resolver, for transports
//! that serialise the answer themselves (GraphQL over HTTP).
//!
//! async-graphql answers with a `Value` tree that the transport then
//! serialises and drops. For a 50-entry page that tree is most of the
//! server's work: building it (an `IndexMap` per object, a `String` per
//! value) 24 % of the page's instructions, serialising it 22 %, dropping
//! it ~19 % (callgrind, issue 18). A resolver that knows its answer's shape
//! can write the JSON directly instead ([`crate::entries::listed_json`]):
//! it hands the JSON to the request's [`RawJson`], and what it returns in
//! the tree is a placeholder, a `Value::Binary` holding this process's
//! secret and the piece's number. [`to_chunks`] writes each piece in its
//! placeholder's place.
//!
//! Why a placeholder and not async-graphql-value's `raw_value` feature (an
//! object holding the JSON as a string): that feature copies every piece
//! and parses it again to check it, on every answer. A placeholder costs
//! nothing to splice, and no client can forge one: a `Value::Binary` comes
//! only from a resolver (the schema has no scalar that answers bytes a
//! client sent), and without the secret it is written as async-graphql
//! writes bytes.
//!
//! A large piece (a page's list) is not copied into the answer either: the
//! answer is a list of chunks, the piece one of them, which hyper writes
//! with the others by vectored writes (one, unless the answer has more
//! than 16 chunks or ~400 KB). Copying a 50-entry page's ~25 KB
//! into the body was 3.7 % of the server's time for the page (`perf`,
//! issue 18, sixteenth pass).
//!
//! A resolver writes JSON only when the request carries [`RawJson`], which
//! only the HTTP transport adds: the WebSocket transport, the MCP tools and
//! tests executing the schema directly read the tree, and get a plain one.

use async_graphql::{Response, Value};
use bytes::Bytes;
use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};
use std::io::{self, Write};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

/// Bytes reserved up front for what the answer holds besides large pieces
/// (an answer without pieces grows from there).
const BODY_CAPACITY: usize = 4 * 1024;

/// A piece at least this long is a chunk of its own; a shorter one (an
/// entry just created) is copied, which costs less than a chunk.
const CHUNK_MIN: usize = 2 * 1024;

/// Where a large piece goes in the serialised answer. Never anywhere else
/// in it: serde_json escapes every control character in a string, and a
/// piece copied in, being JSON, holds none outside one (`to_chunks`
/// checks).
const CHUNK_MARK: u8 = 0;

/// Random for each process: a placeholder is recognised by it.
static SECRET: LazyLock<[u8; 16]> = LazyLock::new(|| uuid::Uuid::new_v4().into_bytes());

/// Request data: the transport will write the answer with [`to_chunks`],
/// so resolvers may answer with [`RawJson::finish`]ed pieces. Clones share
/// the pieces: the transport keeps one to write the answer with.
#[derive(Clone, Default)]
pub struct RawJson {
    pieces: Arc<Mutex<Vec<Bytes>>>,
}

impl RawJson {
    /// The placeholder standing for the JSON written into `json` (which
    /// must be one complete JSON value, as serde_json writes it: no raw
    /// control character).
    pub fn finish(&self, json: Vec<u8>) -> Value {
        let mut pieces = self.pieces.lock().unwrap_or_else(PoisonError::into_inner);
        // Past u32::MAX (never: a request's pieces are a few) the number
        // names no piece, and writing the answer fails.
        let number = u32::try_from(pieces.len()).unwrap_or(u32::MAX);
        pieces.push(Bytes::from(json));
        let mut placeholder = [0; 20];
        placeholder[..16].copy_from_slice(&*SECRET);
        placeholder[16..].copy_from_slice(&number.to_le_bytes());
        Value::Binary(Bytes::copy_from_slice(&placeholder))
    }

    fn take_pieces(&self) -> Vec<Bytes> {
        std::mem::take(&mut *self.pieces.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// The answer as JSON, each placeholder replaced by the JSON it stands
/// for: the chunks to send one after the other. Once per request: it takes
/// the pieces out of `raw`.
///
/// Fails (the transport then answers an opaque internal error) rather
/// than send wrong bytes when a placeholder names no piece, or a piece
/// copied into the answer holds a raw NUL byte (taken for a mark, it would
/// put the large pieces out of place).
pub fn to_chunks(raw: &RawJson, response: &Response) -> serde_json::Result<Vec<Bytes>> {
    let pieces = raw.take_pieces();
    let mut spliced = Vec::new();
    let mut body = Vec::with_capacity(BODY_CAPACITY);
    let formatter = Splicing {
        pieces: &pieces,
        spliced: &mut spliced,
    };
    response.serialize(&mut serde_json::Serializer::with_formatter(
        &mut body, formatter,
    ))?;
    // Found in the few bytes around the large pieces, not in them.
    let marks: Vec<usize> = memchr::memchr_iter(CHUNK_MARK, &body).collect();
    if marks.len() != spliced.len() {
        return Err(serde::ser::Error::custom(format!(
            "{} NUL bytes in an answer with {} large pieces",
            marks.len(),
            spliced.len()
        )));
    }
    let body = Bytes::from(body);
    let mut chunks = Vec::with_capacity(2 * spliced.len() + 1);
    let mut from = 0;
    for (at, piece) in marks.into_iter().zip(spliced) {
        if at > from {
            chunks.push(body.slice(from..at));
        }
        chunks.push(pieces[piece].clone());
        from = at + 1;
    }
    if from < body.len() {
        chunks.push(body.slice(from..));
    }
    Ok(chunks)
}

/// The answer as one buffer.
#[cfg(test)]
fn to_vec(raw: &RawJson, response: &Response) -> serde_json::Result<Vec<u8>> {
    Ok(to_chunks(raw, response)?.concat())
}

/// serde_json's compact output, except for placeholders: a short piece is
/// written in place, a large one marked with [`CHUNK_MARK`] and its number
/// noted in `spliced`.
struct Splicing<'a> {
    pieces: &'a [Bytes],
    spliced: &'a mut Vec<usize>,
}

impl Splicing<'_> {
    /// The piece `value` stands for; `None` for bytes that are no
    /// placeholder; an error for a placeholder naming no piece, whose bytes
    /// (the secret) must not be sent.
    fn piece(&self, value: &[u8]) -> io::Result<Option<usize>> {
        let Some(number) = value.strip_prefix(&*SECRET) else {
            return Ok(None);
        };
        let number = <[u8; 4]>::try_from(number)
            .map(|number| u32::from_le_bytes(number) as usize)
            .ok()
            .filter(|&number| number < self.pieces.len());
        match number {
            Some(number) => Ok(Some(number)),
            None => Err(io::Error::other("a placeholder names no piece")),
        }
    }
}

impl Formatter for Splicing<'_> {
    fn write_byte_array<W>(&mut self, writer: &mut W, value: &[u8]) -> io::Result<()>
    where
        W: ?Sized + Write,
    {
        let Some(number) = self.piece(value)? else {
            return CompactFormatter.write_byte_array(writer, value);
        };
        let piece = &self.pieces[number];
        if piece.len() < CHUNK_MIN {
            return writer.write_all(piece);
        }
        self.spliced.push(number);
        writer.write_all(&[CHUNK_MARK])
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
        let raw = RawJson::default();
        let mut piece = Vec::with_capacity(16);
        piece.extend_from_slice(br#"[{"a":1},"x"]"#);
        let response = Response::new(object(vec![
            ("before", Value::from("b")),
            ("page", raw.finish(piece)),
            ("after", Value::from(2)),
        ]));
        let chunks = to_chunks(&raw, &response).unwrap();
        assert_eq!(chunks.len(), 1, "a short piece is copied into the answer");
        let body = chunks.concat();
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
        let raw = RawJson::default();
        assert_eq!(
            to_vec(&raw, &response).unwrap(),
            serde_json::to_vec(&response).unwrap()
        );
        assert_eq!(
            String::from_utf8(to_vec(&raw, &response).unwrap()).unwrap(),
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
            to_vec(&RawJson::default(), &response).unwrap(),
            serde_json::to_vec(&response).unwrap()
        );
    }

    #[test]
    fn an_answer_that_would_send_wrong_bytes_fails_instead() {
        // A placeholder from another request names no piece of this one:
        // its bytes (the secret) are not sent.
        let other = RawJson::default();
        let stray = other.finish(b"[1]".to_vec());
        let response = Response::new(object(vec![("page", stray)]));
        assert!(to_chunks(&RawJson::default(), &response).is_err());
        // A short piece holding a raw NUL byte (not JSON as serde_json
        // writes it) is copied into the answer, where it would be taken
        // for a mark.
        let raw = RawJson::default();
        let short = raw.finish(b"\"a\0b\"".to_vec());
        let mut long = b"\"a\0".to_vec();
        long.resize(CHUNK_MIN, b'b');
        long.push(b'"');
        let long = raw.finish(long);
        let response = Response::new(object(vec![("long", long), ("short", short)]));
        assert!(to_chunks(&raw, &response).is_err());
    }

    #[test]
    fn a_large_piece_is_a_chunk_of_its_own_not_a_copy() {
        let raw = RawJson::default();
        let long = format!(r#"["{}"]"#, "x".repeat(CHUNK_MIN));
        let mut first = Vec::with_capacity(long.len());
        first.extend_from_slice(long.as_bytes());
        let first_at = first.as_ptr();
        let mut second = Vec::with_capacity(long.len());
        second.extend_from_slice(long.as_bytes());
        let second_at = second.as_ptr();
        // Written in the answer in the other order than they were finished.
        let (first, second) = (raw.finish(first), raw.finish(second));
        let response = Response::new(object(vec![
            ("a", second),
            ("b", Value::from("quote \" and \u{0}")),
            ("c", first),
        ]));
        let chunks = to_chunks(&raw, &response).unwrap();
        let pieces: Vec<*const u8> = chunks
            .iter()
            .filter(|chunk| chunk.len() == long.len())
            .map(|chunk| chunk.as_ptr())
            .collect();
        assert_eq!(pieces, [second_at, first_at], "each piece sent as written");
        assert_eq!(
            String::from_utf8(chunks.concat()).unwrap(),
            format!(r#"{{"data":{{"a":{long},"b":"quote \" and \u0000","c":{long}}}}}"#)
        );
    }
}
