//! How a text from a user's file is shown inside a message, a note or a report line: on one
//! line (runs of whitespace, line breaks included, become one space) and cut to a number of
//! characters, the last of them an ellipsis. One rule for every surface, so a long question
//! reads the same in the CLI, a fill's notes and the risk report.

/// `s` on one line, at most `max` characters, ending in "…" when it was cut.
pub fn shorten(s: &str, max: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut out: String = flat.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_on_characters_and_flattens_lines() {
        assert_eq!(shorten("a\n b\t c", 10), "a b c");
        let s = shorten(&"東京😀".repeat(100), 7);
        assert_eq!(s.chars().count(), 7);
        assert!(s.ends_with('…'));
        assert_eq!(shorten("", 3), "");
        assert_eq!(shorten("  padded  ", 10), "padded");
        assert_eq!(shorten("one two three", 8), "one two…");
        assert_eq!(shorten("abc", 0), "…");
    }
}
