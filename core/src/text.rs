//! Text shaping shared by the sources that write titles (the connectors on
//! the server, `englog capture git` in the terminal client).

/// Cuts `text` (trimmed) to at most `max` characters, ending with `…` when
/// cut, so a long PR title or commit subject still makes a valid title.
pub fn clip(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_clipped_with_an_ellipsis_and_short_text_is_trimmed() {
        assert_eq!(clip("  short ", 10), "short");
        let long = "x".repeat(300);
        let clipped = clip(&long, 200);
        assert_eq!(clipped.chars().count(), 200);
        assert!(clipped.ends_with('…'));
        // Characters, not bytes: a multi-byte title is cut on a boundary.
        assert_eq!(clip("héllo wörld", 6), "héllo…");
    }
}
