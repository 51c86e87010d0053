//! Text printed to a terminal. Questions, answers, sheet and file names come from files other
//! people made; printed raw, a control character in them is an instruction to the terminal
//! (an escape sequence can move the cursor, rewrite what was printed, change the window title,
//! or worse on some terminals). Every line the CLI prints goes through `safe`, which shows such
//! characters as visible escapes (`\u{1b}`) instead. Tabs and line breaks stay. JSON output is
//! left to serde_json, which escapes C0 control characters itself.

use std::borrow::Cow;

/// True for characters a terminal may act on rather than show: C0 controls other than tab and
/// line feed, DEL, C1 controls, and the bidirectional overrides that reorder what is shown.
fn hazardous(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every hazardous character written as a visible `\u{…}` escape.
pub fn safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hazardous) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hazardous(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `println!` for text that may hold other people's strings.
macro_rules! outln {
    () => { println!() };
    ($($arg:tt)*) => { println!("{}", crate::term::safe(&format!($($arg)*))) };
}

/// `eprintln!` for text that may hold other people's strings.
macro_rules! errln {
    ($($arg:tt)*) => { eprintln!("{}", crate::term::safe(&format!($($arg)*))) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_shown_not_obeyed() {
        assert_eq!(safe("plain text\twith tab\n"), "plain text\twith tab\n");
        assert_eq!(safe("\u{1b}]0;owned\u{7}title"), "\\u{1b}]0;owned\\u{7}title");
        assert_eq!(safe("a\u{9b}31mb"), "a\\u{9b}31mb");
        assert_eq!(safe("x\u{202e}cod.exe"), "x\\u{202e}cod.exe");
        assert_eq!(safe("\r\u{8}"), "\\u{d}\\u{8}");
    }
}
