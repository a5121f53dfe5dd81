//! The built-in Helvetica of every PDF reader: nothing to embed, but only
//! the WinAnsi (Windows-1252) characters exist. Text is encoded to that set;
//! anything else becomes `?`, so a report in another script still renders
//! (and stays complete in the Markdown export).

/// Which of the two faces a run of text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

impl Face {
    pub fn resource_name(self) -> &'static [u8] {
        match self {
            Face::Regular => b"F1",
            Face::Bold => b"F2",
        }
    }

    pub fn base_font(self) -> &'static [u8] {
        match self {
            Face::Regular => b"Helvetica",
            Face::Bold => b"Helvetica-Bold",
        }
    }
}

/// Helvetica advance widths (1/1000 em) of ASCII 32..=126, from its AFM.
const ASCII_WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // ' '..'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // digits
    278, 278, 584, 584, 584, 556, 1015, // ':'..'@'
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A..M
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N..Z
    278, 278, 278, 469, 556, 333, // '['..'`'
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a..m
    556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n..z
    334, 260, 334, 584, // '{'..'~'
];

/// Windows-1252 bytes 0x80..=0x9F for the characters Unicode puts elsewhere.
const CP1252_HIGH: [(char, u8); 27] = [
    ('€', 0x80),
    ('‚', 0x82),
    ('ƒ', 0x83),
    ('„', 0x84),
    ('…', 0x85),
    ('†', 0x86),
    ('‡', 0x87),
    ('ˆ', 0x88),
    ('‰', 0x89),
    ('Š', 0x8A),
    ('‹', 0x8B),
    ('Œ', 0x8C),
    ('Ž', 0x8E),
    ('‘', 0x91),
    ('’', 0x92),
    ('“', 0x93),
    ('”', 0x94),
    ('•', 0x95),
    ('–', 0x96),
    ('—', 0x97),
    ('˜', 0x98),
    ('™', 0x99),
    ('š', 0x9A),
    ('›', 0x9B),
    ('œ', 0x9C),
    ('ž', 0x9E),
    ('Ÿ', 0x9F),
];

/// The WinAnsi byte of `c`, or `?` when the font has no such glyph.
pub fn encode_char(c: char) -> u8 {
    match c as u32 {
        0x20..=0x7E | 0xA0..=0xFF => c as u8,
        _ => CP1252_HIGH
            .iter()
            .find(|(u, _)| *u == c)
            .map_or(b'?', |(_, b)| *b),
    }
}

pub fn encode(text: &str) -> Vec<u8> {
    text.chars()
        .filter(|c| !c.is_control())
        .map(encode_char)
        .collect()
}

fn byte_width(b: u8) -> u16 {
    match b {
        0x20..=0x7E => ASCII_WIDTHS[usize::from(b - 0x20)],
        // Accented Latin letters are about as wide as their base letters.
        _ => 556,
    }
}

/// Width of `text` in points at `size`. Bold is measured a little wide, so
/// lines wrap early rather than overflow.
pub fn width(text: &str, face: Face, size: f32) -> f32 {
    let units: u32 = encode(text)
        .into_iter()
        .map(|b| u32::from(byte_width(b)))
        .sum();
    let scale = if face == Face::Bold { 1.08 } else { 1.0 };
    units as f32 * size / 1000.0 * scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_text_encodes_and_other_scripts_degrade_to_question_marks() {
        assert_eq!(encode("Café – ok"), b"Caf\xe9 \x96 ok");
        assert_eq!(encode("日本"), b"??");
    }

    #[test]
    fn widths_follow_the_font_metrics() {
        assert_eq!(width("i", Face::Regular, 1000.0), 222.0);
        assert!(width("WWW", Face::Regular, 10.0) > width("iii", Face::Regular, 10.0));
    }
}
