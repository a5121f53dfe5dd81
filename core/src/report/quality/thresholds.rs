//! Every number the quality gate uses, in one place.

use serde::{Deserialize, Serialize};

use crate::ReportType;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Thresholds {
    /// Phrase length, in words, for the repetition measure: 4-word phrases
    /// rarely recur in real prose, and a loop repeats every one of them.
    pub ngram: usize,
    /// Answers with fewer phrases than this are too short to judge for
    /// repetition (the length checks speak for them).
    pub min_ngrams: usize,
    /// Share of repeated phrases above which the answer is a loop (a
    /// looping model scores above 0.9; a real report below 0.1).
    pub repetition_major: f64,
    /// … and above which it is worth a warning.
    pub repetition_minor: f64,
    /// Share of the answer's text copied from the prompt's lines (the entry
    /// listing, the summary) above which it is an echo, not a report.
    pub echo_major: f64,
    pub echo_minor: f64,
    /// Prompt lines shorter than this are not counted when copied: headings
    /// and short phrases legitimately recur.
    pub echo_min_line_chars: usize,
    /// Fewer letters and digits than this (markers aside): no answer.
    pub min_meaningful_chars: usize,
    /// Words expected per entry of the period: a short period needs fewer
    /// words than the report type's minimum.
    pub words_per_entry: usize,
    /// Below this share of the expected words, an answer is far too short.
    pub too_short_major_share: f64,
    /// Invented markers beyond this many per valid one make the citations
    /// untrustworthy rather than slightly off.
    pub invented_per_valid_major: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            ngram: 4,
            min_ngrams: 12,
            repetition_major: 0.5,
            repetition_minor: 0.25,
            echo_major: 0.4,
            echo_minor: 0.15,
            echo_min_line_chars: 24,
            min_meaningful_chars: 20,
            words_per_entry: 8,
            too_short_major_share: 0.25,
            invented_per_valid_major: 1.0,
        }
    }
}

impl Thresholds {
    /// Words a report of this type should have when the period is full.
    pub fn min_words(&self, report_type: ReportType) -> usize {
        match report_type {
            ReportType::Daily => 40,
            ReportType::Weekly | ReportType::Sprint => 80,
            ReportType::Custom => 60,
            ReportType::Monthly => 120,
            ReportType::Quarterly | ReportType::Annual => 150,
        }
    }

    /// Words expected for this period: the type's minimum, or fewer for a
    /// period with few entries.
    pub fn expected_words(&self, report_type: ReportType, entries: usize) -> usize {
        self.min_words(report_type)
            .min(self.words_per_entry * entries.max(1))
    }

    /// `##` sections the prompt asks for, at least.
    pub fn min_sections(&self, report_type: ReportType) -> usize {
        match report_type {
            ReportType::Daily => 2,
            _ => 3,
        }
    }
}
