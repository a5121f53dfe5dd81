//! How much one import may bring in.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportSettings {
    /// Largest file content accepted, in bytes (UTF-8).
    pub max_content_bytes: usize,
    /// Most rows (CSV records, calendar occurrences, account entries) one
    /// import may hold.
    pub max_rows: usize,
    /// Longest ICS window, in days.
    pub max_window_days: i64,
}

impl Default for ImportSettings {
    fn default() -> Self {
        Self {
            max_content_bytes: 5 * 1024 * 1024,
            max_rows: 10_000,
            max_window_days: 731,
        }
    }
}

impl ImportSettings {
    /// The request body `/graphql` must accept to carry the largest import:
    /// JSON escaping can double a file (every `"` or `\` gains a `\`), plus
    /// room for the query itself.
    pub fn graphql_body_bytes(&self) -> usize {
        self.max_content_bytes
            .saturating_mul(2)
            .saturating_add(64 * 1024)
    }
}
