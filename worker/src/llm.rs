//! The model, through ollama-rs with streaming. Errors are classified so the
//! step function knows what is worth retrying and can tell the person, in
//! words, why a report failed.

use futures_util::StreamExt;
use ollama_rs::Ollama;
use ollama_rs::generation::completion::request::GenerationRequest;
use ollama_rs::generation::completion::{GenerationResponse, GenerationResponseStream};
use ollama_rs::generation::parameters::FormatType;
use ollama_rs::models::ModelOptions;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

use englog_core::generation::StopReason;

use crate::metrics::ModelCall;

/// What one call may generate: every call names its answer cap, so a model
/// that loops stops at `num_predict` instead of running to the timeout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sampling {
    /// Ollama's `num_predict`: the most tokens the answer may have.
    pub num_predict: u32,
    /// Ollama's `num_ctx`: the context window (prompt and answer).
    pub num_ctx: u32,
    pub temperature: f32,
}

#[derive(Debug, Clone)]
pub struct LlmConfig {
    /// Base URL of the Ollama server, e.g. `http://localhost:11434`.
    pub url: String,
    pub model: String,
    pub connect_timeout: Duration,
    /// Longest silence between two streamed chunks (the first includes
    /// loading the model).
    pub idle_timeout: Duration,
    /// Longest whole generation.
    pub total_timeout: Duration,
    /// Context window of report calls (`num_ctx`).
    pub context_tokens: u32,
}

impl Default for LlmConfig {
    fn default() -> Self {
        Self {
            url: "http://localhost:11434".into(),
            model: "llama3.1:8b".into(),
            connect_timeout: Duration::from_secs(5),
            idle_timeout: Duration::from_secs(120),
            total_timeout: Duration::from_secs(15 * 60),
            context_tokens: 8192,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LlmError {
    #[error("the model service at {url} could not be reached ({detail})")]
    Unreachable { url: String, detail: String },
    #[error("the model service failed: {0}")]
    Service(String),
    #[error("the model `{0}` is not installed on the Ollama server (run `ollama pull {0}` there)")]
    ModelMissing(String),
    #[error("the model did not answer within {0} s")]
    Timeout(u64),
    #[error("the model's answer was malformed or cut off")]
    Malformed,
    #[error("the configured model URL is invalid: {0}")]
    Config(String),
}

impl LlmError {
    /// The `outcome` label of a failed model call.
    pub fn outcome(&self) -> &'static str {
        match self {
            LlmError::Unreachable { .. } => "unreachable",
            LlmError::Service(_) => "service_error",
            LlmError::ModelMissing(_) => "model_missing",
            LlmError::Timeout(_) => "timeout",
            LlmError::Malformed => "malformed",
            LlmError::Config(_) => "config",
        }
    }

    /// Worth another attempt later: the service may come back.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            LlmError::Unreachable { .. }
                | LlmError::Service(_)
                | LlmError::Timeout(_)
                | LlmError::Malformed
        )
    }
}

#[derive(Clone)]
pub struct Llm {
    ollama: Ollama,
    /// The same client, for the reachability probe.
    http: reqwest::Client,
    config: LlmConfig,
}

/// Totals reported by the model at the end of a generation.
#[derive(Debug, Clone, Default)]
pub struct GenerationStats {
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    /// Why the model stopped. ollama-rs 0.3 drops Ollama's `done_reason`,
    /// so it is read from the counts: Ollama answers `length` exactly when
    /// `eval_count` reaches `num_predict`.
    pub stop: StopReason,
}

impl Llm {
    pub fn new(config: LlmConfig) -> Result<Self, LlmError> {
        let url = reqwest::Url::parse(&config.url).map_err(|e| LlmError::Config(e.to_string()))?;
        let host = url
            .host_str()
            .ok_or_else(|| LlmError::Config("no host".into()))?;
        let port = url.port_or_known_default().unwrap_or(11434);
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .build()
            .map_err(|e| LlmError::Config(e.to_string()))?;
        let base = format!("{}://{}", url.scheme(), host);
        Ok(Self {
            ollama: Ollama::builder()
                .host(base)
                .port(port)
                .reqwest_client(client.clone())
                .build(),
            http: client,
            config,
        })
    }

    /// Whether the model service answers at all (`GET /api/version`): any
    /// HTTP answer counts, a refused or silent connection does not.
    pub async fn reachable(&self) -> bool {
        let url = format!("{}/api/version", self.config.url.trim_end_matches('/'));
        self.http
            .get(url)
            .timeout(Duration::from_secs(3))
            .send()
            .await
            .is_ok()
    }

    pub fn model(&self) -> &str {
        &self.config.model
    }

    fn classify(&self, err: ollama_rs::error::OllamaError) -> LlmError {
        use ollama_rs::error::OllamaError;
        match err {
            OllamaError::ReqwestError(e) if e.is_connect() || e.is_timeout() => {
                LlmError::Unreachable {
                    url: self.config.url.clone(),
                    detail: if e.is_timeout() {
                        "timed out"
                    } else {
                        "connection refused"
                    }
                    .into(),
                }
            }
            OllamaError::ReqwestError(e) => LlmError::Service(format!("transport: {e}")),
            other => {
                let text = other.to_string();
                let lower = text.to_lowercase();
                if lower.contains("not found") && lower.contains("model") {
                    LlmError::ModelMissing(self.config.model.clone())
                } else {
                    // Keep the service's words short: they reach people.
                    LlmError::Service(text.chars().take(200).collect())
                }
            }
        }
    }

    pub fn context_tokens(&self) -> u32 {
        self.config.context_tokens
    }

    /// Starts a streamed generation.
    pub async fn stream(
        &self,
        system: &str,
        prompt: &str,
        sampling: Sampling,
    ) -> Result<Generation, LlmError> {
        self.stream_with_format(
            system,
            prompt,
            None,
            sampling,
            englog_core::JobKind::Report.as_str(),
        )
        .await
    }

    /// Starts a streamed generation whose answer must follow `schema`
    /// (Ollama's structured output; a JSON schema object, or `"json"`).
    pub async fn stream_json(
        &self,
        system: &str,
        prompt: &str,
        schema: serde_json::Value,
        sampling: Sampling,
    ) -> Result<Generation, LlmError> {
        let format = serde_json::from_value::<FormatType>(schema)
            .map_err(|e| LlmError::Config(format!("output schema: {e}")))?;
        self.stream_with_format(
            system,
            prompt,
            Some(format),
            sampling,
            englog_core::JobKind::Enrichment.as_str(),
        )
        .await
    }

    async fn stream_with_format(
        &self,
        system: &str,
        prompt: &str,
        format: Option<FormatType>,
        sampling: Sampling,
        kind: &'static str,
    ) -> Result<Generation, LlmError> {
        let options = ModelOptions::default()
            .num_ctx(u64::from(sampling.num_ctx))
            .num_predict(i32::try_from(sampling.num_predict).unwrap_or(i32::MAX))
            .temperature(sampling.temperature);
        let mut request = GenerationRequest::new(self.config.model.clone(), prompt.to_owned())
            .system(system.to_owned())
            .options(options);
        if let Some(format) = format {
            request = request.format(format);
        }
        let started = Instant::now();
        let call = ModelCall::start(kind);
        let stream = tokio::time::timeout(
            self.config.idle_timeout,
            self.ollama.generate_stream(request),
        )
        .await
        .map_err(|_| LlmError::Timeout(self.config.idle_timeout.as_secs()))
        .and_then(|started| started.map_err(|e| self.classify(e)))
        .inspect_err(|err| call.failed(err.outcome()))?;
        Ok(Generation {
            call,
            stream,
            queued: VecDeque::new(),
            done: false,
            stats: GenerationStats::default(),
            num_predict: sampling.num_predict,
            started,
            last_chunk: Instant::now(),
            idle_timeout: self.config.idle_timeout,
            total_timeout: self.config.total_timeout,
        })
    }
}

/// A generation in progress.
pub struct Generation {
    call: ModelCall,
    stream: GenerationResponseStream,
    queued: VecDeque<GenerationResponse>,
    done: bool,
    stats: GenerationStats,
    num_predict: u32,
    started: Instant,
    last_chunk: Instant,
    idle_timeout: Duration,
    total_timeout: Duration,
}

impl Generation {
    /// The next piece of text, `None` once the model says it is done. A
    /// stream that ends without the model's `done` is malformed.
    pub async fn next_text(&mut self) -> Result<Option<String>, LlmError> {
        let next = self.next_text_unmeasured().await;
        match &next {
            Ok(Some(_)) => self.call.first_token(self.started.elapsed()),
            Ok(None) => {}
            Err(err) => self.call.failed(err.outcome()),
        }
        next
    }

    async fn next_text_unmeasured(&mut self) -> Result<Option<String>, LlmError> {
        loop {
            if let Some(chunk) = self.queued.pop_front() {
                if chunk.done {
                    self.done = true;
                    let completion = chunk.eval_count.unwrap_or(0) as u32;
                    let stop = match chunk.eval_count {
                        Some(n) if n >= u64::from(self.num_predict) => StopReason::Length,
                        Some(_) => StopReason::Stop,
                        None => StopReason::Unknown,
                    };
                    self.stats = GenerationStats {
                        prompt_tokens: chunk.prompt_eval_count.unwrap_or(0) as u32,
                        completion_tokens: completion,
                        stop,
                    };
                    if stop == StopReason::Length {
                        self.call.cut_off();
                    }
                    self.call.finished(
                        chunk.prompt_eval_count.unwrap_or(0),
                        chunk.eval_count.unwrap_or(0),
                        chunk.eval_duration,
                    );
                }
                if !chunk.response.is_empty() {
                    return Ok(Some(chunk.response));
                }
                if self.done {
                    return Ok(None);
                }
                continue;
            }
            if self.done {
                return Ok(None);
            }
            let remaining = self.total_timeout.saturating_sub(self.started.elapsed());
            if remaining.is_zero() {
                return Err(LlmError::Timeout(self.total_timeout.as_secs()));
            }
            // Measured from the last chunk, not from this call: callers may
            // cancel and call again (to send heartbeats) without resetting it.
            let idle_left = self.idle_timeout.saturating_sub(self.last_chunk.elapsed());
            if idle_left.is_zero() {
                return Err(LlmError::Timeout(self.idle_timeout.as_secs()));
            }
            let wait = idle_left.min(remaining);
            match tokio::time::timeout(wait, self.stream.next()).await {
                Err(_) => {
                    return Err(LlmError::Timeout(
                        self.idle_timeout.min(self.total_timeout).as_secs(),
                    ));
                }
                Ok(None) => return Err(LlmError::Malformed),
                Ok(Some(Err(_))) => return Err(LlmError::Malformed),
                // ollama-rs drops lines it cannot parse; an empty batch is a
                // malformed line, which the missing `done` will reveal.
                Ok(Some(Ok(batch))) => {
                    self.last_chunk = Instant::now();
                    self.queued.extend(batch);
                }
            }
        }
    }

    pub fn stats(&self) -> &GenerationStats {
        &self.stats
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}
