//! Counts the values in a JSON body before it is decoded.
//!
//! A 10 MiB body of `[1,1,1,…]` decodes into millions of values and
//! hundreds of megabytes; counting first, in one pass over the bytes,
//! refuses it for the price of reading it.

/// The number of JSON values in `body` (each scalar, array and object
/// counts one), ignoring everything inside strings. Stops once `limit` is
/// passed. The result is exact for valid JSON; for invalid JSON it is a
/// bound the decoder then refuses anyway.
pub fn count_values(body: &[u8], limit: usize) -> usize {
    let mut count = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    // Inside a scalar that is not a string (a number, true, false, null).
    let mut in_bare = false;
    for &byte in body {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        let starts_bare = matches!(byte, b'-' | b'0'..=b'9' | b't' | b'f' | b'n');
        match byte {
            b'"' => {
                in_string = true;
                in_bare = false;
                count += 1;
            }
            b'[' | b'{' => {
                in_bare = false;
                count += 1;
            }
            _ if starts_bare && !in_bare => {
                in_bare = true;
                count += 1;
            }
            _ if starts_bare => {}
            // Letters and digits inside a bare scalar (`e`, `r`, `u`, `.`,
            // `+`…) continue it; anything structural ends it.
            b',' | b':' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r' => in_bare = false,
            _ => {}
        }
        if count > limit {
            break;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_scalars_arrays_and_objects() {
        // object, "query" key, its value, "variables" key, object, "n" key,
        // 12.5e3, "list" key, array, true, null, false.
        let body = br#"{"query":"{ a }","variables":{"n":12.5e3,"list":[true,null,false]}}"#;
        assert_eq!(count_values(body, 1_000), 12);
    }

    #[test]
    fn brackets_and_quotes_inside_strings_are_not_counted() {
        let body = br#"{"query":"{ a(x: \"[1,2,3]\") } \\"}"#;
        assert_eq!(count_values(body, 1_000), 3);
    }

    #[test]
    fn stops_once_past_the_limit() {
        let body = format!("[{}1]", "1,".repeat(1_000_000));
        assert_eq!(count_values(body.as_bytes(), 100), 101);
    }
}
