//! Opaque keyset cursors for the newest-first entry list: the position is
//! `(start_time, id)` of the last entry seen, so pages stay stable while new
//! entries arrive.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// `v1|` + at most 20 digits and a sign + `|` + 36: at most 61 bytes.
const TEXT_MAX: usize = 64;
/// Their base64, without padding.
const ENCODED_MAX: usize = TEXT_MAX.div_ceil(3) * 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryCursor {
    pub start_time: DateTime<Utc>,
    pub id: Uuid,
}

impl EntryCursor {
    /// `v1|<start, µs since the epoch>|<id>`, in URL-safe base64. Written
    /// into a stack buffer rather than with `format!`: a page encodes one
    /// per entry, and the formatting machinery showed in the list's profile
    /// (issue 18).
    pub fn encode(&self) -> String {
        let mut encoded = [0u8; ENCODED_MAX];
        let len = self.encode_into(&mut encoded);
        // Base64 is ASCII.
        String::from_utf8_lossy(&encoded[..len]).into_owned()
    }

    /// Appends the cursor to `out` as a JSON string: what `encode` answers,
    /// quoted, without a `String` of its own nor an escape check (base64's
    /// URL-safe alphabet needs no escaping). A page writes one per entry.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let mut encoded = [0u8; ENCODED_MAX];
        let len = self.encode_into(&mut encoded);
        out.push(b'"');
        out.extend_from_slice(&encoded[..len]);
        out.push(b'"');
    }

    /// Writes the cursor into `encoded`; answers its length.
    fn encode_into(&self, encoded: &mut [u8; ENCODED_MAX]) -> usize {
        let mut micros = itoa::Buffer::new();
        let mut id = Uuid::encode_buffer();
        let parts: [&[u8]; 4] = [
            b"v1|",
            micros.format(self.start_time.timestamp_micros()).as_bytes(),
            b"|",
            self.id.hyphenated().encode_lower(&mut id).as_bytes(),
        ];
        let mut text = [0u8; TEXT_MAX];
        let mut len = 0;
        for part in parts {
            text[len..len + part.len()].copy_from_slice(part);
            len += part.len();
        }
        URL_SAFE_NO_PAD
            .encode_slice(&text[..len], encoded)
            .expect("ENCODED_MAX holds the base64 of TEXT_MAX bytes")
    }

    /// `None` for anything this server did not produce.
    pub fn decode(text: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let mut parts = text.split('|');
        if parts.next()? != "v1" {
            return None;
        }
        let micros: i64 = parts.next()?.parse().ok()?;
        let id: Uuid = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Some(Self {
            start_time: DateTime::from_timestamp_micros(micros)?,
            id,
        })
    }
}

/// A page's edges hold their cursor as such; async-graphql's generic
/// resolver writes it with `encode`, the raw JSON page with `write_json`.
impl async_graphql::connection::CursorType for EntryCursor {
    type Error = &'static str;

    fn decode_cursor(text: &str) -> Result<Self, Self::Error> {
        Self::decode(text).ok_or("not a cursor from this list")
    }

    fn encode_cursor(&self) -> String {
        self.encode()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let c = EntryCursor {
            start_time: DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap(),
            id: Uuid::now_v7(),
        };
        assert_eq!(EntryCursor::decode(&c.encode()), Some(c));
        // Cursors handed out by earlier versions stay valid and equal.
        let before =
            URL_SAFE_NO_PAD.encode(format!("v1|{}|{}", c.start_time.timestamp_micros(), c.id));
        assert_eq!(c.encode(), before);
        let earliest = EntryCursor {
            start_time: DateTime::<Utc>::MIN_UTC,
            id: Uuid::max(),
        };
        assert_eq!(EntryCursor::decode(&earliest.encode()), Some(earliest));
        for cursor in [c, earliest] {
            let mut json = Vec::new();
            cursor.write_json(&mut json);
            assert_eq!(
                json,
                serde_json::to_vec(&cursor.encode()).unwrap(),
                "written as its JSON string"
            );
        }
        assert_eq!(EntryCursor::decode("not-a-cursor"), None);
        assert_eq!(EntryCursor::decode(&URL_SAFE_NO_PAD.encode("v1|x|y")), None);
        assert_eq!(EntryCursor::decode(""), None);
    }
}
