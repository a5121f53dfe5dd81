//! A linear pre-scan of the document text for bracket nesting.
//!
//! The GraphQL parser (pest, via async-graphql) and everything after it
//! (value conversion, validation, drop) recurse once per nesting level of a
//! list, object or selection set. A 4 KB document nested 2,000 deep
//! overflows a thread's stack and aborts the whole process, so the nesting
//! is measured here, in one pass with constant stack, before anything
//! recursive sees the text.

/// The deepest `{`/`[`/`(` nesting of `source`, ignoring brackets inside
/// strings, block strings and comments. Stops counting (returns early) once
/// `limit` is exceeded, so hostile input costs no more than it must.
pub fn max_nesting(source: &str, limit: usize) -> usize {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > deepest {
                    deepest = depth;
                    if deepest > limit {
                        return deepest;
                    }
                }
            }
            // Unbalanced closers are the parser's to report.
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            b'#' => i = skip_comment(bytes, i),
            b'"' if bytes[i..].starts_with(b"\"\"\"") => i = skip_block_string(bytes, i),
            b'"' => i = skip_string(bytes, i),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// Index of the last byte of the comment starting at `start` (`#` to the
/// end of the line).
fn skip_comment(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |offset| start + offset)
}

/// Index of the closing quote of the string starting at `start`; an
/// unterminated string runs to the end (the parser then refuses it).
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i,
            // A string cannot span lines: the parser stops here too.
            b'\n' | b'\r' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Index of the last quote of the block string starting at `start`.
/// Inside a block string only `\"""` escapes the terminator.
fn skip_block_string(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 3;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"\\\"\"\"") {
            i += 4;
        } else if bytes[i..].starts_with(b"\"\"\"") {
            return i + 2;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_kind_of_bracket() {
        assert_eq!(max_nesting("{ a }", 64), 1);
        assert_eq!(max_nesting("{ a(x: [[{ b: 1 }]]) { c } }", 64), 5);
        assert_eq!(max_nesting("query { a } query { b }", 64), 1);
    }

    #[test]
    fn ignores_brackets_in_strings_block_strings_and_comments() {
        let source = r#"{ a(x: "{{{[[[", y: """ {{{ \""" [[[ """) # {{{{{
        }"#;
        assert_eq!(max_nesting(source, 64), 2);
    }

    #[test]
    fn escaped_quotes_do_not_end_a_string() {
        assert_eq!(max_nesting(r#"{ a(x: "\"{{{{") }"#, 64), 2);
    }

    #[test]
    fn stops_at_the_first_level_beyond_the_limit() {
        let deep = format!("{{ a(x: {}1{}) }}", "[".repeat(50_000), "]".repeat(50_000));
        assert_eq!(max_nesting(&deep, 64), 65);
    }

    #[test]
    fn unterminated_strings_and_stray_closers_do_not_panic() {
        assert_eq!(max_nesting("{ a(x: \"abc", 64), 2);
        assert_eq!(max_nesting("}}}{", 64), 1);
        assert_eq!(max_nesting("\"\"\"", 64), 0);
        assert_eq!(max_nesting("\"\\", 64), 0);
    }
}
