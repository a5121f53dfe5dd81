//! `englog-worker`'s configuration, typed and layered like the API's:
//! built-in defaults < a TOML file (`--config FILE`, or `ENGLOG_WORKER_CONFIG`)
//! < `ENGLOG_*` environment variables. Keys are flat and named as the
//! environment variables without their prefix (`redis_url` ↔
//! `ENGLOG_REDIS_URL`), so the variables documented before still work. The
//! defaults are the ones the API's embedded worker uses too (the constants
//! in `broker`, `step` and `core::generation`).

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

use crate::broker::{BrokerTiming, DEFAULT_RECLAIM_AFTER};
use crate::llm::LlmConfig;
use crate::step::{DEFAULT_MODEL_PATIENCE, DEFAULT_MODEL_RETRY_EVERY, WorkerSettings};
use crate::telemetry::TracingConfig;
use englog_core::generation::{AnswerTokens, ENRICHMENT_CONTEXT_TOKENS};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct WorkerConfig {
    /// The API box's Redis (`rediss://` for TLS); required.
    pub redis_url: Option<String>,
    /// PEM of a private CA that signed Redis' certificate.
    pub redis_ca_file: Option<PathBuf>,
    /// Must equal the API's `reports.redis_prefix`.
    pub redis_prefix: String,
    pub ollama_url: String,
    pub ollama_model: String,
    /// Jobs at once.
    pub worker_slots: usize,
    pub prompt_budget_tokens: usize,
    /// `num_ctx` of report calls.
    pub context_tokens: u32,
    /// `num_ctx` of enrichment calls.
    pub enrichment_context_tokens: u32,
    pub answer_tokens_daily: u32,
    pub answer_tokens_weekly: u32,
    pub answer_tokens_sprint: u32,
    pub answer_tokens_monthly: u32,
    pub answer_tokens_quarterly: u32,
    pub answer_tokens_annual: u32,
    pub answer_tokens_custom: u32,
    pub answer_tokens_enrichment: u32,
    pub reclaim_after_secs: u64,
    pub max_attempts: u32,
    pub backoff_base_ms: u64,
    pub model_patience_secs: u64,
    pub model_retry_secs: u64,
    /// `smtp://relay:25`; unset: no mail.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// `json`, or anything else for human-readable lines.
    pub log_format: String,
    /// The `/metrics`, `/live`, `/ready` listener; empty: none; unset: the
    /// default address, best effort.
    pub worker_listen: Option<String>,
    pub heartbeat_secs: u64,
    pub otlp_endpoint: Option<String>,
    pub otlp_service_name: String,
    pub otlp_sample_ratio: f64,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        let llm = LlmConfig::default();
        let settings = WorkerSettings::default();
        let answers = AnswerTokens::default();
        Self {
            redis_url: None,
            redis_ca_file: None,
            redis_prefix: "englog".into(),
            ollama_url: llm.url,
            ollama_model: llm.model,
            worker_slots: 1,
            prompt_budget_tokens: settings.prompt_budget_tokens,
            context_tokens: llm.context_tokens,
            enrichment_context_tokens: ENRICHMENT_CONTEXT_TOKENS,
            answer_tokens_daily: answers.daily,
            answer_tokens_weekly: answers.weekly,
            answer_tokens_sprint: answers.sprint,
            answer_tokens_monthly: answers.monthly,
            answer_tokens_quarterly: answers.quarterly,
            answer_tokens_annual: answers.annual,
            answer_tokens_custom: answers.custom,
            answer_tokens_enrichment: answers.enrichment,
            reclaim_after_secs: DEFAULT_RECLAIM_AFTER.as_secs(),
            max_attempts: settings.max_attempts,
            backoff_base_ms: settings.backoff_base.as_millis() as u64,
            model_patience_secs: DEFAULT_MODEL_PATIENCE.as_secs(),
            model_retry_secs: DEFAULT_MODEL_RETRY_EVERY.as_secs(),
            smtp_url: None,
            mail_from: "EngLog <englog@localhost>".into(),
            log_format: "pretty".into(),
            worker_listen: None,
            heartbeat_secs: 10,
            otlp_endpoint: None,
            otlp_service_name: "englog-worker".into(),
            otlp_sample_ratio: 1.0,
        }
    }
}

impl WorkerConfig {
    /// Defaults < `file` (when given) < `ENGLOG_*`.
    pub fn load(file: Option<PathBuf>) -> Result<Self, Box<figment::Error>> {
        let mut figment = Figment::from(Serialized::defaults(WorkerConfig::default()));
        if let Some(file) = file {
            figment = figment.merge(Toml::file_exact(file));
        }
        figment
            .merge(Env::prefixed("ENGLOG_"))
            .extract()
            .map_err(Box::new)
    }

    pub fn timing(&self) -> BrokerTiming {
        BrokerTiming {
            reclaim_after: Duration::from_secs(self.reclaim_after_secs.max(1)),
        }
    }

    pub fn llm(&self) -> LlmConfig {
        LlmConfig {
            url: self.ollama_url.clone(),
            model: self.ollama_model.clone(),
            context_tokens: self.context_tokens,
            ..LlmConfig::default()
        }
    }

    pub fn settings(&self) -> WorkerSettings {
        WorkerSettings {
            prompt_budget_tokens: self.prompt_budget_tokens,
            max_attempts: self.max_attempts.max(1),
            backoff_base: Duration::from_millis(self.backoff_base_ms),
            heartbeat_every: self.timing().reclaim_after / 4,
            answer_tokens: AnswerTokens {
                daily: self.answer_tokens_daily,
                weekly: self.answer_tokens_weekly,
                sprint: self.answer_tokens_sprint,
                monthly: self.answer_tokens_monthly,
                quarterly: self.answer_tokens_quarterly,
                annual: self.answer_tokens_annual,
                custom: self.answer_tokens_custom,
                enrichment: self.answer_tokens_enrichment,
            },
            enrichment_context_tokens: self.enrichment_context_tokens,
            model_patience: Duration::from_secs(self.model_patience_secs),
            model_retry_every: Duration::from_secs(self.model_retry_secs.max(1)),
            ..WorkerSettings::default()
        }
    }

    pub fn tracing(&self) -> TracingConfig {
        TracingConfig {
            endpoint: self.otlp_endpoint.clone(),
            service_name: self.otlp_service_name.clone(),
            sample_ratio: self.otlp_sample_ratio,
        }
    }
}

#[cfg(test)]
// `figment::Jail::expect_with` fixes the closure's error type (figment::Error).
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use figment::Jail;

    #[test]
    fn the_environment_wins_over_the_file_which_wins_over_defaults() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "worker.toml",
                "ollama_model = \"qwen2.5:7b\"\nworker_slots = 3\nreclaim_after_secs = 40\n",
            )?;
            jail.set_env("ENGLOG_REDIS_URL", "redis://cache:6379");
            jail.set_env("ENGLOG_WORKER_SLOTS", "2");
            jail.set_env("ENGLOG_ANSWER_TOKENS_WEEKLY", "900");
            let config =
                WorkerConfig::load(Some("worker.toml".into())).map_err(|e| e.to_string())?;
            assert_eq!(config.redis_url.as_deref(), Some("redis://cache:6379"));
            assert_eq!(config.worker_slots, 2, "env over file");
            assert_eq!(config.ollama_model, "qwen2.5:7b", "file over default");
            assert_eq!(config.timing().reclaim_after, Duration::from_secs(40));
            assert_eq!(config.settings().answer_tokens.weekly, 900);
            assert_eq!(config.settings().heartbeat_every, Duration::from_secs(10));
            assert_eq!(config.max_attempts, WorkerSettings::default().max_attempts);
            Ok(())
        });
    }

    #[test]
    fn a_value_that_does_not_parse_names_its_variable() {
        Jail::expect_with(|jail| {
            jail.set_env("ENGLOG_WORKER_SLOTS", "many");
            let err = WorkerConfig::load(None).expect_err("refused");
            assert!(
                err.to_string().to_lowercase().contains("worker_slots"),
                "{err}"
            );
            Ok(())
        });
    }

    #[test]
    fn the_defaults_are_the_embedded_workers() {
        let config = WorkerConfig::default();
        assert_eq!(config.timing().reclaim_after, DEFAULT_RECLAIM_AFTER);
        assert_eq!(config.settings().model_patience, DEFAULT_MODEL_PATIENCE);
        assert_eq!(config.llm().url, LlmConfig::default().url);
    }
}
