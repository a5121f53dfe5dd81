//! How long a model's answer may be, per kind of job. Ollama keeps
//! generating until the model stops or `num_predict` tokens are out; a small
//! model that loops would otherwise run until the worker's total timeout.
//! One place sizes every answer, and the API's embedded worker and
//! `englog-worker` read the same defaults.

use serde::{Deserialize, Serialize};

use crate::ReportType;

/// Answer caps in tokens (`num_predict`), sized from what each report asks
/// for: a daily recap is a few bullets; an annual assessment has ten
/// sections. Enrichment answers a small JSON object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnswerTokens {
    pub daily: u32,
    pub weekly: u32,
    pub sprint: u32,
    pub monthly: u32,
    pub quarterly: u32,
    pub annual: u32,
    pub custom: u32,
    pub enrichment: u32,
}

impl Default for AnswerTokens {
    fn default() -> Self {
        Self {
            daily: 700,
            weekly: 1_400,
            sprint: 1_400,
            monthly: 1_800,
            quarterly: 2_000,
            annual: 2_000,
            custom: 1_400,
            enrichment: 400,
        }
    }
}

impl AnswerTokens {
    pub fn report(&self, report_type: ReportType) -> u32 {
        match report_type {
            ReportType::Daily => self.daily,
            ReportType::Weekly => self.weekly,
            ReportType::Sprint => self.sprint,
            ReportType::Monthly => self.monthly,
            ReportType::Quarterly => self.quarterly,
            ReportType::Annual => self.annual,
            ReportType::Custom => self.custom,
        }
    }
}

/// Default context window of enrichment calls: one entry and a short
/// schema fit in 2,048 tokens, and a smaller window loads faster on the GPU
/// box.
pub const ENRICHMENT_CONTEXT_TOKENS: u32 = 2_048;

/// The cap actually sent: the configured one, but never more than what the
/// context window leaves after the prompt (Ollama would truncate the prompt
/// instead), and at least a usable minimum.
pub fn answer_cap(configured: u32, context_tokens: u32, prompt_tokens: usize) -> u32 {
    const MINIMUM: u32 = 128;
    let prompt = u32::try_from(prompt_tokens).unwrap_or(u32::MAX);
    configured
        .min(context_tokens.saturating_sub(prompt))
        .max(MINIMUM)
}

/// Why the model stopped writing (Ollama's `done_reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The model ended its answer.
    Stop,
    /// The answer reached `num_predict`: it may be cut off.
    Length,
    /// The service did not say (e.g. an older server).
    #[default]
    Unknown,
}

impl StopReason {
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::Stop => "stop",
            StopReason::Length => "length",
            StopReason::Unknown => "unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_room_for_the_prompt() {
        assert_eq!(answer_cap(1_400, 8_192, 6_000), 1_400);
        assert_eq!(answer_cap(2_000, 8_192, 7_000), 1_192);
        assert_eq!(answer_cap(1_400, 2_048, 4_000), 128);
    }

    #[test]
    fn longer_periods_get_longer_answers() {
        let t = AnswerTokens::default();
        assert!(t.report(ReportType::Daily) < t.report(ReportType::Weekly));
        assert!(t.report(ReportType::Weekly) <= t.report(ReportType::Annual));
        assert!(t.enrichment < t.report(ReportType::Daily));
    }
}
