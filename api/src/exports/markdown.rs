//! A report as a Markdown file: a title and period header, the report text
//! as written, the sources its statements cite, and its metrics as tables.

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
    let _ = writeln!(out, "# {}\n", doc.title());
    let _ = writeln!(out, "- **Period:** {}", doc.period());
    if let Some(at) = doc.finished_at {
        let _ = writeln!(out, "- **Generated:** {}", at.format("%Y-%m-%d %H:%M UTC"));
    }
    if let Some(model) = &doc.model {
        let _ = writeln!(out, "- **Model:** {model}");
    }
    if !doc.focus_areas.is_empty() {
        let _ = writeln!(out, "- **Focus areas:** {}", doc.focus_areas.join(", "));
    }
    out.push('\n');
    out.push_str(doc.content.trim_end());
    out.push_str("\n\n");
    if !doc.citations.is_empty() {
        out.push_str("## Sources\n\n");
        for c in &doc.citations {
            let sources: Vec<String> = c
                .entries
                .iter()
                .map(|e| format!("{} ({})", e.title, e.date))
                .collect();
            let sources = if sources.is_empty() {
                "entries since deleted".to_owned()
            } else {
                sources.join("; ")
            };
            let _ = writeln!(out, "- {} — *{}*", c.statement.trim(), sources);
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
