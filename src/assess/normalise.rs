//! What a vendor's answer means for scoring: Yes / No / N/A / Partial / unanswered, read from
//! the answer cell and its comment. Free text is interpreted ("We are SOC 2 Type II certified"
//! → Yes, with the certification noted as evidence; "Planned for Q3" → No, with the date the
//! vendor committed to), N/A keeps whether it was justified, and a "Yes" that the vendor's own
//! comment takes back ("Yes — rollout planned for 2027") is flagged. A numbered or lettered
//! pick from a dropdown ("1) Yes" is Yes; "4) AWS" is a *choice*, a fact rather than a control)
//! is read as what was picked; text that says nothing readable is marked unclear with what was
//! seen, never guessed.

use crate::answer::{classify, is_choice, strip_choice_marker, AnswerKind};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use time::{Date, Month};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Response {
    Yes,
    No,
    #[serde(rename = "n/a")]
    NotApplicable,
    Partial,
    /// Free text that says neither yes nor no.
    Unclear,
    Unanswered,
    /// A pick from the questionnaire's own list that is not yes/no/N/A ("4) AWS"): a fact, not
    /// a control.
    Choice,
}

impl Response {
    pub fn as_str(self) -> &'static str {
        match self {
            Response::Yes => "Yes",
            Response::No => "No",
            Response::NotApplicable => "N/A",
            Response::Partial => "Partial",
            Response::Unclear => "Unclear",
            Response::Unanswered => "Unanswered",
            Response::Choice => "Choice",
        }
    }
}

/// A vendor's answer as the scoring reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Interpreted {
    pub response: Response,
    /// For N/A: the vendor said why (in the comment or after "N/A").
    pub justified: bool,
    /// Certifications or reports the answer cites ("SOC 2 Type II", "ISO 27001").
    pub evidence: Vec<String>,
    /// A date the vendor committed to ("planned for Q3 2026" → "2026-09-30").
    pub planned: Option<String>,
    /// Why a "Yes" looks taken back by the vendor's own words.
    pub contradiction: Option<String>,
    /// How free text was read, for the analyst ("read as No: 'planned for Q3'").
    pub note: Option<String>,
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static regex")
}

fn planned_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| re(r"(?i)\b(planned|plan to|planning|on (?:our|the) roadmap|roadmap|in progress|not yet|will be|will implement|working (?:on|towards?)|scheduled|expected (?:by|in)|targeted for|by (?:the end of )?(?:q[1-4]|20\d\d))\b"))
}

fn negative_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| re(r"(?i)\b(we (?:do not|don't|are not|aren't|have not|haven't|cannot|can't)|not (?:currently|at this time|supported|available|implemented|in place)|no (?:formal|documented)|does not|doesn't|is not|isn't|none)\b"))
}

fn affirmative_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| re(r"(?i)^\s*(?:we|our (?:company|organi[sz]ation|team|product|service|platform|systems?)|all (?:data|systems|employees|staff))\s+(?:are|is|have|has|do|does|use|uses|maintain|maintains|perform|performs|require|requires|encrypt|encrypts|support|supports|follow|follows|hold|holds|conduct|conducts|provide|provides|undergo|undergoes|enforce|enforces|comply|complies|were|was)\b"))
}

fn caveat_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| re(r"(?i)\b(except|exception|partially|only (?:for|some|in)|some but not|limited to|not all|not yet|planned|in progress|roadmap|working on|do not|don't|does not|doesn't|not currently|no longer)\b"))
}

fn certification_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| re(r"(?i)\b(soc ?2(?: type (?:ii|2|i|1))?|soc ?1|ssae ?1[68]|iso(?:/iec)? ?27001|iso(?:/iec)? ?27017|iso(?:/iec)? ?27018|iso(?:/iec)? ?27701|hitrust(?: (?:r2|i1|e1|csf))?|pci[ -]?dss|fedramp|stateramp|hipaa attestation|pen(?:etration)? test report)\b"))
}

fn quarter_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| re(r"(?i)\bq([1-4])(?:\s*(?:of\s*)?(?:fy\s*)?(20\d\d))?\b"))
}

fn month_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| re(r"(?i)\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?\s+(20\d\d)\b"))
}

fn iso_date_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| re(r"\b(20\d\d)-(\d\d)-(\d\d)\b"))
}

fn year_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| re(r"(?i)\b(?:by|in|during|end of)\s+(20\d\d)\b"))
}

fn last_day(year: i32, month: Month) -> Option<Date> {
    let first_next = if month == Month::December { Date::from_calendar_date(year + 1, Month::January, 1) } else { Date::from_calendar_date(year, month.next(), 1) };
    first_next.ok().and_then(|d| d.previous_day())
}

/// A committed date in free text: "Q3" (this year, or next if passed), "Q3 2026", "March 2027",
/// "2026-10-01", "by 2027" (its last day).
pub fn planned_date(text: &str, today: Date) -> Option<Date> {
    if let Some(c) = iso_date_re().captures(text) {
        let (y, m, d) = (c[1].parse().ok()?, c[2].parse::<u8>().ok()?, c[3].parse().ok()?);
        return Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok();
    }
    if let Some(c) = quarter_re().captures(text) {
        let q: u8 = c[1].parse().ok()?;
        let month = Month::try_from(q * 3).ok()?;
        let year = match c.get(2) {
            Some(y) => y.as_str().parse().ok()?,
            None => today.year(),
        };
        let end = last_day(year, month)?;
        return if c.get(2).is_none() && end < today { last_day(year + 1, month) } else { Some(end) };
    }
    if let Some(c) = month_re().captures(text) {
        let m = match &c[1].to_lowercase()[..3] {
            "jan" => Month::January,
            "feb" => Month::February,
            "mar" => Month::March,
            "apr" => Month::April,
            "may" => Month::May,
            "jun" => Month::June,
            "jul" => Month::July,
            "aug" => Month::August,
            "sep" => Month::September,
            "oct" => Month::October,
            "nov" => Month::November,
            _ => Month::December,
        };
        return last_day(c[2].parse().ok()?, m);
    }
    if let Some(c) = year_re().captures(text) {
        return last_day(c[1].parse().ok()?, Month::December);
    }
    None
}

fn certifications(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in certification_re().find_iter(text) {
        let norm = m.as_str().split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase().replace("TYPE 2", "TYPE II").replace("SOC2", "SOC 2");
        if !out.contains(&norm) {
            out.push(norm);
        }
    }
    out
}

/// Reads one answer and its comment.
pub fn interpret(raw_answer: &str, comment: &str, today: Date) -> Interpreted {
    let answer = strip_choice_marker(raw_answer);
    let both = format!("{answer} {comment}");
    let mut out = Interpreted { response: Response::Unanswered, justified: false, evidence: certifications(&both), planned: None, contradiction: None, note: None };
    let Some(kind) = classify(answer) else {
        return out;
    };
    out.response = match kind {
        AnswerKind::Yes => Response::Yes,
        AnswerKind::No => Response::No,
        AnswerKind::NotApplicable => Response::NotApplicable,
        AnswerKind::Partial => Response::Partial,
        AnswerKind::Text if is_choice(raw_answer) => {
            out.note = Some(format!("a pick from the questionnaire's list: \"{}\"", answer.trim()));
            Response::Choice
        }
        AnswerKind::Text => read_text(answer, &mut out, today),
    };
    match out.response {
        Response::NotApplicable => {
            // "N/A - we do not host data" or a comment: a reason was given.
            let after: String = answer.trim().chars().skip_while(|c| c.is_alphabetic() || *c == '/' || *c == '.').collect();
            let reason = format!("{} {}", after.trim_matches(|c: char| !c.is_alphanumeric()), comment.trim());
            out.justified = reason.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count() >= 2;
        }
        Response::Yes => {
            let rest = format!("{} {comment}", answer.trim().trim_start_matches(|c: char| c.is_alphabetic()));
            if let Some(m) = caveat_re().find(&rest) {
                out.contradiction = Some(format!("answered Yes, but the vendor's own words say \"{}\"", snippet(&rest, m.start())));
                out.planned = planned_date(&rest, today).map(|d| d.to_string());
            }
        }
        Response::No | Response::Partial => {
            if planned_re().is_match(&both) {
                out.planned = planned_date(&both, today).map(|d| d.to_string());
            }
        }
        _ => {}
    }
    out
}

fn read_text(answer: &str, out: &mut Interpreted, today: Date) -> Response {
    let t = answer.trim();
    if let Some(m) = planned_re().find(t) {
        out.note = Some(format!("read as No: \"{}\" is a plan, not a control in place", m.as_str()));
        out.planned = planned_date(t, today).map(|d| d.to_string());
        return Response::No;
    }
    if let Some(m) = negative_re().find(t) {
        out.note = Some(format!("read as No: \"{}\"", m.as_str()));
        return Response::No;
    }
    if affirmative_re().is_match(t) || !out.evidence.is_empty() {
        out.note = Some(if out.evidence.is_empty() { "read as Yes: an affirmative statement".to_string() } else { format!("read as Yes, citing {}", out.evidence.join(", ")) });
        return Response::Yes;
    }
    let seen: String = t.chars().take(60).collect();
    out.note = Some(format!("could not read \"{}{}\" as yes or no: ask the vendor", seen.trim_end(), if t.chars().count() > 60 { "…" } else { "" }));
    Response::Unclear
}

/// Up to 60 characters around a match, on word boundaries.
fn snippet(text: &str, at: usize) -> String {
    let start = text[..at].rfind(|c: char| c == '.' || c == ';').map(|i| i + 1).unwrap_or(0);
    let s: String = text[start..].trim().chars().take(60).collect();
    s.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 24);

    #[test]
    fn plain_answers() {
        assert_eq!(interpret("Yes", "", TODAY).response, Response::Yes);
        assert_eq!(interpret("NO", "", TODAY).response, Response::No);
        assert_eq!(interpret("", "some note", TODAY).response, Response::Unanswered);
        assert_eq!(interpret("Partially", "", TODAY).response, Response::Partial);
    }

    #[test]
    fn free_text_is_interpreted() {
        let soc2 = interpret("We are SOC 2 Type II certified", "", TODAY);
        assert_eq!(soc2.response, Response::Yes);
        assert_eq!(soc2.evidence, vec!["SOC 2 TYPE II".to_string()]);
        let planned = interpret("Planned for Q3", "", TODAY);
        assert_eq!(planned.response, Response::No);
        assert_eq!(planned.planned.as_deref(), Some("2027-09-30"), "Q3 has passed this year: next year's");
        assert_eq!(interpret("Planned for Q1 2027", "", TODAY).planned.as_deref(), Some("2027-03-31"));
        assert_eq!(interpret("We do not currently offer SSO", "", TODAY).response, Response::No);
        assert_eq!(interpret("Our platform encrypts all data with AES-256", "", TODAY).response, Response::Yes);
        assert_eq!(interpret("See attached document", "", TODAY).response, Response::Unclear);
    }

    #[test]
    fn numbered_choices_and_localised_answers() {
        assert_eq!(interpret("1) Yes", "", TODAY).response, Response::Yes);
        assert_eq!(interpret("2) No", "", TODAY).response, Response::No);
        assert_eq!(interpret("b. No", "", TODAY).response, Response::No);
        let aws = interpret("4) AWS", "", TODAY);
        assert_eq!(aws.response, Response::Choice);
        assert!(aws.note.as_deref().is_some_and(|n| n.contains("AWS")), "{aws:?}");
        assert_eq!(interpret("Oui", "", TODAY).response, Response::Yes);
        assert_eq!(interpret("Yes - enforced through Okta", "", TODAY).response, Response::Yes);
        let odd = interpret("Per contract", "", TODAY);
        assert_eq!(odd.response, Response::Unclear);
        assert!(odd.note.as_deref().is_some_and(|n| n.contains("Per contract")), "what was seen is said: {odd:?}");
    }

    #[test]
    fn not_applicable_needs_a_reason() {
        assert!(!interpret("N/A", "", TODAY).justified);
        assert!(interpret("N/A", "We do not host any customer data.", TODAY).justified);
        assert!(interpret("N/A - no on-premises servers", "", TODAY).justified);
    }

    #[test]
    fn a_yes_taken_back_is_flagged() {
        let y = interpret("Yes", "MFA rollout to all staff is planned for March 2027", TODAY);
        assert_eq!(y.response, Response::Yes);
        assert!(y.contradiction.as_deref().is_some_and(|c| c.contains("planned")), "{y:?}");
        assert_eq!(y.planned.as_deref(), Some("2027-03-31"));
        assert!(interpret("Yes", "Enforced for every account via Okta.", TODAY).contradiction.is_none());
    }

    #[test]
    fn dates() {
        assert_eq!(planned_date("by 2027-02-15", TODAY), Some(date!(2027 - 02 - 15)));
        assert_eq!(planned_date("by end of 2027", TODAY), Some(date!(2027 - 12 - 31)));
        assert_eq!(planned_date("no date", TODAY), None);
    }
}
