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
//! checks above are what keeps that expansion small. The same extension
//! then bounds execution in time ([`deadline`]) and resolves automatic
//! persisted queries first (`crate::graphql::persisted`).

pub mod deadline;
pub mod nesting;
pub mod shape;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextPrepareRequest,
};
use async_graphql::parser::parse_query;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{Request, Response, ServerError, ServerResult};
use std::any::TypeId;
use std::sync::{Arc, OnceLock};

use crate::config::GraphqlLimits;
use crate::graphql::persisted::{self, Lookup, PersistedQueries};
use crate::graphql::response::coded_error;
use deadline::Deadline;
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
/// passes the same checks as a sent one.
pub struct DocumentGuard {
    limits: GraphqlLimits,
    persisted: PersistedQueries,
}

impl DocumentGuard {
    pub fn new(limits: &GraphqlLimits, persisted: PersistedQueries) -> Self {
        Self {
            limits: limits.clone(),
            persisted,
        }
    }
}

// One extension for the document checks and the execution deadline:
// async-graphql calls every extension's `resolve` hook for every field, so
// each extension costs every field of every answer a boxed future.
impl ExtensionFactory for DocumentGuard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(DocumentGuardExtension {
            limits: self.limits.clone(),
            persisted: self.persisted.clone(),
            deadline: Deadline::new(&self.limits),
        })
    }
}

struct DocumentGuardExtension {
    limits: GraphqlLimits,
    persisted: PersistedQueries,
    deadline: Deadline,
}

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
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let mut store_as = None;
        if let Some(extension) = request.extensions.0.remove("persistedQuery") {
            match self.persisted.lookup(&extension, &request.query)? {
                Lookup::Load(hash) => match self.persisted.get(&hash).await {
                    Some(query) => request.query = query.to_string(),
                    None => return Err(persisted::not_found()),
                },
                Lookup::Store(hash) => store_as = Some(hash),
            }
        }
        check_text(&request.query, &self.limits).map_err(Refusal::into_server_error)?;
        let document = parse_query(&request.query).map_err(ServerError::from)?;
        shape::check(&document, shape_limits(&self.limits))
            .map_err(|refusal| Refusal::Shape(refusal).into_server_error())?;
        let (kind, name) = operation_of(&document.operations, request.operation_name.as_deref());
        if let Some(seen) = request
            .data
            .get(&TypeId::of::<OperationSeen>())
            .and_then(|seen| seen.downcast_ref::<OperationSeen>())
        {
            let _ = seen.0.set((kind, name));
        }
        if kind == OperationType::Mutation
            && request.data.contains_key(&TypeId::of::<ReadOnlyRequest>())
        {
            return Err(method_not_allowed());
        }
        if let Some(hash) = store_as {
            // Only documents that passed every check above are kept.
            self.persisted.put(hash, &request.query).await;
        }
        request = request.data(OperationKind(kind));
        request.set_parsed_query(document);
        next.run(ctx, request).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        self.deadline.execute(ctx, operation_name, next).await
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
