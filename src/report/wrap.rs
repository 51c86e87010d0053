//! Line wrapping against measured glyph widths: greedy, on spaces, breaking words that are wider
//! than the line on their own (URLs, CJK runs, hashes). Every line returned measures no more
//! than the width asked for, as long as that width holds at least one glyph.

use super::font::{char_width, displayable, text_width, Face};

/// The text as it can be drawn on one line in `face`: tabs and other whitespace become spaces,
/// control characters go, characters the font lacks become the replacement character.
pub fn clean(text: &str, face: Face) -> String {
    text.chars()
        .filter_map(|c| match c {
            c if c.is_whitespace() => Some(' '),
            c if c.is_control() => None,
            // Zero-width and bidi controls draw nothing and the font lacks them.
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' => None,
            c => Some(displayable(face, c)),
        })
        .collect()
}

/// Wraps `text` into lines no wider than `max_width` points at `size`. Line breaks in the text
/// are kept; runs of spaces collapse. An empty text gives no lines.
pub fn wrap(text: &str, face: Face, size: f32, max_width: f32) -> Vec<String> {
    let space = char_width(face, size, ' ');
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let paragraph = clean(paragraph, face);
        let mut line = String::new();
        let mut width = 0.0f32;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let w = text_width(face, size, word);
            if !line.is_empty() && width + space + w <= max_width {
                line.push(' ');
                line.push_str(word);
                width += space + w;
                continue;
            }
            if w <= max_width {
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                line.push_str(word);
                width = w;
                continue;
            }
            // The word alone is wider than a line (a URL, a path, a run of CJK): break it after
            // punctuation where possible, anywhere when a piece is still too wide.
            for (j, piece) in pieces(word).into_iter().enumerate() {
                let pw = text_width(face, size, piece);
                let sep = if j == 0 && !line.is_empty() { space } else { 0.0 };
                if !line.is_empty() && width + sep + pw <= max_width {
                    if sep > 0.0 {
                        line.push(' ');
                    }
                    line.push_str(piece);
                    width += sep + pw;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    width = 0.0;
                }
                for c in piece.chars() {
                    let cw = char_width(face, size, c);
                    if !line.is_empty() && width + cw > max_width {
                        lines.push(std::mem::take(&mut line));
                        width = 0.0;
                    }
                    line.push(c);
                    width += cw;
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

/// A word split where a line may break inside it: after - / _ . ? & = , ; : and around
/// wide (CJK) characters, which need no spaces between words.
fn pieces(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in word.char_indices() {
        let end = i + c.len_utf8();
        let wide = is_wide(c);
        if wide && i > start {
            out.push(&word[start..i]);
            start = i;
        }
        if wide || matches!(c, '-' | '/' | '_' | '.' | '?' | '&' | '=' | ',' | ';' | ':') {
            out.push(&word[start..end]);
            start = end;
        }
    }
    if start < word.len() {
        out.push(&word[start..]);
    }
    out
}

/// CJK ideographs, kana, hangul and fullwidth forms: a line may break before or after any.
fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFF00..=0xFF60 | 0x20000..=0x3FFFD)
}

/// Like [`wrap`], but at most `max_lines` lines (at least one): a longer text ends with "…" on
/// its last line.
pub fn wrap_capped(text: &str, face: Face, size: f32, max_width: f32, max_lines: usize) -> Vec<String> {
    let mut lines = wrap(text, face, size, max_width);
    let max_lines = max_lines.max(1);
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            *last = with_ellipsis(last, face, size, max_width);
        }
    }
    lines
}

/// `line` shortened as needed so that it ends with "…" and fits `max_width`.
pub fn with_ellipsis(line: &str, face: Face, size: f32, max_width: f32) -> String {
    let mut s: String = line.trim_end().to_string();
    let ell = text_width(face, size, "…");
    while !s.is_empty() && text_width(face, size, &s) + ell > max_width {
        s.pop();
    }
    s.push('…');
    s
}

/// One line no wider than `max_width`: the text itself, or its start with "…".
pub fn fit_line(text: &str, face: Face, size: f32, max_width: f32) -> String {
    let text = clean(text, face);
    if text_width(face, size, &text) <= max_width {
        text
    } else {
        with_ellipsis(&text, face, size, max_width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIZE: f32 = 9.0;

    fn assert_fits(lines: &[String], max: f32) {
        for l in lines {
            let w = text_width(Face::Regular, SIZE, l);
            assert!(w <= max + 1e-3, "{l:?} is {w} pt, more than {max}");
        }
    }

    #[test]
    fn wraps_on_spaces_within_the_width() {
        let text = "Do you encrypt customer data at rest and in transit, including backups and replicas held by sub-processors?";
        let lines = wrap(text, Face::Regular, SIZE, 120.0);
        assert!(lines.len() > 3);
        assert_fits(&lines, 120.0);
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn breaks_long_words_and_unicode_without_spaces() {
        let url = format!("https://example.com/{}", "a".repeat(400));
        let cjk = "東京都の顧客データは暗号化されていますか".repeat(10);
        let mixed = "Zürich ﺍﻟﻌﺮﺑﻴﺔ 😀😀😀 \t tab\u{0}null\u{200B}zero-width\r\nnext";
        for text in [url.as_str(), cjk.as_str(), mixed] {
            let lines = wrap(text, Face::Regular, SIZE, 80.0);
            assert!(!lines.is_empty());
            assert_fits(&lines, 80.0);
        }
        assert_eq!(wrap(&url, Face::Regular, SIZE, 80.0).concat(), url);
        assert_eq!(wrap("a\n\nb", Face::Regular, SIZE, 80.0), ["a", "b"]);
        assert!(wrap("   ", Face::Regular, SIZE, 80.0).is_empty());
        // A long URL breaks after its punctuation, not in the middle of a word, and starts on
        // the line of the text before it when it can.
        let path = format!("See https://example.com/{}", "segment-".repeat(40));
        let lines = wrap(&path, Face::Regular, SIZE, 150.0);
        assert!(lines[0].starts_with("See https:"), "{lines:?}");
        assert!(lines[..lines.len() - 1].iter().skip(1).all(|l| l.ends_with('-')), "{lines:?}");
        assert_eq!(lines.concat(), path);
        assert_eq!(pieces("東京abc-d"), ["東", "京", "abc-", "d"]);
    }

    #[test]
    fn capped_wrap_ends_with_an_ellipsis_and_fits() {
        let text = "word ".repeat(500);
        let lines = wrap_capped(&text, Face::Regular, SIZE, 100.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'));
        assert_fits(&lines, 100.0);
        let one = fit_line(&text, Face::Regular, SIZE, 50.0);
        assert!(one.ends_with('…'));
        assert_fits(&[one], 50.0);
    }
}
