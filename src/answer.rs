//! Answer normalisation: what a respondent wrote ("YES", "y", "N/A - not hosted", "Partially",
//! "1) Yes", "b. No", "Oui", "Nein") mapped to the five kinds the library and scoring work with:
//! Yes, No, N/A, Partial, Text.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
/// Dropdowns number or letter their choices ("1) Yes", "2. No", "b) N/A"): the marker is
/// dropped first. Common non-English spellings ("Oui", "Ja", "Sí", "Nein", "Non", "Teilweise")
/// are read too; anything else stays Text for the caller to interpret or flag.
pub fn classify(raw: &str) -> Option<AnswerKind> {
    let t = strip_choice_marker(raw).trim();
    if t.is_empty() {
        return if raw.trim().is_empty() { None } else { Some(AnswerKind::Text) };
    }
    let lower = t.to_lowercase();
    let lead = leading_word(&lower);
    let kind = match lead.as_str() {
        "yes" | "y" | "true" | "x" | "✓" | "✔" | "☑" | "☒" | "compliant" | "implemented" => AnswerKind::Yes,
        // Localised yes: French, German/Dutch/Scandinavian, Spanish/Italian, Portuguese, Polish.
        "oui" | "ja" | "jā" | "sí" | "si" | "sim" | "tak" => AnswerKind::Yes,
        "no" | "n" | "false" | "non-compliant" | "noncompliant" => AnswerKind::No,
        "non" | "nein" | "nee" | "nej" | "não" | "nao" | "nie" => AnswerKind::No,
        "n/a" | "na" | "n.a." | "n.a" | "n/d" | "s/o" | "entfällt" => AnswerKind::NotApplicable,
        "partial" | "partially" | "partly" | "partiellement" | "partiel" | "partielle" | "teilweise" | "parcialmente" | "parcial" | "parzialmente" => AnswerKind::Partial,
        "not" if lower.starts_with("not applicable") => AnswerKind::NotApplicable,
        "not" if lower.starts_with("not implemented") || lower.starts_with("not compliant") => AnswerKind::No,
        "in" if lower.starts_with("in progress") || lower.starts_with("in part") => AnswerKind::Partial,
        "nicht" if lower.starts_with("nicht anwendbar") || lower.starts_with("nicht zutreffend") => AnswerKind::NotApplicable,
        "sans" if lower.starts_with("sans objet") => AnswerKind::NotApplicable,
        _ => AnswerKind::Text,
    };
    // "No aplica" / "non applicable" start with a negative word but mean N/A.
    let kind = match kind {
        AnswerKind::No if lower.starts_with("no aplica") || lower.starts_with("non applicable") || lower.starts_with("non applicabile") || lower.starts_with("não se aplica") || lower.starts_with("nao se aplica") => AnswerKind::NotApplicable,
        k => k,
    };
    Some(kind)
}

/// The answer without a leading choice marker: "1) Yes" → "Yes", "b. No" → "No", "(2) N/A" →
/// "N/A", "[x] Yes" → "Yes". Only one or two digits, or one letter, followed by ")", "." or ":"
/// and a space count as a marker ("2.5 TB" and "A. Smith" with no space rule stay whole; a
/// lone letter needs ")" or "." and a following word).
pub fn strip_choice_marker(raw: &str) -> &str {
    let t = raw.trim_start();
    for box_mark in ["[x]", "[X]", "[ ]", "☒", "☑"] {
        if let Some(rest) = t.strip_prefix(box_mark) {
            if rest.starts_with(' ') {
                return rest.trim_start();
            }
        }
    }
    let body = t.strip_prefix('(').unwrap_or(t);
    let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker_len = if (1..=2).contains(&digits) {
        digits
    } else {
        match body.chars().next() {
            Some(c) if c.is_ascii_alphabetic() && body.chars().nth(1).is_some_and(|n| n == ')' || n == '.') => 1,
            _ => return t,
        }
    };
    let after = &body[marker_len..];
    match after.strip_prefix([')', '.', ':']) {
        Some(rest) if rest.starts_with(' ') && rest.trim_start().chars().next().is_some_and(|c| c.is_alphabetic()) => rest.trim_start(),
        _ => t,
    }
}

/// Whether the answer is a numbered or lettered pick from a list ("4) AWS", "b. Other").
pub fn is_choice(raw: &str) -> bool {
    strip_choice_marker(raw).len() != raw.trim_start().len()
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
            ("1) Yes", Some(AnswerKind::Yes)),
            ("2) No", Some(AnswerKind::No)),
            ("b. No", Some(AnswerKind::No)),
            ("(3) N/A", Some(AnswerKind::NotApplicable)),
            ("[x] Yes", Some(AnswerKind::Yes)),
            ("Yes - see the attached policy", Some(AnswerKind::Yes)),
            ("Oui", Some(AnswerKind::Yes)),
            ("Ja, seit 2021", Some(AnswerKind::Yes)),
            ("Sí", Some(AnswerKind::Yes)),
            ("Nein", Some(AnswerKind::No)),
            ("Non", Some(AnswerKind::No)),
            ("Não", Some(AnswerKind::No)),
            ("No aplica", Some(AnswerKind::NotApplicable)),
            ("Sans objet", Some(AnswerKind::NotApplicable)),
            ("Teilweise", Some(AnswerKind::Partial)),
            ("2.5 TB per tenant", Some(AnswerKind::Text)),
            ("A. Smith is our CISO", Some(AnswerKind::Text)),
            ("4) AWS", Some(AnswerKind::Text)),
            ("", None),
            ("   ", None),
        ];
        for (raw, want) in cases {
            assert_eq!(classify(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn choice_markers() {
        assert_eq!(strip_choice_marker("4) AWS"), "AWS");
        assert_eq!(strip_choice_marker("b. Other"), "Other");
        assert_eq!(strip_choice_marker("12: Monthly"), "Monthly");
        assert_eq!(strip_choice_marker("2.5 TB"), "2.5 TB");
        assert_eq!(strip_choice_marker("Yes"), "Yes");
        assert!(is_choice("1) Self owned and managed"));
        assert!(!is_choice("Self owned"));
        assert!(!is_choice("2024 review"));
    }

    #[test]
    fn labels_round_trip() {
        for k in [AnswerKind::Yes, AnswerKind::No, AnswerKind::NotApplicable, AnswerKind::Partial, AnswerKind::Text] {
            assert_eq!(AnswerKind::parse_label(k.as_str()), Some(k));
        }
    }
}
