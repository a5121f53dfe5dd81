//! Keys of a report's `metrics` object that say how the report was made
//! (prompt layer, token counts, the quality retry…), not what the period
//! held. They stay available to the API and the SPA's "details", and are
//! left out of the documents a person hands on.

pub const PROMPT_LAYER: &str = "promptLayer";
pub const ESTIMATED_PROMPT_TOKENS: &str = "estimatedPromptTokens";
pub const KEY_ENTRIES_OMITTED: &str = "keyEntriesOmitted";
pub const ANSWER_TOKEN_CAP: &str = "answerTokenCap";
pub const DONE_REASON: &str = "doneReason";
pub const QUALITY_RETRY: &str = "qualityRetry";
pub const INVENTED_CITATIONS: &str = "inventedCitations";
pub const GENERATION_MS: &str = "generationMs";

const KEYS: [&str; 8] = [
    PROMPT_LAYER,
    ESTIMATED_PROMPT_TOKENS,
    KEY_ENTRIES_OMITTED,
    ANSWER_TOKEN_CAP,
    DONE_REASON,
    QUALITY_RETRY,
    INVENTED_CITATIONS,
    GENERATION_MS,
];

pub fn is_diagnostic(key: &str) -> bool {
    KEYS.contains(&key)
}
