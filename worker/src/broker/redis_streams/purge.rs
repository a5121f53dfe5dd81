//! GDPR erasure in Redis: every value under the broker's prefix that
//! mentions a user goes, whatever the key's type — stream entries (jobs,
//! events, dead letters; acknowledged in every consumer group first, so no
//! pending reference is left), sorted-set members (delayed retries), hash
//! fields, list and set members, strings — and any key whose very name
//! mentions them. Keys are walked with SCAN, so keys added later under the
//! prefix are covered without changes here.

use redis::aio::ConnectionManager;
use redis::streams::{StreamInfoGroupsReply, StreamRangeReply};
use redis::{AsyncCommands, Value};
use uuid::Uuid;

use super::RedisBroker;
use crate::broker::BrokerResult;

const BATCH: usize = 200;

fn mentions(bytes: &[u8], needles: &[String]) -> bool {
    needles
        .iter()
        .any(|n| bytes.windows(n.len()).any(|w| w == n.as_bytes()))
}

fn value_mentions(value: &Value, needles: &[String]) -> bool {
    match value {
        Value::BulkString(bytes) => mentions(bytes, needles),
        Value::SimpleString(s) => mentions(s.as_bytes(), needles),
        Value::Array(items) | Value::Set(items) => items.iter().any(|v| value_mentions(v, needles)),
        _ => false,
    }
}

/// Walks a `*SCAN` command to its end, returning every element.
async fn scan_all(
    conn: &mut ConnectionManager,
    command: &str,
    key: &str,
) -> BrokerResult<Vec<Vec<u8>>> {
    let mut cursor: u64 = 0;
    let mut out = Vec::new();
    loop {
        let (next, items): (u64, Vec<Vec<u8>>) = redis::cmd(command)
            .arg(key)
            .arg(cursor)
            .arg("COUNT")
            .arg(BATCH)
            .query_async(conn)
            .await?;
        out.extend(items);
        if next == 0 {
            return Ok(out);
        }
        cursor = next;
    }
}

impl RedisBroker {
    pub async fn purge_user(&self, user_id: Uuid) -> BrokerResult<u64> {
        let needles = [
            user_id.hyphenated().to_string(),
            user_id.simple().to_string(),
        ];
        let mut conn = self.conn.clone();
        let pattern = format!("{}:*", self.prefix);
        let mut cursor: u64 = 0;
        let mut removed = 0;
        loop {
            let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(BATCH)
                .query_async(&mut conn)
                .await?;
            for key in keys {
                removed += purge_key(&mut conn, &key, &needles).await?;
            }
            if next == 0 {
                return Ok(removed);
            }
            cursor = next;
        }
    }
}

async fn purge_key(
    conn: &mut ConnectionManager,
    key: &str,
    needles: &[String],
) -> BrokerResult<u64> {
    if mentions(key.as_bytes(), needles) {
        let deleted: u64 = conn.del(key).await?;
        return Ok(deleted);
    }
    let kind: String = redis::cmd("TYPE").arg(key).query_async(conn).await?;
    match kind.as_str() {
        "stream" => purge_stream(conn, key, needles).await,
        "zset" => {
            // ZSCAN answers member, score, member, score…
            let items = scan_all(conn, "ZSCAN", key).await?;
            let doomed: Vec<&Vec<u8>> = items
                .chunks(2)
                .filter_map(|pair| pair.first())
                .filter(|m| mentions(m, needles))
                .collect();
            if doomed.is_empty() {
                return Ok(0);
            }
            Ok(conn.zrem(key, doomed).await?)
        }
        "hash" => {
            let items = scan_all(conn, "HSCAN", key).await?;
            let doomed: Vec<&Vec<u8>> = items
                .chunks(2)
                .filter(|pair| pair.iter().any(|part| mentions(part, needles)))
                .filter_map(|pair| pair.first())
                .collect();
            if doomed.is_empty() {
                return Ok(0);
            }
            Ok(conn.hdel(key, doomed).await?)
        }
        "set" => {
            let items = scan_all(conn, "SSCAN", key).await?;
            let doomed: Vec<&Vec<u8>> = items.iter().filter(|m| mentions(m, needles)).collect();
            if doomed.is_empty() {
                return Ok(0);
            }
            Ok(conn.srem(key, doomed).await?)
        }
        "list" => {
            let items: Vec<Vec<u8>> = conn.lrange(key, 0, -1).await?;
            let mut removed = 0;
            for item in items.iter().filter(|m| mentions(m, needles)) {
                let n: u64 = conn.lrem(key, 0, item).await?;
                removed += n;
            }
            Ok(removed)
        }
        "string" => {
            let value: Option<Vec<u8>> = conn.get(key).await?;
            if value.is_some_and(|v| mentions(&v, needles)) {
                Ok(conn.del(key).await?)
            } else {
                Ok(0)
            }
        }
        _ => Ok(0),
    }
}

/// Deletes the stream entries mentioning the user, acknowledging them in
/// every consumer group first so none stays pending.
async fn purge_stream(
    conn: &mut ConnectionManager,
    key: &str,
    needles: &[String],
) -> BrokerResult<u64> {
    let mut doomed: Vec<String> = Vec::new();
    let mut start = "-".to_owned();
    loop {
        let page: StreamRangeReply = conn.xrange_count(key, &start, "+", BATCH).await?;
        let Some(last) = page.ids.last().map(|e| e.id.clone()) else {
            break;
        };
        let full = page.ids.len() == BATCH;
        doomed.extend(
            page.ids
                .into_iter()
                .filter(|e| e.map.values().any(|v| value_mentions(v, needles)))
                .map(|e| e.id),
        );
        if !full {
            break;
        }
        // Exclusive start: the next page begins after the last id seen.
        start = format!("({last}");
    }
    if doomed.is_empty() {
        return Ok(0);
    }
    let groups: StreamInfoGroupsReply = conn.xinfo_groups(key).await?;
    for group in groups.groups {
        let _: u64 = conn.xack(key, &group.name, &doomed).await?;
    }
    Ok(conn.xdel(key, &doomed).await?)
}
