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
/// written as they are, as serde_json does. Every word is tested without
/// a branch and the last few bytes as one more word, padded with a plain
/// byte: the strings of a page are short, so a loop per byte over their
/// tails cost as much as the words.
fn needs_no_escape(bytes: &[u8]) -> bool {
    let mut words = bytes.chunks_exact(8);
    let mut flagged = 0;
    for word in &mut words {
        flagged |= escaped_bytes(u64::from_ne_bytes(word.try_into().expect("chunks of 8")));
    }
    let rest = words.remainder();
    let mut last = [b' '; 8];
    last[..rest.len()].copy_from_slice(rest);
    flagged |= escaped_bytes(u64::from_ne_bytes(last));
    flagged == 0
}

/// Nonzero when some byte of `word` is below 0x20, `"` or `\`. Each test
/// is a classic word trick, exact for "any byte" (as needed here, not for
/// which one): subtracting 0x20 from each byte borrows into its high bit
/// only for bytes below it, unless the byte had that bit set already
/// (masked by `!word`); a byte equal to `c` is a zero byte after XOR with
/// `c`, found the same way with 0x01.
fn escaped_bytes(word: u64) -> u64 {
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    ((word.wrapping_sub(ONES * 0x20) & !word)
        | (quote.wrapping_sub(ONES) & !quote)
        | (backslash.wrapping_sub(ONES) & !backslash))
        & HIGHS
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
        // Every length up to two words and a tail, so the special byte
        // sits in a whole word and in the padded tail alike.
        for special in (0u8..0x20).chain([b'"', b'\\']) {
            for (len, at) in (1..=20).flat_map(|len| (0..len).map(move |at| (len, at))) {
                let mut text = vec![b'a'; len];
                text[at] = special;
                let text = String::from_utf8(text).expect("ASCII");
                assert!(
                    !needs_no_escape(text.as_bytes()),
                    "{special:#x} at {at} of {len}"
                );
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
