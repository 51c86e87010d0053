//! The text a question is embedded as: what it asks about, without the questionnaire's
//! boilerplate. Two kinds are taken off, both written the same way in every questionnaire and
//! carrying nothing a question is about: the opening that names the one being asked ("Does your
//! organization have…", "Are you…", "Do you have a…") and lists of three or more
//! policy-lifecycle verbs ("established, documented, approved, communicated, applied, evaluated
//! and maintained", CAIQ's refrain). A question that would keep fewer than two words is embedded
//! as written.
//!
//! Measured by meaning only (`cargo bench --bench accuracy`, docs/benchmarks.md): HECVAT→CAIQ
//! paraphrase top-1 28 → 34 %, VSAQ→CAIQ 31 → 40 %, near misses 74 → 81 %, the customer
//! rewordings 96 → 95 %, the near-identical sets unchanged.

use regex::Regex;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Versioned with the embeddings: changing what is taken off changes every stored vector.
pub(super) const VERSION: &str = "question-form/1";

const VERBS: &str = "established|defined|documented|approved|communicated|applied|enforced|evaluated|maintained|implemented|reviewed|updated|developed|followed";

fn opening() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^\s*(?:do|does|is|are|has|have|will|can|did)\s+(?:you|your\s+(?:organi[sz]ation|company|institution|product|service|solution|application|system|firm)|the\s+(?:organi[sz]ation|vendor|company))\s+(?:have\s+(?:an?\s+)?)?",
        )
        .expect("a fixed pattern")
    })
}

fn verb_list() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(&format!(r"(?i)\b(?:{VERBS})(?:,?\s+(?:and\s+|or\s+)?(?:{VERBS})){{2,}}\b")).expect("a fixed pattern"))
}

/// `text` as it is embedded (see the module's note).
pub fn question_form(text: &str) -> Cow<'_, str> {
    let without_list = verb_list().replace_all(text, "");
    let without_opening = opening().replace(&without_list, "");
    let words: Vec<&str> = without_opening.split_whitespace().collect();
    if words.len() < 2 {
        return Cow::Borrowed(text);
    }
    let form = words.join(" ");
    if form == text { Cow::Borrowed(text) } else { Cow::Owned(form) }
}

#[cfg(test)]
mod tests {
    use super::question_form;

    #[test]
    fn openings_and_lifecycle_lists_are_taken_off() {
        assert_eq!(question_form("Do you have an information security awareness program?"), "information security awareness program?");
        assert_eq!(question_form("Does your organization encrypt backups?"), "encrypt backups?");
        assert_eq!(question_form("Is your organization ISO 27001 certified?"), "ISO 27001 certified?");
        assert_eq!(
            question_form("Are cryptography and key management policies established, documented, approved, communicated, applied, evaluated, and maintained?"),
            "Are cryptography and key management policies ?"
        );
        // Two verbs are words of the question, not a refrain.
        assert_eq!(question_form("Are policies reviewed and updated at least annually?"), "Are policies reviewed and updated at least annually?");
    }

    #[test]
    fn other_texts_and_near_empty_results_stay_as_written() {
        for text in ["This is an example sentence", "Is MFA enforced?", "Do you?", "", "Describe your backup strategy.", "Is there a named security officer?"] {
            let form = question_form(text);
            assert!(form == text || form.split_whitespace().count() >= 2, "{text:?} → {form:?}");
        }
        assert_eq!(question_form("Do you?"), "Do you?");
        assert_eq!(question_form("Are you certified?"), "Are you certified?");
        assert_eq!(question_form("Describe your backup strategy."), "Describe your backup strategy.");
    }
}
