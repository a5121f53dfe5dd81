//! How a report was made, as typed GraphQL fields: read from the
//! diagnostic keys of its stored metrics (see
//! `englog_core::report::diagnostics`), for the SPA's "details" and for
//! operators; the exported documents leave them out.

use async_graphql::SimpleObject;
use englog_core::report::diagnostics as key;

#[derive(SimpleObject, Clone, Debug, Default, PartialEq)]
pub struct ReportDiagnostics {
    /// How the period's entries were fitted into the prompt: `Detailed`,
    /// `Weekly`, `Monthly` or `KeyOnly`.
    pub prompt_layer: Option<String>,
    pub estimated_prompt_tokens: Option<i64>,
    /// Key entries left out of the prompt for lack of room.
    pub key_entries_omitted: Option<i64>,
    /// The answer's token cap (`num_predict`).
    pub answer_token_cap: Option<i64>,
    /// Why the model stopped: `stop`, `length` (the cap) or `unknown`.
    pub done_reason: Option<String>,
    /// Whether the quality gate refused a first answer and this one was
    /// written again with stricter instructions.
    pub quality_retry: Option<bool>,
    /// Citation markers naming no entry, removed from the text.
    pub invented_citations: Option<i64>,
    pub generation_ms: Option<i64>,
}

impl ReportDiagnostics {
    /// `None` when the metrics hold none of the keys (reports still being
    /// written, or written before diagnostics were kept).
    pub fn from_metrics(metrics: &serde_json::Value) -> Option<Self> {
        let map = metrics.as_object()?;
        let int = |k: &str| map.get(k).and_then(serde_json::Value::as_i64);
        let text = |k: &str| map.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        let found = Self {
            prompt_layer: text(key::PROMPT_LAYER),
            estimated_prompt_tokens: int(key::ESTIMATED_PROMPT_TOKENS),
            key_entries_omitted: int(key::KEY_ENTRIES_OMITTED),
            answer_token_cap: int(key::ANSWER_TOKEN_CAP),
            done_reason: text(key::DONE_REASON),
            quality_retry: map.get(key::QUALITY_RETRY).and_then(|v| v.as_bool()),
            invented_citations: int(key::INVENTED_CITATIONS),
            generation_ms: int(key::GENERATION_MS),
        };
        (found != Self::default()).then_some(found)
    }
}
