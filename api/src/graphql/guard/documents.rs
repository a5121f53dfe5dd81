//! Parsed documents by their text: a small, bounded LRU shared by every
//! request of the instance. A document is stored only after it passed the
//! text and shape checks, and those depend on the text alone, so a hit
//! needs neither again; the operation to run and the caller's rights are
//! still checked per request.
//!
//! Measured on the 50-entry list (docs/PERFORMANCE.md, issue 18): a hit
//! clones the syntax tree instead of scanning, parsing and walking it.

use async_graphql::parser::types::ExecutableDocument;
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// Documents kept. Clients send a few dozen distinct documents (the web
/// app, the CLI, MCP tools), so this many hold them all.
const CAPACITY: usize = 64;
/// Longer documents are parsed every time: the bound keeps the cache at a
/// few MB whatever clients send (a syntax tree takes ~10× its text).
const MAX_CACHED_BYTES: usize = 8 * 1024;

pub struct DocumentCache(Mutex<LruCache<String, Arc<ExecutableDocument>>>);

impl Default for DocumentCache {
    fn default() -> Self {
        Self(Mutex::new(LruCache::new(
            NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN),
        )))
    }
}

impl DocumentCache {
    /// A copy of the document parsed from `query`, if it is kept.
    pub fn get(&self, query: &str) -> Option<ExecutableDocument> {
        if query.len() > MAX_CACHED_BYTES {
            return None;
        }
        let found = self.0.lock().ok()?.get(query).cloned()?;
        // Cloned outside the lock.
        Some(ExecutableDocument::clone(&found))
    }

    /// Keeps `document`, parsed from `query` and checked.
    pub fn put(&self, query: &str, document: &ExecutableDocument) {
        if query.len() > MAX_CACHED_BYTES {
            return;
        }
        let document = Arc::new(document.clone());
        if let Ok(mut cache) = self.0.lock() {
            cache.put(query.to_owned(), document);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    #[test]
    fn documents_are_kept_by_text_and_bounded() {
        let cache = DocumentCache::default();
        let query = "{ a }";
        assert!(cache.get(query).is_none());
        cache.put(query, &parse_query(query).unwrap());
        assert!(cache.get(query).is_some());
        assert!(cache.get("{ b }").is_none());
        for i in 0..CAPACITY {
            let other = format!("{{ f{i} }}");
            cache.put(&other, &parse_query(&other).unwrap());
        }
        assert!(cache.get(query).is_none(), "the oldest document is dropped");
        let long = format!("{{ a{} }}", " ".repeat(MAX_CACHED_BYTES));
        cache.put(&long, &parse_query(&long).unwrap());
        assert!(cache.get(&long).is_none(), "long documents are not kept");
    }
}
