//! What the gate measures in an answer: words, repeated phrases, lines
//! copied from the prompt, sections, and whether it ends where a writer
//! would stop. Pure text functions, each tested on its own.

use std::collections::HashSet;

/// Lower-case words without punctuation; citation markers (`[E3]`) are
/// not words.
pub fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|w| !is_marker(w))
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn is_marker(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '[' && c != ']');
    w.starts_with("[E") || w.starts_with("[e") || (w.starts_with('E') && w.ends_with(']'))
}

/// Letters and digits outside citation markers.
pub fn meaningful_chars(text: &str) -> usize {
    words(text).iter().map(|w| w.chars().count()).sum()
}

/// Share of `n`-word phrases that repeat an earlier one (0 when there are
/// fewer than `min` phrases).
pub fn repetition(words: &[String], n: usize, min: usize) -> f64 {
    if n == 0 || words.len() < n {
        return 0.0;
    }
    let total = words.len() - n + 1;
    if total < min {
        return 0.0;
    }
    let distinct: HashSet<&[String]> = words.windows(n).collect();
    1.0 - distinct.len() as f64 / total as f64
}

/// Share of non-empty lines that repeat an earlier line word for word: a
/// model stuck on one line.
pub fn repeated_lines(text: &str) -> f64 {
    let lines: Vec<String> = text
        .lines()
        .map(normalise_line)
        .filter(|l| l.len() >= 12)
        .collect();
    if lines.len() < 4 {
        return 0.0;
    }
    let distinct: HashSet<&String> = lines.iter().collect();
    1.0 - distinct.len() as f64 / lines.len() as f64
}

/// A line without list bullets, heading marks and case or spacing
/// differences.
pub fn normalise_line(line: &str) -> String {
    line.trim()
        .trim_start_matches(['-', '*', '+', '#', '>', ' '])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// `[E12] Tue 2026-03-03 …`: the shape of the prompt's entry listing.
fn looks_like_listing(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("[e") else {
        return false;
    };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || !rest[digits..].starts_with("] ") {
        return false;
    }
    let after = &rest[digits + 2..];
    let mut parts = after.split_whitespace();
    let day = parts.next().unwrap_or("");
    let date = parts.next().unwrap_or("");
    day.len() == 3
        && day.chars().all(char::is_alphabetic)
        && date.len() == 10
        && date.chars().filter(|c| *c == '-').count() == 2
}

/// The prompt's lines worth recognising when copied.
fn prompt_lines(prompt: &str, min_line_chars: usize) -> HashSet<String> {
    prompt
        .lines()
        .map(normalise_line)
        .filter(|l| l.len() >= min_line_chars)
        .collect()
}

/// The answer without its lines copied from the prompt: markers in a
/// copied listing line name real entries but cite nothing.
pub fn without_echo(text: &str, prompt: &str, min_line_chars: usize) -> String {
    let copied = prompt_lines(prompt, min_line_chars);
    text.lines()
        .filter(|line| {
            let l = normalise_line(line);
            !(looks_like_listing(&l) || copied.contains(&l))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Share of the answer's text (by characters of non-empty lines) that is
/// copied from the prompt's lines or shaped like its entry listing.
pub fn echo(text: &str, prompt: &str, min_line_chars: usize) -> f64 {
    let prompt_lines = prompt_lines(prompt, min_line_chars);
    let mut total = 0usize;
    let mut copied = 0usize;
    for line in text.lines().map(normalise_line).filter(|l| !l.is_empty()) {
        total += line.len();
        if looks_like_listing(&line) || prompt_lines.contains(&line) {
            copied += line.len();
        }
    }
    if total == 0 {
        0.0
    } else {
        copied as f64 / total as f64
    }
}

/// Lines that are Markdown headings (`#` … `######` then a space).
pub fn headings(text: &str) -> usize {
    text.lines().filter(|l| is_heading(l)).count()
}

fn is_heading(line: &str) -> bool {
    let t = line.trim_start();
    let hashes = t.chars().take_while(|c| *c == '#').count();
    (1..=6).contains(&hashes) && t[hashes..].starts_with(' ')
}

/// Whether the last section has a body and the text stops at the end of a
/// sentence, a citation or a list item, not mid-word.
pub fn ends_complete(text: &str) -> bool {
    let trimmed = text.trim_end();
    let last_heading_body = trimmed
        .lines()
        .rev()
        .take_while(|l| !is_heading(l))
        .any(|l| !l.trim().is_empty());
    let last = trimmed.chars().last();
    last_heading_body && matches!(last, Some('.' | '!' | '?' | ']' | ')' | '"' | '”' | '…'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_skip_markers_and_punctuation() {
        assert_eq!(
            words("- Shipped auth, fast! [E1] [E2, E3]"),
            ["shipped", "auth", "fast"]
        );
    }

    #[test]
    fn a_loop_repeats_and_prose_does_not() {
        let looped = words(&"high value, ".repeat(50));
        assert!(repetition(&looped, 4, 12) > 0.9);
        let prose = words(
            "Shipped the login flow after a careful rollout. Reviewed three pull requests \
             on payments and paired with Sam on the retry budget. Planned the next sprint.",
        );
        assert!(repetition(&prose, 4, 12) < 0.05);
        assert_eq!(repetition(&words("too short"), 4, 12), 0.0);
    }

    #[test]
    fn repeating_more_never_lowers_the_ratio() {
        let base = "Shipped the login flow and reviewed the payments change with the team. ";
        let mut last = 0.0;
        for times in 1..8 {
            let ratio = repetition(&words(&base.repeat(times)), 4, 1);
            assert!(ratio >= last, "{times}: {ratio} < {last}");
            last = ratio;
        }
    }

    #[test]
    fn the_listing_shape_is_recognised() {
        assert!(looks_like_listing(&normalise_line(
            "- [E3] Tue 2026-03-03 09:00, 45 min, code, high value"
        )));
        assert!(!looks_like_listing(&normalise_line(
            "- Shipped auth [E3] on Tuesday"
        )));
    }

    #[test]
    fn copied_listing_lines_are_taken_out() {
        let text =
            "## Wins\n[E1] Mon 2026-03-02 10:00, 90 min, code — Refunds\n- Shipped refunds [E1]";
        assert_eq!(
            without_echo(text, "", 24),
            "## Wins\n- Shipped refunds [E1]"
        );
    }

    #[test]
    fn complete_endings() {
        assert!(ends_complete("## Wins\n- Shipped auth [E1]\n"));
        assert!(ends_complete("## Wins\nA good week."));
        assert!(!ends_complete("## Wins\n- Shipped the auth flo"));
        assert!(!ends_complete("## Wins\n- Shipped auth.\n## Next"));
    }
}
