//! A minimal flowing layout on A4 pages: wrapped lines of text, vertical
//! gaps, tables and a page-number footer. Positions are in points from the
//! bottom-left corner, as in PDF.

use pdf_writer::{Content, Name, Str};

use super::font::{self, Face};

pub const PAGE_WIDTH: f32 = 595.0;
pub const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const FOOTER_Y: f32 = 30.0;
const LINE_GAP: f32 = 1.35;

pub struct Layout {
    pages: Vec<Content>,
    current: Content,
    /// Baseline of the next line on the current page.
    y: f32,
}

/// Splits `text` into lines no wider than `max` points, breaking at spaces
/// (and inside a word only when the word alone is too wide).
pub fn wrap(text: &str, face: Face, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if font::width(&candidate, face, size) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word wider than the line is cut into pieces that fit.
        for c in word.chars() {
            let mut next = line.clone();
            next.push(c);
            if !line.is_empty() && font::width(&next, face, size) > max {
                lines.push(std::mem::take(&mut line));
                line.push(c);
            } else {
                line = next;
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Shortens `text` with `...` to fit `max` points.
fn fit(text: &str, face: Face, size: f32, max: f32) -> String {
    if font::width(text, face, size) <= max {
        return text.to_owned();
    }
    let mut out: String = text.to_owned();
    while !out.is_empty() && font::width(&format!("{out}..."), face, size) > max {
        out.pop();
    }
    format!("{out}...")
}

impl Default for Layout {
    fn default() -> Self {
        Self::new()
    }
}

impl Layout {
    pub fn new() -> Self {
        Self {
            pages: Vec::new(),
            current: Content::new(),
            y: PAGE_HEIGHT - MARGIN,
        }
    }

    pub fn text_width() -> f32 {
        PAGE_WIDTH - 2.0 * MARGIN
    }

    fn new_page(&mut self) {
        let done = std::mem::replace(&mut self.current, Content::new());
        self.pages.push(done);
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

    fn show(&mut self, x: f32, text: &str, face: Face, size: f32) {
        let bytes = font::encode(text);
        self.current
            .begin_text()
            .set_font(Name(face.resource_name()), size)
            .next_line(x, self.y)
            .show(Str(&bytes))
            .end_text();
    }

    /// A wrapped paragraph, `indent` points in; `prefix` (a bullet or number)
    /// hangs before the first line.
    pub fn paragraph(&mut self, text: &str, face: Face, size: f32, indent: f32, prefix: &str) {
        let x = MARGIN + indent;
        let width = Self::text_width() - indent;
        let leading = size * LINE_GAP;
        for (i, line) in wrap(text, face, size, width).iter().enumerate() {
            self.ensure(leading);
            self.y -= leading;
            if i == 0 && !prefix.is_empty() {
                let w = font::width(prefix, face, size) + 4.0;
                self.show(x - w, prefix, face, size);
            }
            self.show(x, line, face, size);
        }
    }

    fn rule(&mut self, y: f32) {
        self.current
            .set_line_width(0.5)
            .move_to(MARGIN, y)
            .line_to(PAGE_WIDTH - MARGIN, y)
            .stroke();
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
            l.draw_row(columns, &widths, Face::Bold, size);
            l.rule(l.y - 4.0);
        };
        self.ensure(leading * 2.0);
        header(self);
        for row in rows {
            if self.y - leading < MARGIN {
                self.new_page();
                header(self);
            }
            self.y -= leading;
            self.draw_row(row, &widths, Face::Regular, size);
        }
    }

    fn draw_row(&mut self, cells: &[String], widths: &[f32], face: Face, size: f32) {
        let mut x = MARGIN;
        for (cell, width) in cells.iter().zip(widths) {
            let text = fit(cell, face, size, width - 6.0);
            self.show(x, &text, face, size);
            x += width;
        }
    }

    /// The finished pages' content streams, each with `Page i of n`.
    pub fn finish(mut self) -> Vec<Vec<u8>> {
        self.pages.push(self.current);
        let count = self.pages.len();
        self.pages
            .into_iter()
            .enumerate()
            .map(|(i, mut content)| {
                let label = format!("Page {} of {count}", i + 1);
                let w = font::width(&label, Face::Regular, 9.0);
                content
                    .begin_text()
                    .set_font(Name(Face::Regular.resource_name()), 9.0)
                    .next_line((PAGE_WIDTH - w) / 2.0, FOOTER_Y)
                    .show(Str(label.as_bytes()))
                    .end_text();
                content.finish().into_vec()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_and_respects_the_width() {
        let text = "the quick brown fox jumps over the lazy dog ".repeat(20);
        let lines = wrap(&text, Face::Regular, 11.0, 200.0);
        assert!(lines.len() > 5);
        assert!(
            lines
                .iter()
                .all(|l| font::width(l, Face::Regular, 11.0) <= 200.0)
        );
        assert_eq!(lines.join(" "), text.trim());
    }

    #[test]
    fn an_overlong_word_is_cut() {
        let lines = wrap(&"x".repeat(300), Face::Regular, 11.0, 100.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat().len(), 300);
    }
}
