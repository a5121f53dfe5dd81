//! A report as a Markdown file: a title and period header, the report text
//! as written, a Sources list mapping each `[En]` marker to its entry, and
//! the period's metrics as tables. Nothing about how it was made (model,
//! tokens, timings): that stays in the app's details.

use std::fmt::Write;

use super::report_doc::{ReportDocument, Table};

/// A table cell: pipes escaped, line breaks flattened.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

fn push_table(out: &mut String, table: &Table) {
    let _ = writeln!(out, "### {}\n", table.title);
    let header: Vec<String> = table.columns.iter().map(|c| cell(c)).collect();
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", " --- |".repeat(table.columns.len()));
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

pub fn render(doc: &ReportDocument) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", doc.title);
    let _ = writeln!(out, "- **Period:** {}", doc.period());
    if let Some(at) = doc.finished_at {
        let _ = writeln!(out, "- **Generated:** {}", at.format("%Y-%m-%d %H:%M UTC"));
    }
    if !doc.focus_areas.is_empty() {
        let _ = writeln!(out, "- **Focus areas:** {}", doc.focus_areas.join(", "));
    }
    out.push('\n');
    out.push_str(doc.content.trim_end());
    out.push_str("\n\n");
    if !doc.sources.is_empty() {
        out.push_str("## Sources\n\n");
        for source in &doc.sources {
            let _ = match &source.entry {
                Some(e) => writeln!(out, "- [E{}] {} — {}", source.marker, e.date, e.title),
                None => writeln!(out, "- [E{}] entry since deleted", source.marker),
            };
        }
        out.push('\n');
    }
    if !doc.tables.is_empty() {
        out.push_str("## Metrics\n\n");
        for table in &doc.tables {
            push_table(&mut out, table);
        }
    }
    out
}
