//! Opaque keyset cursors for the newest-first entry list: the position is
//! `(start_time, id)` of the last entry seen, so pages stay stable while new
//! entries arrive.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryCursor {
    pub start_time: DateTime<Utc>,
    pub id: Uuid,
}

impl EntryCursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!(
            "v1|{}|{}",
            self.start_time.timestamp_micros(),
            self.id
        ))
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
        assert_eq!(EntryCursor::decode("not-a-cursor"), None);
        assert_eq!(EntryCursor::decode(&URL_SAFE_NO_PAD.encode("v1|x|y")), None);
        assert_eq!(EntryCursor::decode(""), None);
    }
}
