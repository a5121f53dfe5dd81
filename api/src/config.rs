//! Layered configuration: built-in defaults < TOML file < `ENGLOG_*`
//! environment variables < command-line flags. `docs/CONFIGURATION.md`
//! documents every setting.

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};
use std::{fmt, net::SocketAddr, path::PathBuf};

use crate::auth::{oauth::OAuthSettings, rate_limit::RateLimitSettings};
use crate::portability::limits::ImportSettings;

/// A value that must never reach a log line.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Pretty,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// `postgres://…` or `sqlite://path?mode=rwc`. Default: the embedded
    /// SQLite file under `data_dir`.
    pub database_url: Option<Secret>,
    /// `redis://…` or `rediss://…` (TLS); absent means the in-process broker.
    pub redis_url: Option<Secret>,
    /// PEM file of the CA that signed Redis' TLS certificate, when it is not
    /// in the system trust store.
    pub redis_ca_file: Option<PathBuf>,
    /// Where the embedded default keeps its database and generated secret.
    pub data_dir: PathBuf,
    /// Directory holding the built SPA (`index.html`, `pkg/`).
    pub web_dir: PathBuf,
    /// HS256 signing key for access tokens. When empty, the embedded default
    /// generates one and keeps it in `data_dir`.
    pub jwt_secret: Secret,
    pub access_token_ttl_secs: i64,
    pub refresh_token_ttl_secs: i64,
    pub log_format: LogFormat,
    /// `tracing` filter, e.g. `info,englog_api=debug`.
    pub log_filter: String,
    pub graphql: GraphqlLimits,
    pub database_max_connections: u32,
    pub rate_limits: RateLimitSettings,
    pub oauth: OAuthSettings,
    pub reports: ReportSettings,
    pub imports: ImportSettings,
    /// Days between a GDPR deletion request and its processing, during
    /// which the person can sign in and cancel it.
    pub deletion_grace_days: u32,
    pub metrics: MetricsSettings,
    pub readiness: ReadinessSettings,
    pub tracing: TracingSettings,
    pub mcp: crate::mcp::settings::McpSettings,
    pub connectors: crate::connectors::settings::ConnectorSettings,
    pub nudge: crate::nudge::settings::NudgeSettings,
}

/// OpenTelemetry traces over OTLP/HTTP (off unless an endpoint is set).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct TracingSettings {
    /// The collector's OTLP/HTTP traces URL, e.g.
    /// `http://collector:4318/v1/traces`.
    pub otlp_endpoint: Option<String>,
    pub service_name: String,
    /// Share of traces kept, 0.0–1.0.
    pub sample_ratio: f64,
}

impl Default for TracingSettings {
    fn default() -> Self {
        Self {
            otlp_endpoint: None,
            service_name: "englog-api".into(),
            sample_ratio: 1.0,
        }
    }
}

/// Prometheus metrics (docs/OPERATIONS.md).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct MetricsSettings {
    /// Serve `/metrics`.
    pub enabled: bool,
    /// Serve `/metrics` on this address instead of the main listener, so it
    /// need not be public.
    pub listen: Option<SocketAddr>,
}

impl Default for MetricsSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            listen: None,
        }
    }
}

/// What `/ready` requires besides the database (and Redis when set).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadinessSettings {
    /// Not ready when no worker has sent a heartbeat within
    /// `worker_max_age_secs` (reports could not be written).
    pub require_worker: bool,
    pub worker_max_age_secs: u64,
    /// How often a worker (the embedded one too) sends its heartbeat.
    pub worker_heartbeat_secs: u64,
}

impl Default for ReadinessSettings {
    fn default() -> Self {
        Self {
            require_worker: true,
            worker_max_age_secs: 60,
            worker_heartbeat_secs: 10,
        }
    }
}

/// Report generation: the broker, the embedded worker and the model.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportSettings {
    /// Key prefix in Redis, so several deployments can share one server.
    pub redis_prefix: String,
    /// Run a worker inside the API process. Default: only when there is no
    /// Redis (the embedded default); with Redis, workers run on the GPU box.
    pub embedded_worker: Option<bool>,
    pub ollama_url: String,
    pub ollama_model: String,
    /// Tokens the prompt may use; the rest of the model's context is left
    /// for the answer.
    pub prompt_budget_tokens: usize,
    /// Context window of report calls (Ollama's `num_ctx`).
    pub context_tokens: u32,
    /// Longest answer per report type and for enrichment, in tokens
    /// (Ollama's `num_predict`), e.g. `ENGLOG_REPORTS__ANSWER_TOKENS__WEEKLY`.
    pub answer_tokens: englog_core::generation::AnswerTokens,
    /// Context window of enrichment calls (one entry and its schema).
    pub enrichment_context_tokens: u32,
    pub max_attempts: u32,
    pub backoff_base_ms: u64,
    /// A job idle this long on a dead consumer is reclaimed.
    pub reclaim_after_secs: u64,
    /// How long a report waits for an unreachable model service before it
    /// fails (no attempt is spent while it waits).
    pub model_patience_secs: u64,
    /// How soon a report waiting for the model service is tried again.
    pub model_retry_secs: u64,
    /// How often the outbox relay looks for unpublished jobs.
    pub relay_interval_ms: u64,
    /// `smtp://relay:25` for mail from the embedded worker; unset: no mail.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Run the weekly-report scheduler in this process.
    pub scheduler: bool,
    /// Enrich entries when they are written (each person can still turn it
    /// off with the `autoEnrich` preference).
    pub enrichment: bool,
    /// How long an enrichment job waits in the outbox before it is
    /// published; edits within it update the waiting job instead.
    pub enrichment_debounce_ms: u64,
    /// Most unfinished enrichment jobs one person may have before entries
    /// they write get none (counted in `englog_enrichment_deferred_total`;
    /// `enrichEntries` catches up later). Keeps the outbox bounded when the
    /// model or Redis is away.
    pub enrichment_backlog_max: u64,
}

impl Default for ReportSettings {
    fn default() -> Self {
        Self {
            redis_prefix: "englog".into(),
            embedded_worker: None,
            ollama_url: "http://localhost:11434".into(),
            ollama_model: "llama3.1:8b".into(),
            prompt_budget_tokens: 6_000,
            context_tokens: 8_192,
            answer_tokens: englog_core::generation::AnswerTokens::default(),
            enrichment_context_tokens: englog_core::generation::ENRICHMENT_CONTEXT_TOKENS,
            max_attempts: 4,
            backoff_base_ms: 5_000,
            reclaim_after_secs: englog_worker::broker::DEFAULT_RECLAIM_AFTER.as_secs(),
            model_patience_secs: englog_worker::step::DEFAULT_MODEL_PATIENCE.as_secs(),
            model_retry_secs: englog_worker::step::DEFAULT_MODEL_RETRY_EVERY.as_secs(),
            relay_interval_ms: 1_000,
            smtp_url: None,
            mail_from: "EngLog <englog@localhost>".into(),
            scheduler: true,
            enrichment: true,
            enrichment_debounce_ms: 2_000,
            enrichment_backlog_max: 500,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct GraphqlLimits {
    /// Levels of fields, inline fragments and fragment spreads.
    pub max_depth: usize,
    /// The same below `__schema` / `__type`: the standard introspection
    /// query of GraphQL tools nests `ofType` about 18 levels deep.
    pub max_introspection_depth: usize,
    pub max_complexity: usize,
    pub max_directives: usize,
    pub max_recursive_depth: usize,
    /// Fields, fragments, arguments and directives of a document once its
    /// fragments are expanded.
    pub max_selections: u64,
    /// Longest GraphQL document (the `query` text), in bytes.
    pub max_document_bytes: usize,
    /// Deepest nesting of brackets, braces and parentheses in a document:
    /// the parser recurses once per level.
    pub max_nesting: usize,
    /// Values (numbers, strings, lists, objects…) in a request body's JSON,
    /// variables included; counted before the body is decoded.
    pub max_json_values: usize,
    /// Maximum request body, in bytes.
    pub max_body_bytes: usize,
    /// Largest response body; a larger answer is replaced by an error.
    pub max_response_bytes: usize,
    /// Time limit on executing a query, and on each subscription event.
    pub execution_timeout_ms: u64,
    /// Time limit on executing a mutation (imports and bulk writes run in
    /// one transaction).
    pub mutation_timeout_ms: u64,
    /// GraphQL requests executing at once in this process.
    pub max_concurrent: usize,
    /// GraphQL requests executing at once for one caller (a user, or an
    /// address when anonymous).
    pub max_concurrent_per_caller: usize,
    /// How long a request waits for a free slot before it is refused.
    pub queue_wait_ms: u64,
    /// Operations (subscriptions included) active at once on one
    /// WebSocket connection.
    pub max_operations_per_socket: usize,
    /// `false` disables introspection and field suggestions.
    pub introspection: bool,
    /// Documents kept for automatic persisted queries (per instance; with
    /// Redis, shared and kept for `persisted_queries_ttl_secs`). 0 turns
    /// persisted queries off.
    pub persisted_queries_capacity: usize,
    pub persisted_queries_ttl_secs: u64,
    /// How often an open subscription socket re-checks its credential; it
    /// closes once the token has expired or its session was revoked.
    pub ws_recheck_secs: u64,
}

impl Default for GraphqlLimits {
    fn default() -> Self {
        Self {
            max_depth: 12,
            max_introspection_depth: 20,
            max_complexity: 2_000,
            max_directives: 8,
            max_recursive_depth: 32,
            max_selections: 5_000,
            max_document_bytes: 64 * 1024,
            max_nesting: 64,
            max_json_values: 20_000,
            max_body_bytes: 1024 * 1024,
            max_response_bytes: 8 * 1024 * 1024,
            execution_timeout_ms: 2_000,
            mutation_timeout_ms: 30_000,
            max_concurrent: 128,
            max_concurrent_per_caller: 16,
            queue_wait_ms: 2_000,
            max_operations_per_socket: 32,
            introspection: true,
            persisted_queries_capacity: 1_000,
            persisted_queries_ttl_secs: 7 * 24 * 3600,
            ws_recheck_secs: 30,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: None,
            redis_url: None,
            redis_ca_file: None,
            data_dir: PathBuf::from("data"),
            web_dir: PathBuf::from("web/dist"),
            jwt_secret: Secret::default(),
            access_token_ttl_secs: 15 * 60,
            refresh_token_ttl_secs: 30 * 24 * 3600,
            log_format: LogFormat::Pretty,
            log_filter: "info".into(),
            graphql: GraphqlLimits::default(),
            database_max_connections: 16,
            reports: ReportSettings::default(),
            rate_limits: RateLimitSettings::default(),
            oauth: OAuthSettings::default(),
            mcp: crate::mcp::settings::McpSettings::default(),
            connectors: crate::connectors::settings::ConnectorSettings::default(),
            nudge: crate::nudge::settings::NudgeSettings::default(),
            imports: ImportSettings::default(),
            deletion_grace_days: 30,
            metrics: MetricsSettings::default(),
            readiness: ReadinessSettings::default(),
            tracing: TracingSettings::default(),
        }
    }
}

/// Command-line values that override every other layer.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redis_url: Option<String>,
}

impl Settings {
    /// Reads the layers. `config_file` defaults to `englog.toml` when present.
    pub fn load(config_file: Option<PathBuf>, overrides: Overrides) -> anyhow::Result<Self> {
        let file = config_file.unwrap_or_else(|| PathBuf::from("englog.toml"));
        let settings: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(file))
            // `ENGLOG_GRAPHQL__MAX_DEPTH` reaches `graphql.max_depth`.
            .merge(Env::prefixed("ENGLOG_").split("__"))
            .merge(Serialized::defaults(overrides))
            .extract()?;
        Ok(settings)
    }

    /// The database to use: the configured URL or the embedded SQLite file.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.is_empty() => url.expose().to_owned(),
            _ => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("englog.sqlite").display()
            ),
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.effective_database_url().starts_with("sqlite:")
    }
}

#[cfg(test)]
// `figment::Jail::expect_with` fixes the closure's error type (figment::Error).
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Settings {
            jwt_secret: Secret::new("hunter2hunter2"),
            ..Settings::default()
        };
        assert!(!format!("{s:?}").contains("hunter2"));
    }

    #[test]
    fn layers_apply_in_order_file_then_env_then_flags() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "englog.toml",
                r#"
                listen = "127.0.0.1:9000"
                log_format = "json"
                database_url = "postgres://file/db"
                [graphql]
                max_depth = 7
                "#,
            )?;
            let from_file = Settings::load(None, Overrides::default()).expect("loads");
            assert_eq!(from_file.listen.port(), 9000);
            assert_eq!(from_file.log_format, LogFormat::Json);
            assert_eq!(from_file.graphql.max_depth, 7);
            assert_eq!(
                from_file.graphql.max_complexity, 2_000,
                "unset keys keep defaults"
            );

            jail.set_env("ENGLOG_LISTEN", "127.0.0.1:9100");
            jail.set_env("ENGLOG_GRAPHQL__MAX_DEPTH", "9");
            let from_env = Settings::load(None, Overrides::default()).expect("loads");
            assert_eq!(from_env.listen.port(), 9100);
            assert_eq!(from_env.graphql.max_depth, 9);
            assert_eq!(from_env.effective_database_url(), "postgres://file/db");

            let flags = Overrides {
                listen: Some("127.0.0.1:9200".parse().expect("addr")),
                database_url: Some("sqlite://flag.db?mode=rwc".into()),
                redis_url: None,
            };
            let from_flags = Settings::load(None, flags).expect("loads");
            assert_eq!(from_flags.listen.port(), 9200);
            assert!(from_flags.is_sqlite());
            Ok(())
        });
    }

    #[test]
    fn a_malformed_setting_is_a_clear_error() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("ENGLOG_LISTEN", "not-an-address");
            let err = Settings::load(None, Overrides::default()).expect_err("refused");
            assert!(err.to_string().to_lowercase().contains("listen"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn defaults_are_the_embedded_sqlite_database() {
        let s = Settings::default();
        assert!(s.is_sqlite());
        assert!(
            s.effective_database_url()
                .ends_with("englog.sqlite?mode=rwc")
        );
    }
}
