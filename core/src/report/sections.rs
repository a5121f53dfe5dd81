//! Splits a Markdown report into its `#`/`##` sections.

use crate::jobs::ReportSection;

pub fn split_sections(markdown: &str) -> Vec<ReportSection> {
    let mut sections: Vec<ReportSection> = Vec::new();
    let mut preamble = String::new();
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        let heading = trimmed
            .strip_prefix("## ")
            .or_else(|| trimmed.strip_prefix("# "));
        match (heading, sections.last_mut()) {
            (Some(h), _) => sections.push(ReportSection {
                heading: h.trim().to_owned(),
                body: String::new(),
            }),
            (None, Some(current)) => {
                current.body.push_str(line);
                current.body.push('\n');
            }
            (None, None) => {
                preamble.push_str(line);
                preamble.push('\n');
            }
        }
    }
    for s in &mut sections {
        s.body = s.body.trim().to_owned();
    }
    if !preamble.trim().is_empty() {
        sections.insert(
            0,
            ReportSection {
                heading: String::new(),
                body: preamble.trim().to_owned(),
            },
        );
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_start_sections() {
        let s = split_sections("Intro\n# Weekly\n## Wins\n- a\n- b\n## Next\nmore");
        let headings: Vec<_> = s.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(headings, ["", "Weekly", "Wins", "Next"]);
        assert_eq!(s[2].body, "- a\n- b");
    }
}
