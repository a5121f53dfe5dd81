//! The small Markdown subset reports use (headings, lists, paragraphs,
//! `**bold**`, `*italic*`, `` `code` ``), rendered to elements, with the
//! citation markers (`[E3]`, `[E1, E4]`) turned into links to the entries.
//!
//! The API lists one citation per cited line: the line's text without its
//! markers (`statement`) and the entries of its markers in order of first
//! appearance (`entryIds`). So the k-th distinct marker of a line links to
//! `entryIds[k]` of the citation with that statement.

use dioxus::prelude::*;

use crate::route::Route;

#[derive(Clone, PartialEq)]
pub struct Cite {
    pub statement: String,
    pub entry_ids: Vec<String>,
}

#[derive(Clone, PartialEq)]
enum Inline {
    Text(String),
    Bold(String),
    Italic(String),
    Code(String),
    /// A marker (`E3`) and the entry it links to, when known.
    Cite(String, Option<String>),
}

#[derive(Clone, PartialEq)]
enum Block {
    Heading(u8, Vec<Inline>),
    Item(Vec<Inline>),
    Paragraph(Vec<Inline>),
}

/// Renders `text`; citations link to the entry pages.
#[component]
pub fn Markdown(text: String, citations: Vec<Cite>) -> Element {
    let blocks = parse(&text, &citations);
    // Consecutive list items form one list.
    let mut groups: Vec<(bool, Vec<Block>)> = Vec::new();
    for block in blocks {
        let is_item = matches!(block, Block::Item(_));
        match groups.last_mut() {
            Some((true, items)) if is_item => items.push(block),
            _ => groups.push((is_item, vec![block])),
        }
    }
    rsx! {
        div { class: "markdown",
            for (list, blocks) in groups {
                if list {
                    ul {
                        for block in blocks { {render_block(block)} }
                    }
                } else {
                    for block in blocks { {render_block(block)} }
                }
            }
        }
    }
}

fn render_block(block: Block) -> Element {
    match block {
        Block::Heading(1, inl) => rsx! { h2 { {render_inlines(inl)} } },
        Block::Heading(2, inl) => rsx! { h3 { {render_inlines(inl)} } },
        Block::Heading(_, inl) => rsx! { h4 { {render_inlines(inl)} } },
        Block::Item(inl) => rsx! { li { {render_inlines(inl)} } },
        Block::Paragraph(inl) => rsx! { p { {render_inlines(inl)} } },
    }
}

fn render_inlines(inlines: Vec<Inline>) -> Element {
    rsx! {
        for inline in inlines {
            match inline {
                Inline::Text(t) => rsx! { "{t}" },
                Inline::Bold(t) => rsx! { strong { "{t}" } },
                Inline::Italic(t) => rsx! { em { "{t}" } },
                Inline::Code(t) => rsx! { code { "{t}" } },
                Inline::Cite(label, Some(id)) => rsx! {
                    a { class: "cite", href: Route::Entry(id).href(), title: "Open the cited entry", "[{label}]" }
                },
                Inline::Cite(label, None) => rsx! { span { class: "cite", "[{label}]" } },
            }
        }
    }
}

fn parse(text: &str, citations: &[Cite]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph = String::new();
    let flush = |paragraph: &mut String, blocks: &mut Vec<Block>| {
        if !paragraph.trim().is_empty() {
            blocks.push(Block::Paragraph(inlines(paragraph.trim(), citations)));
        }
        paragraph.clear();
    };
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
        } else if let Some(level) = heading_level(trimmed) {
            flush(&mut paragraph, &mut blocks);
            let heading = trimmed[level as usize..].trim();
            blocks.push(Block::Heading(level, inlines(heading, citations)));
        } else if let Some(item) = list_item(trimmed) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Item(inlines(item, citations)));
        } else if statement_of(trimmed) != trimmed && has_citation(trimmed, citations) {
            // A cited line keeps its own statement, so it is its own paragraph.
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Paragraph(inlines(trimmed, citations)));
        } else {
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(trimmed);
        }
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

fn heading_level(line: &str) -> Option<u8> {
    let level = line.chars().take_while(|c| *c == '#').count();
    ((1..=6).contains(&level) && line[level..].starts_with(' ')).then_some(level as u8)
}

fn list_item(line: &str) -> Option<&str> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some(rest);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (digits > 0).then(|| line[digits..].strip_prefix(". "))?
}

fn has_citation(line: &str, citations: &[Cite]) -> bool {
    let statement = statement_of(line);
    citations.iter().any(|c| c.statement == statement)
}

/// The line's text without markers, bullets or heading marks, words
/// joined by single spaces: how the API writes `statement`.
fn statement_of(line: &str) -> String {
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

/// Parses the marker list inside `[...]` (`E12`, `E12, E15`).
fn markers(inner: &str) -> Option<Vec<String>> {
    inner
        .split([',', ';'])
        .map(|part| {
            let part = part.trim();
            let digits = part.strip_prefix(['E', 'e'])?;
            (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
                .then(|| format!("E{digits}"))
        })
        .collect()
}

fn inlines(line: &str, citations: &[Cite]) -> Vec<Inline> {
    let statement = statement_of(line);
    let ids: &[String] = citations
        .iter()
        .find(|c| c.statement == statement)
        .map(|c| c.entry_ids.as_slice())
        .unwrap_or(&[]);
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let marker = match c {
            '[' => rest[1..]
                .find(']')
                .and_then(|end| Some((end, markers(&rest[1..1 + end])?))),
            _ => None,
        };
        if let Some((end, labels)) = marker {
            push_text(&mut out, &mut text);
            for label in labels {
                let index = match seen.iter().position(|l| *l == label) {
                    Some(i) => i,
                    None => {
                        seen.push(label.clone());
                        seen.len() - 1
                    }
                };
                out.push(Inline::Cite(label, ids.get(index).cloned()));
            }
            rest = &rest[end + 2..];
            continue;
        }
        let styled = [("**", 0u8), ("`", 2), ("*", 1)]
            .into_iter()
            .find_map(|(delim, kind)| {
                let inner = rest.strip_prefix(delim)?;
                let end = inner.find(delim)?;
                (end > 0).then(|| (delim.len() * 2 + end, kind, inner[..end].to_owned()))
            });
        if let Some((len, kind, inner)) = styled {
            push_text(&mut out, &mut text);
            out.push(match kind {
                0 => Inline::Bold(inner),
                1 => Inline::Italic(inner),
                _ => Inline::Code(inner),
            });
            rest = &rest[len..];
            continue;
        }
        text.push(c);
        rest = &rest[c.len_utf8()..];
    }
    push_text(&mut out, &mut text);
    out
}

fn push_text(out: &mut Vec<Inline>, text: &mut String) {
    if !text.is_empty() {
        out.push(Inline::Text(std::mem::take(text)));
    }
}
