//! The schema: one object per domain merged into the root types, with
//! explicit limits. Building it needs no database, so the SDL can be exported
//! and checked anywhere.

pub mod enums;
pub mod guard;
pub mod introspection;
pub mod maybe;
pub mod persisted;
pub mod raw_json;
pub mod response;
pub mod validation_memo;

use async_graphql::{MergedObject, MergedSubscription, SDLExportOptions, Schema, SchemaBuilder};

use crate::account_deletion::graphql::AccountDeletionMutation;
use crate::analytics::graphql::AnalyticsQuery;
use crate::auth::graphql::{AuthMutation, AuthQuery};
use crate::auth::scope_guard::ScopeGuard;
use crate::config::GraphqlLimits;
use crate::connectors::capture::CaptureMutation;
use crate::connectors::graphql::{ConnectorsMutation, ConnectorsQuery};
use crate::enrichment::graphql::{EnrichmentMutation, EnrichmentQuery};
use crate::enrichment::subscription::EnrichmentSubscription;
use crate::entries::graphql::{EntriesMutation, EntriesQuery};
use crate::insights::graphql::{InsightsMutation, InsightsQuery};
use crate::insights::subscription::InsightSubscription;
use crate::nudge::graphql::NudgeQuery;
use crate::portability::graphql::{PortabilityMutation, PortabilityQuery};
use crate::profile::graphql::{ProfileMutation, ProfileQuery};
use crate::projects::graphql::{ProjectsMutation, ProjectsQuery};
use crate::state::AppState;
use crate::tags::graphql::{TagsMutation, TagsQuery};
use crate::timer::graphql::{TimerMutation, TimerQuery};
use guard::DocumentGuard;
use persisted::PersistedQueries;

#[derive(MergedObject, Default)]
pub struct Query(
    ProfileQuery,
    EntriesQuery,
    ProjectsQuery,
    TagsQuery,
    InsightsQuery,
    AuthQuery,
    AnalyticsQuery,
    EnrichmentQuery,
    ConnectorsQuery,
    TimerQuery,
    PortabilityQuery,
    NudgeQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    AuthMutation,
    ProfileMutation,
    EntriesMutation,
    ProjectsMutation,
    TagsMutation,
    InsightsMutation,
    PortabilityMutation,
    EnrichmentMutation,
    AccountDeletionMutation,
    ConnectorsMutation,
    CaptureMutation,
    TimerMutation,
);

#[derive(MergedSubscription, Default)]
pub struct Subscription(InsightSubscription, EnrichmentSubscription);

pub type EnglogSchema = Schema<Query, Mutation, Subscription>;

/// The schema with its limits and the document guard as extensions (the
/// WebSocket's schema, and tests); the caller adds request-independent
/// data.
pub fn schema_builder(
    limits: &GraphqlLimits,
    persisted: PersistedQueries,
) -> SchemaBuilder<Query, Mutation, Subscription> {
    guarded_schema_builder(limits, DocumentGuard::new(limits, persisted))
}

/// [`schema_builder`] with a guard the caller shares with other transports.
pub fn guarded_schema_builder(
    limits: &GraphqlLimits,
    guard: DocumentGuard,
) -> SchemaBuilder<Query, Mutation, Subscription> {
    // The guard runs first: it bounds the document before async-graphql's
    // own checks expand it. Depth is the guard's (it counts fragments and
    // gives introspection its own bound), so async-graphql's is not set.
    let builder = Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
    .extension(guard);
    with_limits(builder, limits).extension(ScopeGuard)
}

/// The schema with its limits and, as its one extension, the validation
/// memo: whoever executes it runs the document guard around it
/// ([`DocumentGuard::run`]), as HTTP and MCP do. async-graphql sends every
/// field it resolves generically through each extension's hook, so no
/// other extension is added here; a list page's entries are resolved past
/// that path ([`crate::entries::listed`]) and do not see it.
pub fn bare_schema_builder(limits: &GraphqlLimits) -> SchemaBuilder<Query, Mutation, Subscription> {
    with_limits(
        Schema::build(
            Query::default(),
            Mutation::default(),
            Subscription::default(),
        ),
        limits,
    )
    .extension(validation_memo::ValidationMemo::default())
}

fn with_limits(
    builder: SchemaBuilder<Query, Mutation, Subscription>,
    limits: &GraphqlLimits,
) -> SchemaBuilder<Query, Mutation, Subscription> {
    let builder = builder
        .limit_complexity(limits.max_complexity)
        .limit_directives(limits.max_directives)
        .limit_recursive_depth(limits.max_recursive_depth);
    if limits.introspection {
        builder
    } else {
        builder.disable_introspection().disable_suggestions()
    }
}

/// Schema data present when an extension watches every field (tracing's
/// span per field): resolvers that take a shortcut past async-graphql's
/// per-field path ([`crate::entries::listed`]) must not take it then.
pub struct FieldSpans;

/// The schema with the application state (and a span per operation and
/// field, only when spans are exported: otherwise it would cost every
/// request for nothing).
pub fn finish(
    builder: SchemaBuilder<Query, Mutation, Subscription>,
    app: &AppState,
) -> EnglogSchema {
    let builder = builder.data(app.clone());
    if app.settings.tracing.otlp_endpoint.is_some() {
        builder
            .data(FieldSpans)
            .extension(async_graphql::extensions::Tracing)
            .finish()
    } else {
        builder.finish()
    }
}

/// The SDL with fields, arguments and enum items sorted, so the committed
/// `schema.graphql` changes only when the API does.
pub fn sdl() -> String {
    schema_builder(&GraphqlLimits::default(), PersistedQueries::Off)
        .finish()
        .sdl_with_options(
            SDLExportOptions::new()
                .sorted_fields()
                .sorted_arguments()
                .sorted_enum_items()
                // Introspection reports `specifiedByURL`; the SDL says the
                // same, so a schema built from either is the same schema.
                .include_specified_by(),
        )
}
