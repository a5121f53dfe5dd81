//! async-graphql validates every request against the schema, a walk of the
//! document with every rule: ~5 % of a 50-entry list page's CPU in a
//! call-graph profile (issue 18), for a document the same client sent a
//! moment ago. Validation depends only on the schema (fixed for the
//! process), the document, the operation named and the variables, so its
//! result is kept per exact request text and reused.
//!
//! Only successes are kept: a refused request is validated again and gets
//! its errors afresh. Requests with long documents or variables are not
//! kept, which bounds the memory to a few hundred KB.

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextValidation,
};
use async_graphql::{Request, ServerError, ServerResult, ValidationResult};
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// Requests kept: clients repeat a few dozen documents, with variables
/// that repeat too (page sizes, filters, ids).
const CAPACITY: usize = 256;
/// Documents and variables longer than these are validated every time.
const MAX_DOCUMENT_BYTES: usize = 8 * 1024;
const MAX_VARIABLES_BYTES: usize = 1024;

/// The extension: one memo for the whole schema.
#[derive(Clone)]
pub struct ValidationMemo(Arc<Mutex<LruCache<String, ValidationResult>>>);

impl Default for ValidationMemo {
    fn default() -> Self {
        Self(Arc::new(Mutex::new(LruCache::new(
            NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN),
        ))))
    }
}

impl ExtensionFactory for ValidationMemo {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(OneRequest {
            memo: self.clone(),
            key: Mutex::new(None),
        })
    }
}

/// The extension's state for one request: the key of its request, known
/// once the request is prepared.
struct OneRequest {
    memo: ValidationMemo,
    key: Mutex<Option<String>>,
}

impl ValidationMemo {
    fn get(&self, key: &str) -> Option<ValidationResult> {
        self.0.lock().ok()?.get(key).copied()
    }

    fn put(&self, key: String, result: ValidationResult) {
        if let Ok(mut memo) = self.0.lock() {
            memo.put(key, result);
        }
    }
}

/// Document, operation name and variables (as JSON), or `None` when the
/// request is too long to keep.
fn key_of(request: &Request) -> Option<String> {
    if request.query.len() > MAX_DOCUMENT_BYTES {
        return None;
    }
    let variables = serde_json::to_string(&request.variables).ok()?;
    if variables.len() > MAX_VARIABLES_BYTES {
        return None;
    }
    let operation = request.operation_name.as_deref().unwrap_or_default();
    // NUL cannot occur in a GraphQL name, so the parts cannot run together.
    let mut key =
        String::with_capacity(request.query.len() + operation.len() + variables.len() + 2);
    key.push_str(&request.query);
    key.push('\0');
    key.push_str(operation);
    key.push('\0');
    key.push_str(&variables);
    Some(key)
}

#[async_graphql::async_trait::async_trait]
impl Extension for OneRequest {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let request = next.run(ctx, request).await?;
        if let Ok(mut key) = self.key.lock() {
            *key = key_of(&request);
        }
        Ok(request)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let key = self.key.lock().ok().and_then(|mut key| key.take());
        if let Some(found) = key.as_deref().and_then(|key| self.memo.get(key)) {
            return Ok(found);
        }
        let result = next.run(ctx).await?;
        if let Some(key) = key {
            self.memo.put(key, result);
        }
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema, Variables};
    use serde_json::json;

    struct Query;

    #[Object]
    impl Query {
        async fn double(&self, n: i32) -> i32 {
            n * 2
        }
    }

    fn schema(memo: &ValidationMemo) -> Schema<Query, EmptyMutation, EmptySubscription> {
        Schema::build(Query, EmptyMutation, EmptySubscription)
            .extension(memo.clone())
            .finish()
    }

    fn kept(memo: &ValidationMemo) -> usize {
        memo.0.lock().expect("memo").len()
    }

    fn with_n(n: serde_json::Value) -> Request {
        Request::new("query($n: Int!) { double(n: $n) }")
            .variables(Variables::from_json(json!({ "n": n })))
    }

    #[tokio::test]
    async fn a_valid_request_is_validated_once_and_answers_alike() {
        let memo = ValidationMemo::default();
        let schema = schema(&memo);
        let first = schema.execute("{ double(n: 2) }").await;
        assert_eq!(kept(&memo), 1);
        let again = schema.execute("{ double(n: 2) }").await;
        assert_eq!(first.data, again.data);
        assert_eq!(again.data, async_graphql::value!({ "double": 4 }));
        assert_eq!(kept(&memo), 1);
    }

    #[tokio::test]
    async fn refusals_are_never_kept_and_variables_are_part_of_the_key() {
        let memo = ValidationMemo::default();
        let schema = schema(&memo);
        for _ in 0..2 {
            let refused = schema.execute("{ double(n: \"x\") }").await;
            assert!(!refused.errors.is_empty());
            assert_eq!(kept(&memo), 0);
        }
        let good = schema.execute(with_n(json!(3))).await;
        assert_eq!(good.data, async_graphql::value!({ "double": 6 }));
        assert_eq!(kept(&memo), 1);
        // The same document with a variable of the wrong type is refused,
        // although the document alone was validated before.
        let bad = schema.execute(with_n(json!("x"))).await;
        assert!(!bad.errors.is_empty(), "{:?}", bad.data);
        let other = schema.execute(with_n(json!(5))).await;
        assert_eq!(other.data, async_graphql::value!({ "double": 10 }));
        assert_eq!(kept(&memo), 2);
    }

    #[test]
    fn long_requests_are_not_keyed() {
        let long = format!("{{ double(n: 1) }}{}", " ".repeat(MAX_DOCUMENT_BYTES));
        assert!(key_of(&Request::new(long)).is_none());
        let variables = Variables::from_json(json!({ "n": "x".repeat(MAX_VARIABLES_BYTES) }));
        assert!(key_of(&Request::new("{ double(n: 1) }").variables(variables)).is_none());
        assert!(key_of(&Request::new("{ double(n: 1) }")).is_some());
    }
}
