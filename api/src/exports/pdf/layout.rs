//! A flowing layout on A4 pages: paragraphs of styled text wrapped to the
//! line width, gaps, rules, tables, link areas and a page-number footer.
//! Positions are in points from the bottom-left corner, as in PDF.

use pdf_writer::{Content, Name, Rect, Str};

use super::fonts::{Fonts, Style};

pub const PAGE_WIDTH: f32 = 595.0;
pub const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const FOOTER_Y: f32 = 30.0;
const LINE_GAP: f32 = 1.35;
/// Horizontal shear of emphasised text (a synthetic oblique: one regular
/// face fewer to embed, and emphasis still reads as emphasis).
const OBLIQUE_SKEW: f32 = 0.2;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tone {
    Normal,
    Muted,
    Link,
}

impl Tone {
    fn rgb(self) -> (f32, f32, f32) {
        match self {
            Tone::Normal => (0.0, 0.0, 0.0),
            Tone::Muted => (0.35, 0.35, 0.38),
            Tone::Link => (0.1, 0.3, 0.65),
        }
    }
}

/// A run of text with one look.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub style: Style,
    pub oblique: bool,
    pub tone: Tone,
    /// Where a link goes.
    pub link: Option<String>,
}

impl Span {
    pub fn plain(text: impl Into<String>, style: Style) -> Self {
        Self {
            text: text.into(),
            style,
            oblique: false,
            tone: Tone::Normal,
            link: None,
        }
    }

    fn with_text(&self, text: String) -> Self {
        Self {
            text,
            ..self.clone()
        }
    }
}

/// A finished page: its content and its link areas.
pub struct Page {
    pub content: Vec<u8>,
    pub links: Vec<(Rect, String)>,
}

pub struct Layout {
    pub fonts: Fonts,
    pages: Vec<(Content, Vec<(Rect, String)>)>,
    current: Content,
    links: Vec<(Rect, String)>,
    /// Baseline of the next line on the current page.
    y: f32,
}

/// Words of the spans: each word a list of pieces (a word can change look
/// midway, e.g. `**bold**,`), and whether a space precedes it.
fn words(spans: &[Span]) -> Vec<(bool, Vec<Span>)> {
    let mut words: Vec<(bool, Vec<Span>)> = Vec::new();
    let mut space_before = false;
    let mut in_word = false;
    for span in spans {
        let mut piece = String::new();
        for c in span.text.chars() {
            if c.is_whitespace() {
                if !piece.is_empty() {
                    push_piece(
                        &mut words,
                        span,
                        std::mem::take(&mut piece),
                        in_word,
                        space_before,
                    );
                }
                in_word = false;
                space_before = true;
            } else {
                piece.push(c);
            }
        }
        if !piece.is_empty() {
            push_piece(&mut words, span, piece, in_word, space_before);
            space_before = false;
            in_word = true;
        }
    }
    words
}

fn push_piece(
    words: &mut Vec<(bool, Vec<Span>)>,
    span: &Span,
    piece: String,
    continues: bool,
    space_before: bool,
) {
    match words.last_mut() {
        Some((_, pieces)) if continues && !space_before => pieces.push(span.with_text(piece)),
        _ => words.push((space_before, vec![span.with_text(piece)])),
    }
}

impl Layout {
    pub fn new(fonts: Fonts) -> Self {
        Self {
            fonts,
            pages: Vec::new(),
            current: Content::new(),
            links: Vec::new(),
            y: PAGE_HEIGHT - MARGIN,
        }
    }

    pub fn text_width() -> f32 {
        PAGE_WIDTH - 2.0 * MARGIN
    }

    fn new_page(&mut self) {
        let done = std::mem::replace(&mut self.current, Content::new());
        self.pages.push((done, std::mem::take(&mut self.links)));
        self.y = PAGE_HEIGHT - MARGIN;
    }

    /// Starts a new page unless `height` more points fit on this one.
    pub fn ensure(&mut self, height: f32) {
        if self.y - height < MARGIN {
            self.new_page();
        }
    }

    pub fn gap(&mut self, points: f32) {
        self.y -= points;
    }

    fn span_width(&self, span: &Span, size: f32) -> f32 {
        self.fonts.width(&span.text, span.style, size)
    }

    /// Splits the spans into lines no wider than `max` points, breaking at
    /// spaces, and inside a word only when the word alone is too wide
    /// (long URLs, or CJK text, which has no spaces).
    pub fn wrap(&self, spans: &[Span], size: f32, max: f32) -> Vec<Vec<Span>> {
        let space = self.fonts.width(" ", Style::Regular, size);
        let mut lines: Vec<Vec<Span>> = Vec::new();
        let mut line: Vec<Span> = Vec::new();
        let mut width = 0.0;
        for (space_before, pieces) in words(spans) {
            let word_width: f32 = pieces.iter().map(|p| self.span_width(p, size)).sum();
            let gap = if space_before && !line.is_empty() {
                space
            } else {
                0.0
            };
            if width + gap + word_width <= max {
                if gap > 0.0 {
                    line.push(pieces[0].with_text(" ".into()));
                }
                width += gap + word_width;
                line.extend(pieces);
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                width = 0.0;
            }
            // The word starts the new line; cut it where it overflows.
            for piece in pieces {
                for c in piece.text.chars() {
                    let w = self
                        .fonts
                        .width(c.encode_utf8(&mut [0; 4]), piece.style, size);
                    if width + w > max && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        width = 0.0;
                    }
                    match line.last_mut() {
                        Some(last) if same_look(last, &piece) => last.text.push(c),
                        _ => line.push(piece.with_text(c.to_string())),
                    }
                    width += w;
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Draws one line of spans starting at `x` on the current baseline.
    fn draw(&mut self, x: f32, spans: &[Span], size: f32) {
        let mut x = x;
        for span in spans {
            let start = x;
            let runs = self.fonts.encode(&span.text, span.style, size);
            for (font, bytes, width) in runs {
                let skew = if span.oblique { OBLIQUE_SKEW } else { 0.0 };
                let (r, g, b) = span.tone.rgb();
                self.current
                    .begin_text()
                    .set_fill_rgb(r, g, b)
                    .set_font(Name(&Fonts::resource_name(font)), size)
                    .set_text_matrix([1.0, 0.0, skew, 1.0, x, self.y])
                    .show(Str(&bytes))
                    .end_text();
                x += width;
            }
            if let Some(url) = &span.link {
                self.links.push((
                    Rect::new(start, self.y - size * 0.25, x, self.y + size * 0.9),
                    url.clone(),
                ));
            }
        }
    }

    /// A wrapped paragraph, `indent` points in; `prefix` (a bullet or
    /// number) hangs before the first line.
    pub fn paragraph(&mut self, spans: &[Span], size: f32, indent: f32, prefix: &str) {
        let x = MARGIN + indent;
        let leading = size * LINE_GAP;
        let lines = self.wrap(spans, size, Self::text_width() - indent);
        for (i, line) in lines.iter().enumerate() {
            self.ensure(leading);
            self.y -= leading;
            if i == 0 && !prefix.is_empty() {
                let w = self.fonts.width(prefix, Style::Regular, size) + 4.0;
                self.draw(x - w, &[Span::plain(prefix, Style::Regular)], size);
            }
            self.draw(x, line, size);
        }
    }

    /// A paragraph of one look.
    pub fn text(&mut self, text: &str, style: Style, size: f32) {
        self.paragraph(&[Span::plain(text, style)], size, 0.0, "");
    }

    /// A thin horizontal line across the text width.
    pub fn rule(&mut self) {
        self.ensure(12.0);
        self.y -= 6.0;
        let y = self.y;
        self.stroke(y);
        self.y -= 6.0;
    }

    fn stroke(&mut self, y: f32) {
        self.current
            .set_line_width(0.5)
            .move_to(MARGIN, y)
            .line_to(PAGE_WIDTH - MARGIN, y)
            .stroke();
    }

    /// Shortens `text` with `...` to fit `max` points.
    fn fit(&self, text: &str, style: Style, size: f32, max: f32) -> String {
        if self.fonts.width(text, style, size) <= max {
            return text.to_owned();
        }
        let mut out: String = text.to_owned();
        while !out.is_empty() && self.fonts.width(&format!("{out}..."), style, size) > max {
            out.pop();
        }
        format!("{out}...")
    }

    /// A table with a bold header row repeated on each page it spans; the
    /// first column takes the room the others leave.
    pub fn table(&mut self, columns: &[String], rows: &[Vec<String>], size: f32) {
        if columns.is_empty() {
            return;
        }
        let total = Self::text_width();
        let rest = columns.len().saturating_sub(1) as f32;
        let other = if rest > 0.0 {
            (total * 0.45 / rest).min(110.0)
        } else {
            0.0
        };
        let first = total - other * rest;
        let widths: Vec<f32> = (0..columns.len())
            .map(|i| if i == 0 { first } else { other })
            .collect();
        let leading = size * 1.6;
        let header = |l: &mut Layout| {
            l.y -= leading;
            l.draw_row(columns, &widths, Style::Bold, size);
            let y = l.y - 4.0;
            l.stroke(y);
        };
        self.ensure(leading * 2.0);
        header(self);
        for row in rows {
            if self.y - leading < MARGIN {
                self.new_page();
                header(self);
            }
            self.y -= leading;
            self.draw_row(row, &widths, Style::Regular, size);
        }
    }

    fn draw_row(&mut self, cells: &[String], widths: &[f32], style: Style, size: f32) {
        let mut x = MARGIN;
        for (cell, width) in cells.iter().zip(widths) {
            let text = self.fit(cell, style, size, width - 6.0);
            self.draw(x, &[Span::plain(text, style)], size);
            x += width;
        }
    }

    /// The finished pages, each with `Page i of n` at the foot.
    pub fn finish(mut self) -> (Vec<Page>, Fonts) {
        let current = std::mem::replace(&mut self.current, Content::new());
        let links = std::mem::take(&mut self.links);
        self.pages.push((current, links));
        let count = self.pages.len();
        let pages = std::mem::take(&mut self.pages);
        let mut out = Vec::with_capacity(count);
        for (i, (content, links)) in pages.into_iter().enumerate() {
            self.current = content;
            let label = format!("Page {} of {count}", i + 1);
            let w = self.fonts.width(&label, Style::Regular, 9.0);
            self.y = FOOTER_Y;
            self.draw(
                (PAGE_WIDTH - w) / 2.0,
                &[Span {
                    tone: Tone::Muted,
                    ..Span::plain(label, Style::Regular)
                }],
                9.0,
            );
            let content = std::mem::replace(&mut self.current, Content::new());
            out.push(Page {
                content: content.finish().into_vec(),
                links,
            });
        }
        (out, self.fonts)
    }
}

fn same_look(a: &Span, b: &Span) -> bool {
    a.style == b.style && a.oblique == b.oblique && a.tone == b.tone && a.link == b.link
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout::new(Fonts::new().unwrap())
    }

    fn joined(lines: &[Vec<Span>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.iter().map(|s| s.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn wrapping_keeps_every_word_and_respects_the_width() {
        let l = layout();
        let text = "the quick brown fox jumps over the lazy dog ".repeat(20);
        let lines = l.wrap(&[Span::plain(text.clone(), Style::Regular)], 11.0, 200.0);
        assert!(lines.len() > 5);
        let texts = joined(&lines);
        assert!(
            texts
                .iter()
                .all(|t| l.fonts.width(t, Style::Regular, 11.0) <= 200.0)
        );
        assert_eq!(texts.join(" "), text.trim());
    }

    #[test]
    fn a_word_changing_look_midway_stays_one_word() {
        let l = layout();
        let spans = [
            Span::plain("see ", Style::Regular),
            Span::plain("bold", Style::Bold),
            Span::plain(", then more", Style::Regular),
        ];
        let lines = l.wrap(&spans, 11.0, 400.0);
        assert_eq!(joined(&lines), ["see bold, then more"]);
        assert_eq!(lines[0][2].style, Style::Bold);
    }

    #[test]
    fn text_without_spaces_is_cut_to_the_width() {
        let l = layout();
        let lines = l.wrap(
            &[Span::plain("評価".repeat(60), Style::Regular)],
            11.0,
            100.0,
        );
        assert!(lines.len() > 1);
        assert_eq!(joined(&lines).concat().chars().count(), 120);
    }
}
