//! A report as a PDF, written in Rust with `pdf-writer`: title, period,
//! the report's sections (headings, paragraphs, bullets), its sources, its
//! metrics as tables, and page numbers. Text uses the readers' built-in
//! Helvetica (see [`font`]).

mod font;
mod layout;

use pdf_writer::{Finish, Name, Pdf, Rect, Ref, TextStr};

use super::report_doc::ReportDocument;
use font::Face;
use layout::{Layout, PAGE_HEIGHT, PAGE_WIDTH};

const BODY: f32 = 10.5;

/// Inline Markdown a PDF does not render: emphasis and code marks.
fn plain(text: &str) -> String {
    text.replace("**", "").replace("__", "").replace('`', "")
}

/// Lays the report's Markdown out block by block.
fn content(layout: &mut Layout, markdown: &str) {
    for raw in markdown.lines() {
        let line = raw.trim();
        if line.is_empty() {
            layout.gap(BODY * 0.5);
            continue;
        }
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            let size = if hashes <= 2 { 13.0 } else { 11.5 };
            layout.ensure(size * 4.0);
            layout.gap(size * 0.6);
            layout.paragraph(&plain(line[hashes..].trim()), Face::Bold, size, 0.0, "");
            continue;
        }
        if let Some(item) = ["- ", "* ", "+ "].iter().find_map(|b| line.strip_prefix(b)) {
            layout.paragraph(&plain(item), Face::Regular, BODY, 14.0, "\u{2022}");
            continue;
        }
        let numbered = line
            .split_once(". ")
            .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if let Some((n, item)) = numbered {
            layout.paragraph(&plain(item), Face::Regular, BODY, 18.0, &format!("{n}."));
            continue;
        }
        layout.paragraph(&plain(line), Face::Regular, BODY, 0.0, "");
    }
}

fn heading(layout: &mut Layout, text: &str) {
    layout.ensure(60.0);
    layout.gap(10.0);
    layout.paragraph(text, Face::Bold, 14.0, 0.0, "");
    layout.gap(2.0);
}

pub fn render(doc: &ReportDocument) -> Vec<u8> {
    let mut layout = Layout::new();
    layout.paragraph(&doc.title, Face::Bold, 20.0, 0.0, "");
    layout.gap(4.0);
    layout.paragraph(
        &format!("Period: {}", doc.period()),
        Face::Regular,
        11.0,
        0.0,
        "",
    );
    if let Some(at) = doc.finished_at {
        layout.paragraph(
            &format!("Generated {}", at.format("%Y-%m-%d %H:%M UTC")),
            Face::Regular,
            9.0,
            0.0,
            "",
        );
    }
    if !doc.focus_areas.is_empty() {
        layout.paragraph(
            &format!("Focus areas: {}", doc.focus_areas.join(", ")),
            Face::Regular,
            9.0,
            0.0,
            "",
        );
    }
    layout.gap(8.0);
    content(&mut layout, &doc.content);
    if !doc.sources.is_empty() {
        heading(&mut layout, "Sources");
        for source in &doc.sources {
            let line = match &source.entry {
                Some(e) => format!("[E{}] {} \u{2014} {}", source.marker, e.date, e.title),
                None => format!("[E{}] entry since deleted", source.marker),
            };
            layout.paragraph(&line, Face::Regular, 9.5, 0.0, "");
        }
    }
    if !doc.tables.is_empty() {
        heading(&mut layout, "Metrics");
        for table in &doc.tables {
            layout.ensure(50.0);
            layout.gap(6.0);
            layout.paragraph(&table.title, Face::Bold, 11.0, 0.0, "");
            layout.table(&table.columns, &table.rows, 9.5);
            layout.gap(6.0);
        }
    }
    assemble(&doc.title, layout.finish())
}

/// Writes the catalog, page tree, fonts and pages around the streams.
fn assemble(title: &str, streams: Vec<Vec<u8>>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first_page = 6;
    let page_ids: Vec<Ref> = (0..streams.len())
        .map(|i| Ref::new(first_page + 2 * i as i32))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    for (face, id) in [(Face::Regular, regular), (Face::Bold, bold)] {
        pdf.type1_font(id)
            .base_font(Name(face.base_font()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("EngLog"));
    for (page_id, stream) in page_ids.iter().zip(streams) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(tree)
            .contents(content_id);
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        fonts.pair(Name(Face::Regular.resource_name()), regular);
        fonts.pair(Name(Face::Bold.resource_name()), bold);
        fonts.finish();
        resources.finish();
        page.finish();
        pdf.stream(content_id, &stream);
    }
    pdf.finish()
}
