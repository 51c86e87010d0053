//! Scoping (qualifier) questions and what they take out of scope. A question such as "Does your
//! product process protected health information?" is not a control: it is recognised by its
//! words wherever it sits (`questionnaires/scoping.toml`, embedded), in every rubric including
//! the default, and never scored. Its answer takes the dependent questions (by ID prefix,
//! section title or sheet) out of scope (No / N/A), keeps them (Yes), or, unanswered, leaves
//! them scored but capped at low severity. Out of scope is not unanswered and not No. The
//! answers are checked against the vendor record: a vendor recorded as handling PHI who
//! answers "No PHI" is a contradiction to resolve, not a missing BAA.

use super::catalogue::{ref_key, Expected, Rubric};
use super::normalise::{interpret, Response};
use super::vendor::Vendor;
use crate::error::{Error, Result};
use crate::sheet::model::Question;
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use time::Date;

const EMBEDDED: &str = include_str!("../../questionnaires/scoping.toml");

#[derive(Debug, Clone, Deserialize)]
struct ScopeDef {
    id: String,
    title: String,
    asks: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
    #[serde(default)]
    prefixes: Vec<String>,
    #[serde(default)]
    sections: Vec<String>,
    #[serde(default)]
    vendor: Option<String>,
    out_reason: String,
}

#[derive(Debug, Deserialize)]
struct ScopesFile {
    #[serde(rename = "scope")]
    scopes: Vec<ScopeDef>,
}

/// One kind of scope with its patterns compiled.
pub struct Scope {
    pub id: String,
    pub title: String,
    asks: Vec<Regex>,
    unless: Vec<Regex>,
    prefixes: Vec<String>,
    sections: Vec<Regex>,
    pub vendor: Option<String>,
    pub out_reason: String,
}

fn compile(p: &str, what: &str) -> Result<Regex> {
    Regex::new(&format!("(?i){p}")).map_err(|e| Error::invalid("assess.scope.questionnaires_scoping_toml_regular", format!("questionnaires/scoping.toml: {what} {p:?} is not a regular expression: {e}")))
}

/// Every scope Quire recognises.
pub struct Scopes {
    pub scopes: Vec<Scope>,
}

impl Scopes {
    pub fn parse(text: &str) -> Result<Scopes> {
        let f: ScopesFile = toml::from_str(text).map_err(|e| Error::invalid("assess.scope.questionnaires_scoping_toml_valid", format!("questionnaires/scoping.toml is not valid: {e}")))?;
        let mut scopes = Vec::new();
        for d in f.scopes {
            let unless = d.unless.iter().map(|u| if u.starts_with('\\') { compile(u, "unless") } else { compile(&format!(r"\b{}", regex::escape(u)), "unless") }).collect::<Result<Vec<_>>>()?;
            scopes.push(Scope {
                asks: d.asks.iter().map(|a| compile(a, "asks")).collect::<Result<_>>()?,
                unless,
                prefixes: d.prefixes.iter().map(|p| ref_key(p)).collect(),
                sections: d.sections.iter().map(|s| compile(s, "sections")).collect::<Result<_>>()?,
                id: d.id,
                title: d.title,
                vendor: d.vendor,
                out_reason: d.out_reason,
            });
        }
        Ok(Scopes { scopes })
    }

    pub fn embedded() -> Result<&'static Scopes> {
        static S: OnceLock<std::result::Result<Scopes, String>> = OnceLock::new();
        S.get_or_init(|| Scopes::parse(EMBEDDED).map_err(|e| e.to_string())).as_ref().map_err(|e| Error::invalid("assess.scope.invalid", e.clone()))
    }

    /// The scope a question asks about, when it is a scoping question.
    pub fn asked_by(&self, text: &str) -> Option<&Scope> {
        let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        self.scopes.iter().find(|s| s.asks.iter().any(|r| r.is_match(&t)) && !s.unless.iter().any(|r| r.is_match(&t)))
    }
}

impl Scope {
    fn governs(&self, q: &Question) -> bool {
        let key = ref_key(&q.reference);
        (!key.is_empty() && self.prefixes.iter().any(|p| key.starts_with(p.as_str())))
            || (!q.domain.trim().is_empty() && self.sections.iter().any(|r| r.is_match(q.domain.trim())))
            || self.sections.iter().any(|r| r.is_match(q.sheet.trim()))
    }
}

/// What the vendor answered to one scoping question.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    InScope,
    OutOfScope,
    Unanswered,
}

/// A scoping question found in the questionnaire.
#[derive(Debug, Clone)]
pub struct Qualifier {
    pub index: usize,
    pub scope: String,
    pub title: String,
    pub answer: Answer,
    /// The questions it governs (indexes).
    pub dependents: Vec<usize>,
}

/// A scoping answer that disagrees with the vendor record.
#[derive(Debug, Clone)]
pub struct Contradiction {
    pub index: usize,
    pub why: String,
    pub remediation: String,
    /// The record says more risk than the answer (the dangerous direction).
    pub serious: bool,
}

/// The scoping of one questionnaire.
#[derive(Debug, Default)]
pub struct ScopePlan {
    pub qualifiers: BTreeMap<usize, Qualifier>,
    /// Question index → why it is out of scope.
    pub out: BTreeMap<usize, String>,
    /// Question index → the unanswered scoping question it depends on (its ref or text).
    pub unsure: BTreeMap<usize, String>,
    pub contradictions: Vec<Contradiction>,
}

fn label(q: &Question) -> String {
    if q.reference.trim().is_empty() {
        let t: String = q.text.chars().take(50).collect();
        format!("\"{t}…\"")
    } else {
        q.reference.clone()
    }
}

/// Finds the scoping questions, what their answers take out of scope, and contradictions with
/// the vendor record. `trusted_ids`: per question, whether its ID means what the rubric's does
/// (only then do the rubric's own `skip_when` rules apply to it).
pub fn plan(scopes: &Scopes, rubric: &Rubric, questions: &[&Question], trusted_ids: &[bool], vendor: &Vendor, today: Date) -> ScopePlan {
    let mut p = ScopePlan::default();
    for (i, q) in questions.iter().enumerate() {
        let Some(scope) = scopes.asked_by(&q.text) else { continue };
        let answer = match interpret(&q.answer, &q.comment, today).response {
            Response::Yes | Response::Partial => Answer::InScope,
            Response::No | Response::NotApplicable => Answer::OutOfScope,
            _ => Answer::Unanswered,
        };
        // A qualifier inside its own section governs the rest of that section, and no earlier
        // questions of another scope's qualifier.
        let dependents: Vec<usize> = questions.iter().enumerate().filter(|(j, d)| *j != i && scope.governs(d) && scopes.asked_by(&d.text).is_none_or(|s| s.id != scope.id || *j > i)).map(|(j, _)| j).collect();
        if let Some(kind) = &scope.vendor {
            if kind == "phi" {
                let record = vendor.is_business_associate();
                match (&answer, record) {
                    (Answer::OutOfScope, true) => p.contradictions.push(Contradiction {
                        index: i,
                        why: format!(
                            "the vendor record says {} handles PHI, but the vendor answered {:?} to this scoping question; the {} questions were taken out of scope on that answer",
                            vendor.name,
                            q.answer.trim(),
                            scope.title
                        ),
                        remediation: "Confirm with the vendor whether the product processes PHI. If it does, have it complete the HIPAA section and keep the BAA; if it does not, correct the vendor record (PHI activities: none).".into(),
                        serious: true,
                    }),
                    (Answer::InScope, false) => p.contradictions.push(Contradiction {
                        index: i,
                        why: format!("the vendor answered that the product processes PHI, but the vendor record says {} handles none", vendor.name),
                        remediation: "Update the vendor record's PHI activities; a business associate agreement is needed before any PHI is shared.".into(),
                        serious: false,
                    }),
                    _ => {}
                }
            }
        }
        for &j in &dependents {
            match answer {
                Answer::OutOfScope => {
                    p.out.entry(j).or_insert_with(|| format!("not in scope: {} ({} answered {:?})", scope.out_reason, label(q), q.answer.trim()));
                }
                Answer::Unanswered => {
                    p.unsure.entry(j).or_insert_with(|| label(q));
                }
                Answer::InScope => {}
            }
        }
        p.qualifiers.insert(i, Qualifier { index: i, scope: scope.id.clone(), title: scope.title.clone(), answer, dependents });
    }
    // The rubric's own rules, for questions whose ID means what the rubric's does.
    for rule in &rubric.skip_when {
        let key = ref_key(&rule.reference);
        let Some((i, q)) = questions.iter().enumerate().find(|(i, q)| ref_key(&q.reference) == key && trusted_ids.get(*i).copied().unwrap_or(false)) else { continue };
        let response = interpret(&q.answer, &q.comment, today).response;
        let hit = matches!((rule.answer, response), (Expected::No, Response::No) | (Expected::No, Response::NotApplicable) | (Expected::Yes, Response::Yes));
        if !hit {
            continue;
        }
        for (j, d) in questions.iter().enumerate() {
            let k = ref_key(&d.reference);
            if j != i && rule.prefixes.iter().any(|p| k.starts_with(&ref_key(p))) {
                p.out.entry(j).or_insert_with(|| format!("not in scope: {} ({} answered {})", rule.reason, rule.reference, response.as_str()));
            }
        }
    }
    // An out-of-scope question is not also "unsure".
    let out: Vec<usize> = p.out.keys().copied().collect();
    for j in out {
        p.unsure.remove(&j);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoping_questions_are_recognised_by_their_words() {
        let s = Scopes::embedded().expect("scopes");
        let id = |t: &str| s.asked_by(t).map(|x| x.id.as_str());
        assert_eq!(id("Does your product process protected health information (PHI) or any data covered by the Health Insurance Portability and Accountability Act?"), Some("phi"));
        assert_eq!(id("Will your solution store or transmit PHI?"), Some("phi"));
        assert_eq!(id("Is PHI encrypted at rest?"), None, "a control, not scope");
        assert_eq!(id("Have you entered into a BAA with all subcontractors who may have access to PHI?"), None);
        assert_eq!(id("Will data regulated by PCI DSS reside in the vended product?"), Some("card"));
        assert_eq!(id("Is the solution designed to process, store, or transmit credit card information?"), Some("card"));
        assert_eq!(id("Are you compliant with the Payment Card Industry Data Security Standard?"), None);
        assert_eq!(id("Will institution data be shared with or hosted by any third parties?"), Some("third_party"));
        assert_eq!(id("Do you perform security assessments of third party companies with which you share data?"), None);
        assert_eq!(id("Does your company provide professional services pertaining to this product?"), Some("consulting"));
        assert_eq!(id("Are you providing consulting services?"), Some("consulting"));
        assert_eq!(id("Will the consultant require access to Institution's network resources?"), None);
        assert_eq!(id("Does your solution have AI features, or are there plans to implement AI features in the next 12 months?"), Some("ai"));
        assert_eq!(id("Do you offer a mobile application?"), Some("mobile"));
        assert_eq!(id("If mobile, is the application available from a trusted source?"), None);
        assert_eq!(id("Does your product or service have an interface?"), Some("interface"));
        assert_eq!(id("Do you have a documented incident response plan?"), None);
    }
}
