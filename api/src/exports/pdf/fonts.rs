//! Unicode text in the PDF: DejaVu Sans (regular and bold) for Latin,
//! Greek and Cyrillic, Droid Sans Fallback for CJK and whatever DejaVu
//! lacks. Both are compiled in (`api/assets/fonts`, free licences beside
//! them), so an export looks the same on every server. Each document embeds
//! only the glyphs it uses (`subsetter`), as CID fonts with a ToUnicode map
//! so readers and `pdftotext` extract the exact text.
//!
//! Glyphs are chosen one character at a time from the cmap (no kerning or
//! ligatures): enough for reports, and it keeps widths exact for wrapping.

use std::collections::BTreeMap;

use pdf_writer::Filter;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Finish, Name, Pdf, Rect, Ref, Str};
use subsetter::GlyphRemapper;
use ttf_parser::{Face as TtfFace, GlyphId};

/// The weight a run of text asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Regular,
    Bold,
}

/// Index into [`Fonts`]; also names the page resource (`F0`, `F1`…).
pub type FontId = usize;

const REGULAR: FontId = 0;
const BOLD: FontId = 1;
const FALLBACK: FontId = 2;

/// `(PostScript name, file)`, in [`FontId`] order.
const FILES: [(&str, &[u8]); 3] = [
    (
        "DejaVuSans",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/fonts/DejaVuSans.ttf"
        )),
    ),
    (
        "DejaVuSans-Bold",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/fonts/DejaVuSans-Bold.ttf"
        )),
    ),
    (
        "DroidSansFallback",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/fonts/DroidSansFallback.ttf"
        )),
    ),
];

#[derive(Debug, thiserror::Error)]
#[error("the compiled-in font {0} could not be read")]
pub struct FontError(&'static str);

struct Font {
    name: &'static str,
    data: &'static [u8],
    face: TtfFace<'static>,
    /// Original glyph ids → the subset's, assigned as text is written.
    remapper: GlyphRemapper,
    /// The subset's glyph id → the character it shows (for ToUnicode).
    text: BTreeMap<u16, char>,
}

impl Font {
    fn units(&self, value: f32) -> f32 {
        value * 1000.0 / f32::from(self.face.units_per_em())
    }

    /// Advance of `glyph`, in thousandths of the font size.
    fn advance(&self, glyph: GlyphId) -> f32 {
        self.units(f32::from(self.face.glyph_hor_advance(glyph).unwrap_or(0)))
    }
}

/// The document's fonts and the glyphs it has used so far.
pub struct Fonts {
    fonts: Vec<Font>,
}

impl Fonts {
    pub fn new() -> Result<Self, FontError> {
        let fonts = FILES
            .iter()
            .map(|(name, data)| {
                Ok(Font {
                    name,
                    data,
                    face: TtfFace::parse(data, 0).map_err(|_| FontError(name))?,
                    remapper: GlyphRemapper::new(),
                    text: BTreeMap::new(),
                })
            })
            .collect::<Result<_, FontError>>()?;
        Ok(Self { fonts })
    }

    /// The font and glyph that show `c`: the style's own face, else the
    /// fallback, else the style's `.notdef` box.
    fn resolve(&self, c: char, style: Style) -> (FontId, GlyphId) {
        let own = match style {
            Style::Regular => REGULAR,
            Style::Bold => BOLD,
        };
        [own, FALLBACK]
            .into_iter()
            .find_map(|id| Some((id, self.fonts[id].face.glyph_index(c)?)))
            .unwrap_or((own, GlyphId(0)))
    }

    /// Width of `text` in points at `size`.
    pub fn width(&self, text: &str, style: Style, size: f32) -> f32 {
        shown(text)
            .map(|c| {
                let (id, glyph) = self.resolve(c, style);
                self.fonts[id].advance(glyph)
            })
            .sum::<f32>()
            * size
            / 1000.0
    }

    /// `text` as runs of one font each, encoded for `Identity-H` (two bytes
    /// per glyph of the subset), with each run's width at `size`.
    pub fn encode(&mut self, text: &str, style: Style, size: f32) -> Vec<(FontId, Vec<u8>, f32)> {
        let mut runs: Vec<(FontId, Vec<u8>, f32)> = Vec::new();
        for c in shown(text) {
            let (id, glyph) = self.resolve(c, style);
            let font = &mut self.fonts[id];
            let advance = font.advance(glyph) * size / 1000.0;
            let new = font.remapper.remap(glyph.0);
            if glyph.0 != 0 {
                font.text.entry(new).or_insert(c);
            }
            match runs.last_mut() {
                Some((last, bytes, width)) if *last == id => {
                    bytes.extend_from_slice(&new.to_be_bytes());
                    *width += advance;
                }
                _ => runs.push((id, new.to_be_bytes().to_vec(), advance)),
            }
        }
        runs
    }

    /// The page resource name of a font.
    pub fn resource_name(id: FontId) -> Vec<u8> {
        format!("F{id}").into_bytes()
    }

    /// Writes the fonts the document used; returns their ids and objects.
    pub fn write(&self, pdf: &mut Pdf, next: &mut i32) -> Vec<(FontId, Ref)> {
        let mut alloc = || {
            let r = Ref::new(*next);
            *next += 1;
            r
        };
        let mut written = Vec::new();
        for (id, font) in self.fonts.iter().enumerate() {
            if font.remapper.num_gids() <= 1 {
                continue; // only .notdef: never used
            }
            let [type0, cid, descriptor, file, cmap, gid_map] = [(); 6].map(|_| alloc());
            let old_gids: Vec<u16> = font.remapper.remapped_gids().collect();
            let base = subset_name(font.name, &old_gids);
            // A subset renumbers glyphs as the content streams do; if
            // subsetting fails, the whole font goes in and a CIDToGIDMap
            // stream maps the subset numbering back to the font's own.
            let (program, whole) = match subsetter::subset(font.data, 0, &font.remapper) {
                Ok(bytes) => (bytes, false),
                Err(err) => {
                    tracing::warn!(font = font.name, error = ?err, "font subsetting failed; embedding the whole font");
                    (font.data.to_vec(), true)
                }
            };

            pdf.type0_font(type0)
                .base_font(Name(base.as_bytes()))
                .encoding_predefined(Name(b"Identity-H"))
                .descendant_font(cid)
                .to_unicode(cmap);

            let mut cid_font = pdf.cid_font(cid);
            cid_font
                .subtype(CidFontType::Type2)
                .base_font(Name(base.as_bytes()))
                .system_info(SystemInfo {
                    registry: Str(b"Adobe"),
                    ordering: Str(b"Identity"),
                    supplement: 0,
                })
                .font_descriptor(descriptor)
                .default_width(font.advance(GlyphId(0)));
            if whole {
                cid_font.cid_to_gid_map_stream(gid_map);
            } else {
                cid_font.cid_to_gid_map_predefined(Name(b"Identity"));
            }
            cid_font
                .widths()
                .consecutive(0, old_gids.iter().map(|g| font.advance(GlyphId(*g))));
            cid_font.finish();

            let face = &font.face;
            let bbox = face.global_bounding_box();
            pdf.font_descriptor(descriptor)
                .name(Name(base.as_bytes()))
                .flags(FontFlags::SYMBOLIC)
                .bbox(Rect::new(
                    font.units(f32::from(bbox.x_min)),
                    font.units(f32::from(bbox.y_min)),
                    font.units(f32::from(bbox.x_max)),
                    font.units(f32::from(bbox.y_max)),
                ))
                .italic_angle(0.0)
                .ascent(font.units(f32::from(face.ascender())))
                .descent(font.units(f32::from(face.descender())))
                .cap_height(font.units(f32::from(face.capital_height().unwrap_or(face.ascender()))))
                .stem_v(80.0)
                .font_file2(file);
            pdf.stream(file, &super::deflate(&program))
                .filter(Filter::FlateDecode);
            if whole {
                let map: Vec<u8> = old_gids.iter().flat_map(|g| g.to_be_bytes()).collect();
                pdf.stream(gid_map, &map);
            }

            let mut unicode = UnicodeCmap::new(
                Name(b"Custom"),
                SystemInfo {
                    registry: Str(b"Adobe"),
                    ordering: Str(b"UCS"),
                    supplement: 0,
                },
            );
            for (glyph, c) in &font.text {
                unicode.pair(*glyph, *c);
            }
            pdf.cmap(cmap, &unicode.finish());
            written.push((id, type0));
        }
        written
    }
}

/// The characters that are drawn: controls dropped, tabs as spaces.
fn shown(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|c| !c.is_control())
}

/// `ABCDEF+Name`: the PDF tag of a subset, derived from its glyphs so the
/// same subset gets the same tag.
fn subset_name(name: &str, glyphs: &[u16]) -> String {
    let mut hash: u32 = 2_166_136_261;
    for g in glyphs {
        for b in g.to_be_bytes() {
            hash = (hash ^ u32::from(b)).wrapping_mul(16_777_619);
        }
    }
    let tag: String = (0..6)
        .map(|i| char::from(b'A' + ((hash >> (i * 5)) % 26) as u8))
        .collect();
    format!("{tag}+{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_comes_from_dejavu_and_cjk_from_the_fallback() {
        let fonts = Fonts::new().unwrap();
        assert_eq!(fonts.resolve('Ü', Style::Regular).0, REGULAR);
        assert_eq!(fonts.resolve('Ü', Style::Bold).0, BOLD);
        assert_eq!(fonts.resolve('評', Style::Regular).0, FALLBACK);
        assert_ne!(fonts.resolve('評', Style::Bold).1, GlyphId(0));
    }

    #[test]
    fn widths_follow_the_fonts() {
        let fonts = Fonts::new().unwrap();
        assert!(
            fonts.width("WWW", Style::Regular, 10.0) > fonts.width("iii", Style::Regular, 10.0)
        );
        assert!(fonts.width("Bold", Style::Bold, 10.0) > fonts.width("Bold", Style::Regular, 10.0));
        assert!(fonts.width("評価", Style::Regular, 10.0) > 15.0);
    }

    #[test]
    fn runs_split_by_font_and_only_used_glyphs_are_embedded() {
        let mut fonts = Fonts::new().unwrap();
        let runs = fonts.encode("Überprüfung — 評価", Style::Regular, 10.0);
        let ids: Vec<FontId> = runs.iter().map(|r| r.0).collect();
        assert_eq!(ids, [REGULAR, FALLBACK]);
        let mut pdf = Pdf::new();
        let mut next = 1;
        let written = fonts.write(&mut pdf, &mut next);
        assert_eq!(written.len(), 2);
        let bytes = pdf.finish();
        let droid = FILES[FALLBACK].1.len();
        assert!(
            bytes.len() < droid / 10,
            "a subset, not the whole fallback font: {} bytes",
            bytes.len()
        );
    }
}
