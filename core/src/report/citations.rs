//! Citation markers. The prompt numbers each listed entry (`[E12]`); the
//! model is asked to end every statement with the markers of the entries it
//! rests on. Markers naming no listed entry are invented: they are removed
//! from the text and counted, so a report never links to something that
//! does not exist.

use uuid::Uuid;

use crate::jobs::Citation;

/// The model's text with markers checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CitedText {
    /// The text with invented markers removed.
    pub content: String,
    pub citations: Vec<Citation>,
    pub invented: u32,
}

/// Parses the marker list inside `[...]` (`E12`, `E12, E15`, `E12;E15`).
fn parse_marker_list(inner: &str) -> Option<Vec<usize>> {
    let mut numbers = Vec::new();
    for part in inner.split([',', ';']) {
        let part = part.trim();
        let digits = part.strip_prefix('E').or_else(|| part.strip_prefix('e'))?;
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 7 {
            return None;
        }
        numbers.push(digits.parse().ok()?);
    }
    (!numbers.is_empty()).then_some(numbers)
}

/// Checks the markers of one line against `refs` (marker `n` is
/// `refs[n - 1]`); returns the cleaned line, its cited ids with their
/// marker numbers, and the number of invented markers.
fn check_line(line: &str, refs: &[Uuid]) -> (String, Vec<(Uuid, u32)>, u32) {
    let mut out = String::with_capacity(line.len());
    let mut ids: Vec<(Uuid, u32)> = Vec::new();
    let mut invented = 0;
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find(']')
            .and_then(|close| Some((close, parse_marker_list(&after[..close])?)))
        {
            Some((close, numbers)) => {
                let mut kept = Vec::new();
                for n in numbers {
                    match n.checked_sub(1).and_then(|i| refs.get(i)) {
                        Some(id) => {
                            if !ids.iter().any(|(known, _)| known == id) {
                                ids.push((*id, n as u32));
                            }
                            kept.push(format!("E{n}"));
                        }
                        None => invented += 1,
                    }
                }
                if !kept.is_empty() {
                    out.push('[');
                    out.push_str(&kept.join(", "));
                    out.push(']');
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (out, ids, invented)
}

/// Statement text without markers, list bullets or heading marks.
fn statement_text(line: &str) -> String {
    let mut text = String::new();
    let mut depth = 0;
    for c in line.chars() {
        match c {
            '[' => depth += 1,
            ']' if depth > 0 => depth -= 1,
            _ if depth == 0 => text.push(c),
            _ => {}
        }
    }
    text.trim()
        .trim_start_matches(['-', '*', '#', ' '])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Verifies every marker of `text` against the listed entries.
pub fn extract_citations(text: &str, refs: &[Uuid]) -> CitedText {
    let mut content = String::with_capacity(text.len());
    let mut citations = Vec::new();
    let mut invented = 0;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            content.push('\n');
        }
        let (clean, ids, bad) = check_line(line, refs);
        invented += bad;
        if !ids.is_empty() {
            citations.push(Citation {
                statement: statement_text(&clean),
                entry_ids: ids.iter().map(|(id, _)| *id).collect(),
                markers: ids.iter().map(|(_, n)| *n).collect(),
            });
        }
        content.push_str(&clean);
    }
    CitedText {
        content,
        citations,
        invented,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_markers_are_kept_and_invented_ones_dropped() {
        let refs = [Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7()];
        let text = "## Wins\n- Shipped auth [E1, E3]\n- Fixed outage [E9]\n- Mixed [E2][E42]\nPlain [link](x) and [note]";
        let cited = extract_citations(text, &refs);
        assert_eq!(cited.invented, 2);
        assert_eq!(
            cited.content,
            "## Wins\n- Shipped auth [E1, E3]\n- Fixed outage \n- Mixed [E2]\nPlain [link](x) and [note]"
        );
        assert_eq!(cited.citations.len(), 2);
        assert_eq!(cited.citations[0].statement, "Shipped auth");
        assert_eq!(cited.citations[0].entry_ids, vec![refs[0], refs[2]]);
        assert_eq!(cited.citations[0].markers, vec![1, 3]);
        assert_eq!(cited.citations[1].entry_ids, vec![refs[1]]);
    }

    #[test]
    fn marker_zero_and_garbage_are_not_citations() {
        let refs = [Uuid::now_v7()];
        let cited = extract_citations("a [E0] b [E] c [Ex1] d [E1", &refs);
        assert_eq!(cited.invented, 1);
        assert!(cited.citations.is_empty());
        assert_eq!(cited.content, "a  b [E] c [Ex1] d [E1");
    }
}
