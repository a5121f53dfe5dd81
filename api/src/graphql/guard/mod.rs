//! Bounded work per document: every GraphQL document, over HTTP (POST and
//! GET) and the WebSocket alike, passes these checks before async-graphql
//! parses, validates or executes it.
//!
//! In order, each linear in the document's length:
//! 1. its size (`max_document_bytes`);
//! 2. its bracket nesting, by a pre-scan of the text ([`nesting`]), so the
//!    recursive parser never sees a document deep enough to overflow a
//!    stack;
//! 3. parsing (once: the parsed document is handed on to async-graphql);
//! 4. its shape with every fragment expanded, measured with each fragment
//!    memoised ([`shape`]): depth (fields, inline fragments and spreads),
//!    introspection depth, selections, fragment cycles.
//!
//! Only then do async-graphql's own limits (complexity, directives,
//! recursion) and validation run, and they expand fragments in place: the
//! checks above are what keeps that expansion small. Execution is then
//! bounded in time ([`deadline`]); automatic persisted queries are resolved
//! first (`crate::graphql::persisted`).
//!
//! Two ways in, the same checks: HTTP and MCP call [`DocumentGuard::run`]
//! around a schema whose one extension memoises validation
//! (`crate::graphql::validation_memo`), because async-graphql sends every
//! field it resolves generically through each extension's `resolve` hook (a
//! boxed future and two registry lookups per field: ~15 % of a 50-entry
//! page's CPU when its fields went that way, issue 18). The WebSocket's schema keeps the checks as an extension
//! ([`DocumentGuard`] is also an `ExtensionFactory`), since a subscription
//! is executed once per event and only an extension sees each execution.
//!
//! Parsed documents are kept in a small LRU keyed by their text
//! ([`documents`]): clients send the same few documents over and over, and
//! a hit skips the pre-scan, the parse and the shape walk.

pub mod deadline;
pub mod documents;
pub mod nesting;
pub mod shape;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextPrepareRequest,
};
use async_graphql::parser::parse_query;
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::{Executor, Request, Response, ServerError, ServerResult, Value};
use std::any::TypeId;
use std::sync::{Arc, OnceLock};

use crate::auth::Caller;
use crate::config::GraphqlLimits;
use crate::error::AppError;
use crate::graphql::persisted::{self, Lookup, PersistedQueries};
use crate::graphql::response::coded_error;
use deadline::Deadline;
use documents::DocumentCache;
use shape::{ShapeLimits, ShapeRefusal};

/// The `extensions.limit` value of a refusal; the HTTP layer answers 400
/// for any error that carries one.
pub const LIMIT_EXTENSION: &str = "limit";

/// Why a document was refused before anything recursive saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    TooLong { limit: usize },
    TooNested { limit: usize },
    Shape(ShapeRefusal),
}

impl Refusal {
    fn limit_name(&self) -> &'static str {
        match self {
            Refusal::TooLong { .. } => "documentBytes",
            Refusal::TooNested { .. } => "nesting",
            Refusal::Shape(shape) => shape.limit_name(),
        }
    }

    pub fn into_server_error(self) -> ServerError {
        let mut error = coded_error(self.to_string(), "VALIDATION");
        if let Some(extensions) = error.extensions.as_mut() {
            extensions.set(LIMIT_EXTENSION, self.limit_name());
        }
        error
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::TooLong { limit } => {
                write!(f, "The GraphQL document is longer than {limit} bytes.")
            }
            Refusal::TooNested { limit } => write!(
                f,
                "The GraphQL document nests brackets, braces or parentheses more \
                 than {limit} levels deep."
            ),
            Refusal::Shape(shape) => shape.fmt(f),
        }
    }
}

/// `extensions.code` of a mutation sent with `GET` (answered 405).
pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";

/// Marks a request that arrived by `GET`: it may only read. A cache or a
/// prefetching browser may repeat a GET, and a link can trigger one.
#[derive(Debug, Clone, Copy)]
pub struct ReadOnlyRequest;

/// Which kind of operation a request runs: it picks the execution
/// timeout. Stored in the request's data by the guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationKind(pub OperationType);

/// The checks before parsing, as an async-graphql extension so that every
/// transport passes them.
/// The operation a request ran, as the guard found it in the document:
/// the HTTP layer reads it back for metrics after execution.
#[derive(Debug, Clone, Default)]
pub struct OperationSeen(Arc<OnceLock<(OperationType, Option<String>)>>);

impl OperationSeen {
    pub fn get(&self) -> Option<&(OperationType, Option<String>)> {
        self.0.get()
    }
}

/// Persisted queries (APQ) are resolved here too, so a stored document
/// passes the same checks as a sent one. Cheap to clone: the HTTP state and
/// the WebSocket schema's extension share one.
#[derive(Clone)]
pub struct DocumentGuard(Arc<GuardInner>);

struct GuardInner {
    limits: GraphqlLimits,
    persisted: PersistedQueries,
    documents: DocumentCache,
    deadline: Deadline,
}

/// A request that passed the checks, with its parsed document attached and
/// the operation it runs.
pub struct Checked {
    pub request: Request,
    pub kind: OperationType,
    pub name: Option<String>,
}

/// What [`DocumentGuard::run`] answers.
pub struct Outcome {
    pub response: Response,
    /// Whether execution began: before it, every error is a request error,
    /// which GraphQL-over-HTTP answers without a `data` entry.
    pub executed: bool,
    /// The operation the document names, once it was parsed.
    pub operation: Option<(OperationType, Option<String>)>,
}

impl DocumentGuard {
    pub fn new(limits: &GraphqlLimits, persisted: PersistedQueries) -> Self {
        Self(Arc::new(GuardInner {
            limits: limits.clone(),
            persisted,
            documents: DocumentCache::default(),
            deadline: Deadline::new(limits),
        }))
    }

    /// Checks `request`, then executes it on `schema` (which must carry no
    /// guard extension of its own) within the deadline of its operation.
    pub async fn run(&self, schema: &impl Executor, request: Request) -> Outcome {
        let checked = match self.check(request).await {
            Ok(checked) => checked,
            Err(error) => {
                return Outcome {
                    response: Response::from_errors(vec![error]),
                    executed: false,
                    operation: None,
                };
            }
        };
        let Checked {
            request,
            kind,
            name,
        } = checked;
        // Boxed: async-graphql's execution future is several kilobytes,
        // and every future around it (this one, the handler's, axum's
        // and tower's layers) would hold it inline and be moved whole
        // at each layer; a pointer is moved instead (issue 18).
        let execution = Box::pin(schema.execute(request));
        let (response, timed_out) = self
            .0
            .deadline
            .bound(kind, name.as_deref(), execution)
            .await;
        Outcome {
            executed: timed_out || executed(&response),
            response,
            operation: Some((kind, name)),
        }
    }

    /// Every check before async-graphql's own, in the order of the module
    /// documentation; the parsed document rides on the returned request.
    pub async fn check(&self, mut request: Request) -> ServerResult<Checked> {
        let guard = &self.0;
        let mut store_as = None;
        if let Some(extension) = request.extensions.0.remove("persistedQuery") {
            match guard.persisted.lookup(&extension, &request.query)? {
                Lookup::Load(hash) => match guard.persisted.get(&hash).await {
                    Some(query) => request.query = query.to_string(),
                    None => return Err(persisted::not_found()),
                },
                Lookup::Store(hash) => store_as = Some(hash),
            }
        }
        let document = match guard.documents.get(&request.query) {
            Some(document) => document,
            None => {
                let document = parse_checked(&request.query, &guard.limits)?;
                guard.documents.put(&request.query, &document);
                document
            }
        };
        let (kind, name) = operation_of(&document.operations, request.operation_name.as_deref());
        if kind == OperationType::Mutation
            && request.data.contains_key(&TypeId::of::<ReadOnlyRequest>())
        {
            return Err(method_not_allowed());
        }
        // A read-only API token may not run a document that writes (the
        // WebSocket's schema checks this in `ScopeGuard`).
        let read_only = request
            .data
            .get(&TypeId::of::<Caller>())
            .and_then(|caller| caller.downcast_ref::<Caller>())
            .is_some_and(Caller::is_read_only);
        if read_only && writes(&document) {
            return Err(async_graphql::Error::from(AppError::Forbidden)
                .into_server_error(async_graphql::Pos::default()));
        }
        if let Some(hash) = store_as {
            // Only documents that passed every check above are kept.
            guard.persisted.put(hash, &request.query).await;
        }
        request.set_parsed_query(document);
        Ok(Checked {
            request,
            kind,
            name,
        })
    }
}

/// Whether any operation of `document` is not a query.
pub fn writes(document: &ExecutableDocument) -> bool {
    document
        .operations
        .iter()
        .any(|(_, op)| op.node.ty != OperationType::Query)
}

/// The text checks, the parse and the shape check of one document.
fn parse_checked(query: &str, limits: &GraphqlLimits) -> ServerResult<ExecutableDocument> {
    check_text(query, limits).map_err(Refusal::into_server_error)?;
    let document = parse_query(query).map_err(ServerError::from)?;
    shape::check(&document, shape_limits(limits))
        .map_err(|refusal| Refusal::Shape(refusal).into_server_error())?;
    Ok(document)
}

/// Whether a response came from execution. async-graphql answers a request
/// it refused (recursion or directive limits, validation, an unknown
/// operation) with errors that point at no field and no `data`; every error
/// raised while executing carries the path of its field.
fn executed(response: &Response) -> bool {
    !(response.data == Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty()))
}

// One extension for the document checks and the execution deadline:
// async-graphql calls every extension's `resolve` hook for every field, so
// each extension costs every field of every answer a boxed future.
impl ExtensionFactory for DocumentGuard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(DocumentGuardExtension(self.clone()))
    }
}

struct DocumentGuardExtension(DocumentGuard);

/// Refuses `source` if it is too long or too nested to parse safely.
pub fn check_text(source: &str, limits: &GraphqlLimits) -> Result<(), Refusal> {
    if source.len() > limits.max_document_bytes {
        return Err(Refusal::TooLong {
            limit: limits.max_document_bytes,
        });
    }
    if nesting::max_nesting(source, limits.max_nesting) > limits.max_nesting {
        return Err(Refusal::TooNested {
            limit: limits.max_nesting,
        });
    }
    Ok(())
}

fn shape_limits(limits: &GraphqlLimits) -> ShapeLimits {
    ShapeLimits {
        max_depth: limits.max_depth,
        max_introspection_depth: limits.max_introspection_depth,
        max_selections: limits.max_selections,
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for DocumentGuardExtension {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let Checked {
            request,
            kind,
            name,
        } = self.0.check(request).await?;
        if let Some(seen) = request
            .data
            .get(&TypeId::of::<OperationSeen>())
            .and_then(|seen| seen.downcast_ref::<OperationSeen>())
        {
            let _ = seen.0.set((kind, name));
        }
        next.run(ctx, request.data(OperationKind(kind))).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        self.0.0.deadline.execute(ctx, operation_name, next).await
    }
}

fn method_not_allowed() -> ServerError {
    coded_error("Mutations must be sent with POST.", METHOD_NOT_ALLOWED)
}

/// The type and name of the operation the request names (or its only
/// one); a query when it cannot tell, which validation then refuses anyway.
fn operation_of(
    operations: &DocumentOperations,
    name: Option<&str>,
) -> (OperationType, Option<String>) {
    match (operations, name) {
        // A lone operation without a name is anonymous.
        (DocumentOperations::Single(operation), _) => (operation.node.ty, None),
        (DocumentOperations::Multiple(map), Some(name)) => (
            map.get(name)
                .map_or(OperationType::Query, |operation| operation.node.ty),
            Some(name.to_owned()),
        ),
        (DocumentOperations::Multiple(map), None) => map
            .iter()
            .next()
            .filter(|_| map.len() == 1)
            .map_or((OperationType::Query, None), |(name, operation)| {
                (operation.node.ty, Some(name.to_string()))
            }),
    }
}
