//! Automatic persisted queries (the Apollo APQ protocol that Apollo Client,
//! urql and others speak): a client sends the SHA-256 of its document
//! instead of the document; on a miss (`PersistedQueryNotFound`) it sends
//! both once, and the document is kept under its hash. Hash-only `GET`s can
//! then be served by HTTP caches.
//!
//! Documents are stored as text and pass the document guard like any
//! other, so a stored document is never trusted more than a sent one. The
//! store is bounded: an LRU of `persisted_queries_capacity` documents per
//! instance, or Redis keys with a time to live when Redis is configured
//! (so every instance knows what one has learned).

use async_graphql::{ServerError, Value};

use crate::graphql::response::coded_error;
use lru::LruCache;
use sha2::{Digest, Sha256};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::OnceCell;

/// `extensions.code` of a hash the store does not know: the client then
/// sends the document with its hash.
pub const NOT_FOUND_CODE: &str = "PERSISTED_QUERY_NOT_FOUND";
/// `extensions.code` when persisted queries are turned off.
pub const NOT_SUPPORTED_CODE: &str = "PERSISTED_QUERY_NOT_SUPPORTED";

/// A Redis call must not hold a request up: past this, the store answers
/// "unknown" and the client sends its document.
const REDIS_TIMEOUT: Duration = Duration::from_millis(500);

#[derive(Clone)]
pub enum PersistedQueries {
    Off,
    Memory(Arc<Mutex<LruCache<String, Arc<str>>>>),
    Redis(Arc<RedisStore>),
}

pub struct RedisStore {
    client: redis::Client,
    connection: OnceCell<redis::aio::MultiplexedConnection>,
    prefix: String,
    ttl: Duration,
}

/// What a request's `persistedQuery` extension asks for.
pub enum Lookup {
    /// A hash only: the stored document, or `PersistedQueryNotFound`.
    Load(String),
    /// A document and its hash (checked): store it once it passes the guard.
    Store(String),
}

impl PersistedQueries {
    pub fn memory(capacity: usize) -> Self {
        match NonZeroUsize::new(capacity) {
            Some(capacity) => Self::Memory(Arc::new(Mutex::new(LruCache::new(capacity)))),
            None => Self::Off,
        }
    }

    pub fn redis(client: redis::Client, prefix: &str, ttl: Duration) -> Self {
        Self::Redis(Arc::new(RedisStore {
            client,
            connection: OnceCell::new(),
            prefix: format!("{prefix}:apq:"),
            ttl,
        }))
    }

    /// Reads the `persistedQuery` extension: `{ version: 1, sha256Hash }`.
    pub fn lookup(&self, extension: &Value, query: &str) -> Result<Lookup, ServerError> {
        if matches!(self, Self::Off) {
            return Err(coded_error(
                "PersistedQueryNotSupported".to_owned(),
                NOT_SUPPORTED_CODE,
            ));
        }
        let invalid = || {
            coded_error(
                "The persistedQuery extension must be { \"version\": 1, \"sha256Hash\": \"<64 hex digits>\" }."
                    .to_owned(),
                "VALIDATION",
            )
        };
        let Value::Object(fields) = extension else {
            return Err(invalid());
        };
        let version = fields.get("version");
        if version != Some(&Value::from(1)) {
            return Err(invalid());
        }
        let Some(Value::String(hash)) = fields.get("sha256Hash") else {
            return Err(invalid());
        };
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid());
        }
        let hash = hash.to_ascii_lowercase();
        if query.is_empty() {
            return Ok(Lookup::Load(hash));
        }
        if format!("{:x}", Sha256::digest(query.as_bytes())) != hash {
            return Err(coded_error(
                "The persistedQuery sha256Hash does not match the query.".to_owned(),
                "VALIDATION",
            ));
        }
        Ok(Lookup::Store(hash))
    }

    pub async fn get(&self, hash: &str) -> Option<Arc<str>> {
        match self {
            Self::Off => None,
            Self::Memory(cache) => cache.lock().ok()?.get(hash).cloned(),
            Self::Redis(store) => match store.get(hash).await {
                Ok(found) => found.map(Arc::from),
                Err(err) => {
                    tracing::warn!(error = %err, "persisted query lookup in Redis failed");
                    None
                }
            },
        }
    }

    pub async fn put(&self, hash: String, query: &str) {
        match self {
            Self::Off => {}
            Self::Memory(cache) => {
                if let Ok(mut cache) = cache.lock() {
                    cache.put(hash, Arc::from(query));
                }
            }
            Self::Redis(store) => {
                if let Err(err) = store.put(&hash, query).await {
                    tracing::warn!(error = %err, "storing a persisted query in Redis failed");
                }
            }
        }
    }
}

impl RedisStore {
    async fn connection(&self) -> anyhow::Result<redis::aio::MultiplexedConnection> {
        let connection = self
            .connection
            .get_or_try_init(|| self.client.get_multiplexed_async_connection())
            .await?;
        Ok(connection.clone())
    }

    async fn get(&self, hash: &str) -> anyhow::Result<Option<String>> {
        let work = async {
            let mut connection = self.connection().await?;
            let found: Option<String> = redis::cmd("GET")
                .arg(format!("{}{hash}", self.prefix))
                .query_async(&mut connection)
                .await?;
            anyhow::Ok(found)
        };
        tokio::time::timeout(REDIS_TIMEOUT, work).await?
    }

    async fn put(&self, hash: &str, query: &str) -> anyhow::Result<()> {
        let work = async {
            let mut connection = self.connection().await?;
            redis::cmd("SET")
                .arg(format!("{}{hash}", self.prefix))
                .arg(query)
                .arg("EX")
                .arg(self.ttl.as_secs().max(1))
                .query_async::<()>(&mut connection)
                .await?;
            anyhow::Ok(())
        };
        tokio::time::timeout(REDIS_TIMEOUT, work).await?
    }
}

/// The miss that tells a client to send its document.
pub fn not_found() -> ServerError {
    coded_error("PersistedQueryNotFound".to_owned(), NOT_FOUND_CODE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::value;

    const QUERY: &str = "{ __typename }";

    fn hash(query: &str) -> String {
        format!("{:x}", Sha256::digest(query.as_bytes()))
    }

    #[tokio::test]
    async fn a_document_sent_with_its_hash_is_found_by_the_hash() {
        let store = PersistedQueries::memory(2);
        let extension = value!({ "version": 1, "sha256Hash": hash(QUERY) });
        let Ok(Lookup::Load(wanted)) = store.lookup(&extension, "") else {
            panic!("a hash-only request loads");
        };
        assert!(store.get(&wanted).await.is_none(), "unknown at first");
        let Ok(Lookup::Store(key)) = store.lookup(&extension, QUERY) else {
            panic!("a request with its document stores it");
        };
        store.put(key, QUERY).await;
        assert_eq!(store.get(&wanted).await.as_deref(), Some(QUERY));
    }

    #[tokio::test]
    async fn the_store_keeps_only_the_most_recently_used() {
        let store = PersistedQueries::memory(2);
        for query in ["{ a }", "{ b }", "{ c }"] {
            store.put(hash(query), query).await;
        }
        assert!(store.get(&hash("{ a }")).await.is_none());
        assert!(store.get(&hash("{ c }")).await.is_some());
    }

    #[test]
    fn a_wrong_hash_or_version_is_refused() {
        let store = PersistedQueries::memory(2);
        let wrong = value!({ "version": 1, "sha256Hash": hash("{ other }") });
        assert!(store.lookup(&wrong, QUERY).is_err());
        let version = value!({ "version": 2, "sha256Hash": hash(QUERY) });
        assert!(store.lookup(&version, QUERY).is_err());
        let short = value!({ "version": 1, "sha256Hash": "abc" });
        assert!(store.lookup(&short, "").is_err());
        let off = PersistedQueries::Off;
        let extension = value!({ "version": 1, "sha256Hash": hash(QUERY) });
        assert!(off.lookup(&extension, "").is_err());
    }
}
