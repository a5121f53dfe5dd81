//! A report as a PDF a person can hand on, written with `pdf-writer`: the
//! title, period and focus areas, the report's Markdown laid out
//! ([`markdown`]), a Sources list mapping each `[En]` marker to its entry,
//! the period's metrics as tables, and page numbers. Text is set in
//! embedded, subset Unicode fonts ([`fonts`]).

mod fonts;
mod layout;
mod markdown;

use pdf_writer::types::{ActionType, AnnotationType};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::report_doc::ReportDocument;
pub use fonts::FontError;
use fonts::{Fonts, Style};
use layout::{Layout, PAGE_HEIGHT, PAGE_WIDTH, Page, Span, Tone};
use markdown::Block;

const BODY: f32 = 10.5;

fn heading_size(level: u8) -> f32 {
    match level {
        1 => 15.0,
        2 => 13.0,
        _ => 11.5,
    }
}

/// Lays the report's Markdown out block by block.
fn content(layout: &mut Layout, markdown: &str) {
    for block in markdown::blocks(markdown) {
        match block {
            Block::Heading { level, spans } => {
                let size = heading_size(level);
                layout.ensure(size * 4.0);
                layout.gap(size * 0.6);
                layout.paragraph(&spans, size, 0.0, "");
                layout.gap(2.0);
            }
            Block::Paragraph {
                spans,
                indent,
                prefix,
            } => {
                layout.paragraph(&spans, BODY, indent, &prefix);
                if prefix.is_empty() {
                    layout.gap(BODY * 0.4);
                }
            }
            Block::Rule => layout.rule(),
        }
    }
}

fn section(layout: &mut Layout, text: &str) {
    layout.ensure(60.0);
    layout.gap(10.0);
    layout.text(text, Style::Bold, 14.0);
    layout.gap(2.0);
}

fn muted(text: String) -> Span {
    Span {
        tone: Tone::Muted,
        ..Span::plain(text, Style::Regular)
    }
}

pub fn render(doc: &ReportDocument) -> Result<Vec<u8>, FontError> {
    let mut layout = Layout::new(Fonts::new()?);
    layout.text(&doc.title, Style::Bold, 20.0);
    layout.gap(4.0);
    layout.text(&format!("Period: {}", doc.period()), Style::Regular, 11.0);
    if let Some(at) = doc.finished_at {
        let line = format!("Generated {}", at.format("%Y-%m-%d %H:%M UTC"));
        layout.paragraph(&[muted(line)], 9.0, 0.0, "");
    }
    if !doc.focus_areas.is_empty() {
        let line = format!("Focus areas: {}", doc.focus_areas.join(", "));
        layout.paragraph(&[muted(line)], 9.0, 0.0, "");
    }
    layout.gap(8.0);
    content(&mut layout, &doc.content);
    if !doc.sources.is_empty() {
        section(&mut layout, "Sources");
        for source in &doc.sources {
            let line = match &source.entry {
                Some(e) => format!("[E{}] {} \u{2014} {}", source.marker, e.date, e.title),
                None => format!("[E{}] entry since deleted", source.marker),
            };
            layout.paragraph(&[Span::plain(line, Style::Regular)], 9.5, 0.0, "");
        }
    }
    if !doc.tables.is_empty() {
        section(&mut layout, "Metrics");
        for table in &doc.tables {
            layout.ensure(50.0);
            layout.gap(6.0);
            layout.text(&table.title, Style::Bold, 11.0);
            layout.table(&table.columns, &table.rows, 9.5);
            layout.gap(6.0);
        }
    }
    let (pages, fonts) = layout.finish();
    Ok(assemble(&doc.title, pages, &fonts))
}

/// zlib-compressed, for a stream with `/Filter /FlateDecode`: text and
/// font programs shrink to about a third.
fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

/// Writes the catalog, page tree, fonts, pages and link annotations.
fn assemble(title: &str, pages: Vec<Page>, fonts: &Fonts) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let info = Ref::new(3);
    let mut next = 4;
    let font_refs = fonts.write(&mut pdf, &mut next);
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let page_ids: Vec<Ref> = pages.iter().map(|_| alloc()).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("EngLog"));
    for (page_id, page) in page_ids.iter().zip(pages) {
        let content_id = alloc();
        let link_ids: Vec<Ref> = page.links.iter().map(|_| alloc()).collect();
        let mut writer = pdf.page(*page_id);
        writer
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(tree)
            .contents(content_id);
        if !link_ids.is_empty() {
            writer.annotations(link_ids.iter().copied());
        }
        let mut resources = writer.resources();
        let mut font_dict = resources.fonts();
        for (id, font_ref) in &font_refs {
            font_dict.pair(Name(&Fonts::resource_name(*id)), *font_ref);
        }
        font_dict.finish();
        resources.finish();
        writer.finish();
        pdf.stream(content_id, &deflate(&page.content))
            .filter(Filter::FlateDecode);
        for (id, (rect, url)) in link_ids.iter().zip(&page.links) {
            let mut annotation = pdf.annotation(*id);
            annotation
                .subtype(AnnotationType::Link)
                .rect(*rect)
                .border(0.0, 0.0, 0.0, None);
            annotation
                .action()
                .action_type(ActionType::Uri)
                .uri(Str(url.as_bytes()));
        }
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exports::report_doc::{CitedEntry, SourceEntry, Table};
    use chrono::NaiveDate;
    use std::process::Command;

    fn document() -> ReportDocument {
        let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        ReportDocument {
            title: "Überprüfung — 評価".into(),
            period_start: date,
            period_end: NaiveDate::from_ymd_opt(2026, 3, 8).unwrap(),
            focus_areas: vec!["payments".into()],
            finished_at: None,
            content: "## Key accomplishments\n\
- Shipped **idempotent refunds** to *every* customer [E1]\n\
  - behind a flag, see [the runbook](https://example.com/runbook)\n\
- Fixed the `checkout` 502 [E2]\n\n\
1. First\n2. Second\n\n> A quote worth keeping.\n"
                .into(),
            sources: vec![
                SourceEntry {
                    marker: 1,
                    entry: Some(CitedEntry {
                        title: "Added idempotency keys".into(),
                        date,
                    }),
                },
                SourceEntry {
                    marker: 2,
                    entry: None,
                },
            ],
            tables: vec![Table {
                title: "Minutes by type".into(),
                columns: vec!["Name".into(), "Minutes".into()],
                rows: vec![vec!["code".into(), "90".into()]],
            }],
        }
    }

    #[test]
    fn a_pdf_with_unicode_text_extracts_intact() {
        let bytes = render(&document()).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        println!(
            "a one-page report with Latin and CJK text: {} bytes",
            bytes.len()
        );
        let output = Command::new("pdftotext")
            .args(["-", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(&bytes)?;
                child.wait_with_output()
            })
            .expect("pdftotext (poppler-utils; scripts/test installs it)");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains("Überprüfung — 評価"), "{text}");
        assert!(text.contains("idempotent refunds"), "{text}");
        assert!(
            !text.contains('*') && !text.contains('`') && !text.contains("]("),
            "{text}"
        );
        assert!(text.contains("the runbook"), "{text}");
        assert!(
            text.contains("[E1] 2026-03-02 — Added idempotency keys"),
            "{text}"
        );
        assert!(text.contains("[E2] entry since deleted"), "{text}");
        assert!(text.contains("Page 1 of 1"), "{text}");
    }
}
