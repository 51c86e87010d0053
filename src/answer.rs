//! Answer normalisation: what a respondent wrote ("YES", "y", "N/A - not hosted", "Partially")
//! mapped to the five kinds the library and scoring work with: Yes, No, N/A, Partial, Text.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AnswerKind {
    Yes,
    No,
    #[serde(rename = "N/A")]
    NotApplicable,
    Partial,
    Text,
}

impl AnswerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerKind::Yes => "Yes",
            AnswerKind::No => "No",
            AnswerKind::NotApplicable => "N/A",
            AnswerKind::Partial => "Partial",
            AnswerKind::Text => "Text",
        }
    }

    pub fn parse_label(s: &str) -> Option<AnswerKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "yes" => Some(AnswerKind::Yes),
            "no" => Some(AnswerKind::No),
            "n/a" | "na" => Some(AnswerKind::NotApplicable),
            "partial" => Some(AnswerKind::Partial),
            "text" => Some(AnswerKind::Text),
            _ => None,
        }
    }
}

impl fmt::Display for AnswerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Classifies an answer as written. Returns `None` for a blank answer (unanswered).
///
/// Data-quality trap: vendors write "Yes." / "YES - see policy" / "Y" / "N/A: not hosted" /
/// "Not Applicable". Only the leading word decides, and only when it stands alone (so "None of
/// our systems…" and "Yesterday" stay Text). A bare "x" counts as Yes: answers-by-columns
/// layouts mark the chosen column with it, and the caller maps the column to its own kind.
pub fn classify(raw: &str) -> Option<AnswerKind> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    let lower = t.to_lowercase();
    let lead = leading_word(&lower);
    let kind = match lead.as_str() {
        "yes" | "y" | "true" | "x" | "✓" | "✔" | "compliant" | "implemented" => AnswerKind::Yes,
        "no" | "n" | "false" | "non-compliant" | "noncompliant" => AnswerKind::No,
        "n/a" | "na" | "n.a." | "n.a" => AnswerKind::NotApplicable,
        "partial" | "partially" | "partly" => AnswerKind::Partial,
        "not" if lower.starts_with("not applicable") => AnswerKind::NotApplicable,
        "not" if lower.starts_with("not implemented") || lower.starts_with("not compliant") => AnswerKind::No,
        "in" if lower.starts_with("in progress") || lower.starts_with("in part") => AnswerKind::Partial,
        _ => AnswerKind::Text,
    };
    Some(kind)
}

/// The first word of an answer, up to the first separator that ends a "Yes"/"No" token.
fn leading_word(lower: &str) -> String {
    let end = lower
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':' | '-' | '–' | '—' | '(' | ')' | '!'))
        .map(|(i, _)| i)
        .unwrap_or(lower.len());
    let word = &lower[..end];
    // Keep "n/a", "n.a." and "non-compliant" whole: their separators are part of the token.
    for whole in ["n/a", "n.a.", "n.a", "non-compliant"] {
        if lower.starts_with(whole) {
            let rest = &lower[whole.len()..];
            if rest.chars().next().is_none_or(|c| !c.is_alphanumeric()) {
                return whole.to_string();
            }
        }
    }
    word.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_no_na_partial_text() {
        let cases = [
            ("Yes", Some(AnswerKind::Yes)),
            ("YES - see policy 4.2", Some(AnswerKind::Yes)),
            ("yes.", Some(AnswerKind::Yes)),
            ("Y", Some(AnswerKind::Yes)),
            ("x", Some(AnswerKind::Yes)),
            ("No", Some(AnswerKind::No)),
            ("no, planned for Q3", Some(AnswerKind::No)),
            ("N/A", Some(AnswerKind::NotApplicable)),
            ("NA", Some(AnswerKind::NotApplicable)),
            ("N/A: not hosted", Some(AnswerKind::NotApplicable)),
            ("Not Applicable", Some(AnswerKind::NotApplicable)),
            ("Partially", Some(AnswerKind::Partial)),
            ("Partial", Some(AnswerKind::Partial)),
            ("In progress", Some(AnswerKind::Partial)),
            ("None of our systems store PHI", Some(AnswerKind::Text)),
            ("Yesterday we rotated keys", Some(AnswerKind::Text)),
            ("Nothing", Some(AnswerKind::Text)),
            ("1) Self owned and managed", Some(AnswerKind::Text)),
            ("", None),
            ("   ", None),
        ];
        for (raw, want) in cases {
            assert_eq!(classify(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn labels_round_trip() {
        for k in [AnswerKind::Yes, AnswerKind::No, AnswerKind::NotApplicable, AnswerKind::Partial, AnswerKind::Text] {
            assert_eq!(AnswerKind::parse_label(k.as_str()), Some(k));
        }
    }
}
