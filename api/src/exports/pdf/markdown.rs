//! The report's Markdown, read with `pulldown-cmark` into blocks of styled
//! spans the layout draws: headings, paragraphs, (nested) lists, quotes,
//! rules and code, with strong, emphasis, code and links inline. No
//! Markdown mark survives into the PDF's text.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::fonts::Style;
use super::layout::{Span, Tone};

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        spans: Vec<Span>,
    },
    /// Text `indent` points in; `prefix` hangs before its first line.
    Paragraph {
        spans: Vec<Span>,
        indent: f32,
        prefix: String,
    },
    Rule,
}

const LIST_INDENT: f32 = 16.0;
const QUOTE_INDENT: f32 = 14.0;

/// Where the text being read sits.
#[derive(Default)]
struct State {
    blocks: Vec<Block>,
    spans: Vec<Span>,
    strong: u32,
    emphasis: u32,
    links: Vec<String>,
    /// One entry per open list: the next number of an ordered one.
    lists: Vec<Option<u64>>,
    /// The bullet or number of an item whose text has not started yet.
    prefix: Option<String>,
    quotes: u32,
    heading: Option<u8>,
}

impl State {
    fn push_text(&mut self, text: &str, code: bool) {
        let style = if self.strong > 0 || self.heading.is_some() {
            Style::Bold
        } else {
            Style::Regular
        };
        let link = self.links.last().filter(|url| !url.is_empty()).cloned();
        let tone = match (&link, code) {
            (Some(_), _) => Tone::Link,
            (None, true) => Tone::Muted,
            (None, false) => Tone::Normal,
        };
        self.spans.push(Span {
            text: text.to_owned(),
            style,
            oblique: self.emphasis > 0,
            tone,
            link,
        });
    }

    fn indent(&self) -> f32 {
        self.lists.len() as f32 * LIST_INDENT + self.quotes as f32 * QUOTE_INDENT
    }

    /// Ends the text read so far as a block.
    fn flush(&mut self) {
        let spans = std::mem::take(&mut self.spans);
        if spans.iter().all(|s| s.text.trim().is_empty()) {
            return;
        }
        let block = match self.heading {
            Some(level) => Block::Heading { level, spans },
            None => Block::Paragraph {
                spans,
                indent: self.indent(),
                prefix: self.prefix.take().unwrap_or_default(),
            },
        };
        self.blocks.push(block);
    }
}

fn level(h: HeadingLevel) -> u8 {
    match h {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut s = State::default();
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { level: h, .. }) => {
                s.flush();
                s.heading = Some(level(h));
            }
            Event::End(TagEnd::Heading(_)) => {
                s.flush();
                s.heading = None;
            }
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => s.flush(),
            Event::Start(Tag::List(start)) => {
                s.flush();
                s.lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                s.flush();
                s.lists.pop();
            }
            Event::Start(Tag::Item) => {
                s.flush();
                let prefix = match s.lists.last_mut() {
                    Some(Some(n)) => {
                        let p = format!("{n}.");
                        *n += 1;
                        p
                    }
                    _ => "\u{2022}".to_owned(),
                };
                s.prefix = Some(prefix);
            }
            Event::End(TagEnd::Item) => s.flush(),
            Event::Start(Tag::BlockQuote(_)) => {
                s.flush();
                s.quotes += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                s.flush();
                s.quotes = s.quotes.saturating_sub(1);
            }
            Event::Start(Tag::CodeBlock(_)) => s.flush(),
            Event::End(TagEnd::CodeBlock) => s.flush(),
            Event::Start(Tag::Strong) => s.strong += 1,
            Event::End(TagEnd::Strong) => s.strong = s.strong.saturating_sub(1),
            Event::Start(Tag::Emphasis) => s.emphasis += 1,
            Event::End(TagEnd::Emphasis) => s.emphasis = s.emphasis.saturating_sub(1),
            // Only web and mail links become clickable: a report's text comes
            // from a model, and a PDF reader would follow `javascript:` or
            // `file:` too. Other links stay as their text.
            Event::Start(Tag::Link { dest_url, .. }) => s.links.push(
                if ["http://", "https://", "mailto:"]
                    .iter()
                    .any(|scheme| dest_url.starts_with(scheme))
                {
                    dest_url.to_string()
                } else {
                    String::new()
                },
            ),
            Event::End(TagEnd::Link) => {
                s.links.pop();
            }
            Event::Text(text) => s.push_text(&text, false),
            Event::Code(text) => s.push_text(&text, true),
            // Shown as written: a report is not a web page.
            Event::Html(text) | Event::InlineHtml(text) => s.push_text(&text, false),
            Event::SoftBreak | Event::HardBreak => s.push_text(" ", false),
            Event::Rule => {
                s.flush();
                s.blocks.push(Block::Rule);
            }
            _ => {}
        }
    }
    s.flush();
    s.blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn marks_become_looks_not_characters() {
        let b = blocks("A **bold** and *emphasised* `code` [link](https://example.com) [E1]");
        let Block::Paragraph { spans, .. } = &b[0] else {
            panic!("{b:?}");
        };
        assert_eq!(text(spans), "A bold and emphasised code link [E1]");
        let bold = spans.iter().find(|s| s.text == "bold").unwrap();
        assert_eq!(bold.style, Style::Bold);
        assert!(
            spans
                .iter()
                .find(|s| s.text == "emphasised")
                .unwrap()
                .oblique
        );
        let link = spans.iter().find(|s| s.text == "link").unwrap();
        assert_eq!(link.link.as_deref(), Some("https://example.com"));
    }

    #[test]
    fn only_web_and_mail_links_are_clickable() {
        let b =
            blocks("[a](javascript:alert(1)) [b](file:///etc/passwd) [c](mailto:x@example.com)");
        let Block::Paragraph { spans, .. } = &b[0] else {
            panic!("{b:?}");
        };
        let links: Vec<_> = spans.iter().filter_map(|s| s.link.as_deref()).collect();
        assert_eq!(links, ["mailto:x@example.com"]);
        assert_eq!(text(spans), "a b c");
    }

    #[test]
    fn lists_nest_and_number() {
        let b = blocks("## Wins\n- one [E1]\n  - inner\n- two\n\n1. first\n2. second\n");
        assert!(matches!(&b[0], Block::Heading { level: 2, .. }));
        let items: Vec<(String, f32, String)> = b[1..]
            .iter()
            .map(|b| match b {
                Block::Paragraph {
                    spans,
                    indent,
                    prefix,
                } => (text(spans), *indent, prefix.clone()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            items,
            [
                ("one [E1]".into(), 16.0, "\u{2022}".into()),
                ("inner".into(), 32.0, "\u{2022}".into()),
                ("two".into(), 16.0, "\u{2022}".into()),
                ("first".into(), 16.0, "1.".into()),
                ("second".into(), 16.0, "2.".into()),
            ]
        );
    }
}
