//! The quick-add line: a title with inline tokens, as typed in the terminal
//! client (`englog log "…"`) and, later, the web's quick add, so both read
//! the same line the same way.
//!
//! `Fixed checkout 502 #incident +Payments !high @company ~debug -45m` is
//! the title "Fixed checkout 502", tag `incident`, project "Payments",
//! value high, impact company, type debug, started 45 minutes ago.
//!
//! A token starts a whitespace-separated word, so `a@b.c` is not one. A
//! word that looks like a token but names nothing (`!urgent`, `@bob`, `-5`,
//! `#812`, `+1`) stays in the title as typed: the parser never drops words
//! it does not understand. No clock here: the offset is returned as a
//! duration and the caller anchors it to its own "now".

use chrono::TimeDelta;

use crate::validation::{normalize_tag_name, validate_tag_name};
use crate::{ActivityType, ImpactLevel, ValueRating};

/// What one quick-add line says. Single-valued tokens given twice keep the
/// last; tags keep their first-seen order without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuickAdd {
    /// The words that are not tokens, joined by single spaces; may be empty.
    pub title: String,
    pub tags: Vec<String>,
    /// A project *name* (`+Payments`, `+"Payments API"`); the caller
    /// resolves it to one of the person's projects.
    pub project: Option<String>,
    pub value: Option<ValueRating>,
    pub impact: Option<ImpactLevel>,
    pub activity_type: Option<ActivityType>,
    /// `-45m`: the work started this long before "now" and ends "now".
    pub started_ago: Option<TimeDelta>,
}

/// Reads a quick-add line. Never fails: what is not a token is title.
pub fn parse(line: &str) -> QuickAdd {
    let mut out = QuickAdd::default();
    let mut title: Vec<&str> = Vec::new();
    for word in words(line) {
        if !apply(&mut out, word) {
            title.push(word);
        }
    }
    out.title = title.join(" ");
    out
}

/// `45m`, `1h30m`, `2h`: a positive span of hours and/or minutes. Shared
/// by the `-45m` token and the client's `--duration` flag.
pub fn parse_duration(text: &str) -> Option<TimeDelta> {
    let (hours, rest) = match text.split_once('h') {
        Some((h, rest)) => (Some(digits(h)?), rest),
        None => (None, text),
    };
    let minutes = match rest {
        "" => None,
        m => Some(digits(m.strip_suffix('m')?)?),
    };
    if hours.is_none() && minutes.is_none() {
        return None;
    }
    let total = hours.unwrap_or(0) * 60 + minutes.unwrap_or(0);
    (total > 0).then(|| TimeDelta::minutes(total))
}

/// A run of ASCII digits as a number small enough to never overflow.
fn digits(text: &str) -> Option<i64> {
    if text.is_empty() || text.len() > 6 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Whitespace-separated words, except that `+"Two words"` is one word.
fn words(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        let end = quoted_project_end(rest)
            .unwrap_or_else(|| rest.find(char::is_whitespace).unwrap_or(rest.len()));
        out.push(&rest[..end]);
        rest = rest[end..].trim_start();
    }
    out
}

/// Byte length of a `+"…"` word at the start of `text` whose closing quote
/// ends a word; `None` when `text` does not start one.
fn quoted_project_end(text: &str) -> Option<usize> {
    let inner = text.strip_prefix("+\"")?;
    let close = inner.find('"')?;
    let end = 2 + close + 1;
    let ends_word = text[end..].chars().next().is_none_or(char::is_whitespace);
    ends_word.then_some(end)
}

/// Records `word` in `out` if it is a valid token; `false` leaves it to
/// the title.
fn apply(out: &mut QuickAdd, word: &str) -> bool {
    let Some(first) = word.chars().next() else {
        return false;
    };
    let rest = &word[first.len_utf8()..];
    match first {
        '#' => match tag(rest) {
            Some(t) => {
                if !out.tags.contains(&t) {
                    out.tags.push(t);
                }
                true
            }
            None => false,
        },
        '+' => set(&mut out.project, project(rest)),
        '!' => set(&mut out.value, rest.to_lowercase().parse().ok()),
        '@' => set(&mut out.impact, rest.to_lowercase().parse().ok()),
        '~' => set(&mut out.activity_type, rest.to_lowercase().parse().ok()),
        '-' => set(&mut out.started_ago, parse_duration(rest)),
        _ => false,
    }
}

fn set<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    match value {
        Some(v) => {
            *slot = Some(v);
            true
        }
        None => false,
    }
}

/// A tag the server would accept, with at least one letter: `#812` is an
/// issue number, not a tag.
fn tag(text: &str) -> Option<String> {
    let name = normalize_tag_name(text);
    let valid = validate_tag_name("tags", &name).is_ok();
    (valid && name.chars().any(char::is_alphabetic)).then_some(name)
}

/// `Payments` or `"Payments API"`; an unquoted name needs a letter (`+1`
/// is agreement, not a project).
fn project(text: &str) -> Option<String> {
    if let Some(quoted) = text.strip_prefix('"') {
        let name = quoted.strip_suffix('"')?.trim();
        return (!name.is_empty()).then(|| name.to_owned());
    }
    let starts_well = text.chars().next().is_some_and(char::is_alphanumeric);
    (starts_well && text.chars().any(char::is_alphabetic)).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minutes(m: i64) -> Option<TimeDelta> {
        Some(TimeDelta::minutes(m))
    }

    #[test]
    fn the_issue_example_reads_every_token() {
        let q = parse("Fixed checkout 502 #incident +Payments !high @company ~debug -45m");
        assert_eq!(
            q,
            QuickAdd {
                title: "Fixed checkout 502".into(),
                tags: vec!["incident".into()],
                project: Some("Payments".into()),
                value: Some(ValueRating::High),
                impact: Some(ImpactLevel::Company),
                activity_type: Some(ActivityType::Debug),
                started_ago: minutes(45),
            }
        );
    }

    #[test]
    fn each_token_alone() {
        use ActivityType as A;
        use ImpactLevel as I;
        use ValueRating as V;
        // (line, title, tags, project, value, impact, type, minutes ago)
        type Row<'a> = (
            &'a str,
            &'a str,
            &'a [&'a str],
            Option<&'a str>,
            Option<V>,
            Option<I>,
            Option<A>,
            Option<i64>,
        );
        #[rustfmt::skip]
        let table: &[Row] = &[
            ("Plain title", "Plain title", &[], None, None, None, None, None),
            ("Tagged #Rust #rust #ci", "Tagged", &["rust", "ci"], None, None, None, None, None),
            ("C sharp #c#", "C sharp", &["c#"], None, None, None, None, None),
            ("Sync +\"Payments API\" notes", "Sync notes", &[], Some("Payments API"), None, None, None, None),
            ("Sync +Payments-API", "Sync", &[], Some("Payments-API"), None, None, None, None),
            ("Low !low", "Low", &[], None, Some(V::Low), None, None, None),
            ("Mid !Medium", "Mid", &[], None, Some(V::Medium), None, None, None),
            ("Team @team", "Team", &[], None, None, Some(I::Team), None, None),
            ("Prod @product", "Prod", &[], None, None, Some(I::Product), None, None),
            ("Me @personal", "Me", &[], None, None, Some(I::Personal), None, None),
            ("Chat ~meeting", "Chat", &[], None, None, None, Some(A::Meeting), None),
            ("Runbook ~OPS", "Runbook", &[], None, None, None, Some(A::Ops), None),
            ("Long -1h30m", "Long", &[], None, None, None, None, Some(90)),
            ("Hours -2h", "Hours", &[], None, None, None, None, Some(120)),
            ("Later wins !low !high", "Later wins", &[], None, Some(V::High), None, None, None),
            ("  spaced   out\twords ", "spaced out words", &[], None, None, None, None, None),
        ];
        for (line, title, tags, project, value, impact, kind, ago) in table {
            let q = parse(line);
            assert_eq!(q.title, *title, "{line}");
            assert_eq!(q.tags, *tags, "{line}");
            assert_eq!(q.project.as_deref(), *project, "{line}");
            assert_eq!(q.value, *value, "{line}");
            assert_eq!(q.impact, *impact, "{line}");
            assert_eq!(q.activity_type, *kind, "{line}");
            assert_eq!(q.started_ago, ago.and_then(minutes), "{line}");
        }
    }

    #[test]
    fn words_that_only_look_like_tokens_stay_in_the_title() {
        for line in [
            "Triage !urgent",
            "Pair with @bob",
            "Mail ada@example.com",
            "Fix PR #812",
            "Agree +1",
            "Off by -5",
            "Nothing -0m",
            "Odd -45x",
            "Odd -m",
            "Lonely # + ! @ ~ -",
            "Unknown ~coding",
            "Open +\"Payments API",
            "Glued +\"Payments\"API",
            "Empty +\"\"",
            "Minus -1h30",
            "Tilde a~debug",
        ] {
            assert_eq!(
                parse(line),
                QuickAdd {
                    title: line.split_whitespace().collect::<Vec<_>>().join(" "),
                    ..Default::default()
                },
                "{line}"
            );
        }
    }

    #[test]
    fn a_line_of_only_tokens_has_an_empty_title() {
        let q = parse("#a ~code");
        assert_eq!(q.title, "");
        assert_eq!(q.activity_type, Some(ActivityType::Code));
    }

    #[test]
    fn durations_read_hours_and_minutes() {
        let table = [
            ("45m", Some(45)),
            ("1h", Some(60)),
            ("1h30m", Some(90)),
            ("0h5m", Some(5)),
            ("90m", Some(90)),
            ("0m", None),
            ("", None),
            ("h", None),
            ("1h30", None),
            ("m30", None),
            ("-5m", None),
            ("1.5h", None),
            ("9999999m", None),
        ];
        for (text, expected) in table {
            assert_eq!(parse_duration(text), expected.and_then(minutes), "{text}");
        }
    }
}
