//! A string written into a JSON buffer exactly as serde_json writes it,
//! with a fast path for the common case of nothing to escape.
//!
//! serde_json looks every byte up in its escape table, one at a time; a
//! page's titles, descriptions and tags (~10 KB for 50 entries) are almost
//! never escaped, and that loop was 7 % of the page's server instructions
//! (issue 18, seventh pass). Here eight bytes are tested at once (the
//! classic "has a byte less than n / equal to c" word tricks); a string
//! with anything to escape is handed to serde_json whole, so escaping
//! itself stays serde_json's. No maintained crate offers this test alone
//! (the SIMD JSON writers bring a whole serializer).

/// Appends `text` as a JSON string.
pub(super) fn write(out: &mut Vec<u8>, text: &str) {
    if needs_no_escape(text.as_bytes()) {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        // Writing a `str` into a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut *out, text);
    }
}

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// Whether JSON writes every byte of `bytes` as is: no control byte
/// (below 0x20), no `"` and no `\`. Bytes of 0x80 and above (UTF-8) are
/// written as they are, as serde_json does.
fn needs_no_escape(bytes: &[u8]) -> bool {
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let word = u64::from_ne_bytes(word.try_into().expect("chunks of 8"));
        if has_byte_below_0x20(word) || has_byte(word, b'"') || has_byte(word, b'\\') {
            return false;
        }
    }
    words.remainder().iter().all(|&byte| plain(byte))
}

fn plain(byte: u8) -> bool {
    byte >= 0x20 && byte != b'"' && byte != b'\\'
}

/// Whether some byte of `word` is below 0x20: subtracting 0x20 from each
/// byte borrows into its high bit only for those, unless the byte already
/// had it set (masked by `!word`). Exact for "any byte", as needed here.
fn has_byte_below_0x20(word: u64) -> bool {
    word.wrapping_sub(ONES * 0x20) & !word & HIGHS != 0
}

/// Whether some byte of `word` equals `byte` (a zero byte after XOR).
fn has_byte(word: u64, byte: u8) -> bool {
    let zeroed = word ^ (ONES * u64::from(byte));
    zeroed.wrapping_sub(ONES) & !zeroed & HIGHS != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn written(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        write(&mut out, text);
        out
    }

    #[test]
    fn every_byte_that_needs_escaping_is_found_at_every_position() {
        for special in (0u8..0x20).chain([b'"', b'\\']) {
            for at in 0..20 {
                let mut text = vec![b'a'; 20];
                text[at] = special;
                let text = String::from_utf8(text).expect("ASCII");
                assert!(!needs_no_escape(text.as_bytes()), "{special:#x} at {at}");
                assert_eq!(written(&text), serde_json::to_vec(&text).unwrap());
            }
        }
    }

    #[test]
    fn plain_and_non_ascii_text_is_written_as_is() {
        for text in [
            "",
            "a",
            "Fix the bug",
            "</script>",
            "café ✓ 日本語 🎉",
            "~\u{7f}\u{80}",
        ] {
            assert!(needs_no_escape(text.as_bytes()), "{text}");
            assert_eq!(written(text), serde_json::to_vec(text).unwrap());
        }
    }

    proptest! {
        #[test]
        fn any_text_is_written_as_serde_json_writes_it(text in any::<String>()) {
            prop_assert_eq!(written(&text), serde_json::to_vec(&text).unwrap());
        }

        #[test]
        fn any_ascii_text_is_written_as_serde_json_writes_it(bytes in proptest::collection::vec(0u8..0x80, 0..40)) {
            let text = String::from_utf8(bytes).expect("ASCII");
            prop_assert_eq!(written(&text), serde_json::to_vec(&text).unwrap());
        }
    }
}
