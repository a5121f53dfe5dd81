//! The quality gate: whether a model's answer may be stored as a finished
//! report. A small or confused model can loop on one phrase, copy the
//! prompt's entry listing back, stop after a line, or cite nothing; such an
//! answer must not reach a person's manager as a "succeeded" report.
//!
//! Each check yields a finding with a sentence the person can read. Major
//! findings refuse the answer (the worker retries once with a stricter
//! prompt, then fails the report with the reasons); minor ones let it
//! through with a visible warning. Every number is in [`Thresholds`].

mod measures;
mod thresholds;

use serde::{Deserialize, Serialize};

use crate::ReportType;
pub use crate::generation::StopReason;
pub use measures::without_echo;
pub use thresholds::Thresholds;

/// What the gate looks at.
#[derive(Debug, Clone)]
pub struct GateInput<'a> {
    /// The model's whole answer, before citation cleaning.
    pub text: &'a str,
    /// The prompt sent (its entry listing is what an echo copies).
    pub prompt: &'a str,
    pub report_type: ReportType,
    /// Entries listed in the prompt.
    pub period_entries: usize,
    /// Distinct listed entries the answer cites.
    pub valid_citations: usize,
    /// Markers naming no listed entry.
    pub invented_citations: u32,
    pub stop: StopReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Refuses the answer.
    Major,
    /// Lets it through with a warning.
    Minor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    Empty,
    Repetition,
    PromptEcho,
    TooShort,
    MissingSections,
    NoCitations,
    InventedCitations,
    CutOff,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub check: Check,
    pub severity: Severity,
    /// A sentence for the person.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Pass,
    PassWithWarnings(Vec<Finding>),
    /// Major findings first.
    Reject(Vec<Finding>),
}

impl Verdict {
    pub fn findings(&self) -> &[Finding] {
        match self {
            Verdict::Pass => &[],
            Verdict::PassWithWarnings(f) | Verdict::Reject(f) => f,
        }
    }
}

/// The findings' sentences, as one text.
pub fn reasons(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| f.reason.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn percent(share: f64) -> u32 {
    (share * 100.0).round() as u32
}

fn finding(check: Check, severity: Severity, reason: String) -> Finding {
    Finding {
        check,
        severity,
        reason,
    }
}

pub fn assess(input: &GateInput, t: &Thresholds) -> Verdict {
    use Severity::{Major, Minor};
    let text = input.text;
    let kind = input.report_type.as_str();
    if measures::meaningful_chars(text) < t.min_meaningful_chars {
        return Verdict::Reject(vec![finding(
            Check::Empty,
            Major,
            "The model returned no report text.".into(),
        )]);
    }
    let mut found = Vec::new();
    let words = measures::words(text);

    let repeated =
        measures::repetition(&words, t.ngram, t.min_ngrams).max(measures::repeated_lines(text));
    if repeated > t.repetition_major {
        found.push(finding(
            Check::Repetition,
            Major,
            format!(
                "It mostly repeats itself ({}% of its {}-word phrases or lines are repeats).",
                percent(repeated),
                t.ngram
            ),
        ));
    } else if repeated > t.repetition_minor {
        found.push(finding(
            Check::Repetition,
            Minor,
            format!(
                "Parts of it repeat ({}% of its {}-word phrases or lines are repeats).",
                percent(repeated),
                t.ngram
            ),
        ));
    }

    let echoed = measures::echo(text, input.prompt, t.echo_min_line_chars);
    if echoed > t.echo_major || echoed > t.echo_minor {
        let severity = if echoed > t.echo_major { Major } else { Minor };
        found.push(finding(
            Check::PromptEcho,
            severity,
            format!(
                "It copies the prompt's list of entries back ({}% of its text) instead of reporting on them.",
                percent(echoed)
            ),
        ));
    }

    let expected = t.expected_words(input.report_type, input.period_entries);
    if words.len() < expected {
        let far = (words.len() as f64) < expected as f64 * t.too_short_major_share;
        found.push(finding(
            Check::TooShort,
            if far { Major } else { Minor },
            format!(
                "It is {} for the period: {} words where about {expected} are expected for {} entries.",
                if far { "far too short" } else { "short" },
                words.len(),
                input.period_entries
            ),
        ));
    }

    let sections = measures::headings(text);
    let wanted = t.min_sections(input.report_type);
    if sections == 0 {
        found.push(finding(
            Check::MissingSections,
            Major,
            format!("It has no `##` sections; a {kind} report needs at least {wanted}."),
        ));
    } else if sections < wanted {
        found.push(finding(
            Check::MissingSections,
            Minor,
            format!("It has {sections} of the {wanted} sections expected in a {kind} report."),
        ));
    }

    if input.period_entries > 0 && input.valid_citations == 0 {
        let reason = if input.invented_citations > 0 {
            format!(
                "It cites no entry of the period: its {} citation marker(s) named entries that do not exist.",
                input.invented_citations
            )
        } else {
            "It cites no entry of the period, so none of its statements can be checked against the journal.".to_owned()
        };
        found.push(finding(Check::NoCitations, Major, reason));
    } else if input.invented_citations > 0 {
        let many = f64::from(input.invented_citations)
            > input.valid_citations as f64 * t.invented_per_valid_major;
        found.push(finding(
            Check::InventedCitations,
            if many { Major } else { Minor },
            format!(
                "{} citation marker(s) named no entry of the period and were removed.",
                input.invented_citations
            ),
        ));
    }

    if input.stop == StopReason::Length {
        let complete = sections >= wanted && measures::ends_complete(text);
        found.push(if complete {
            finding(
                Check::CutOff,
                Minor,
                "It reached the length limit, but every section is complete.".into(),
            )
        } else {
            finding(
                Check::CutOff,
                Major,
                "It was cut off at the length limit before it was complete.".into(),
            )
        });
    }

    found.sort_by_key(|f| f.severity);
    match found.first().map(|f| f.severity) {
        None => Verdict::Pass,
        Some(Major) => Verdict::Reject(found),
        Some(Minor) => Verdict::PassWithWarnings(found),
    }
}

/// Appended to the prompt for the second try after a refusal: the rules
/// again, briefly, and what went wrong.
pub fn stricter_reminder(findings: &[Finding]) -> String {
    let mut out = String::from("\n## Reminder\nA previous answer was refused: ");
    out.push_str(&reasons(findings));
    out.push_str(
        "\nWrite the report again, following these rules strictly:\n\
- Do not copy the list of activities; summarise what they achieved.\n\
- Use `##` section headings and short bullet points.\n\
- End every statement with the markers of the activities it rests on, like [E3], \
taken only from the list above.\n\
- Never repeat a phrase or a line; stop when the sections are written.\n",
    );
    out
}

#[cfg(test)]
mod tests;
