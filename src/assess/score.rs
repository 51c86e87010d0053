//! Scoring a vendor's completed questionnaire against a rubric. The rules are explicit and
//! deterministic (docs/assessment.md): each scorable question is worth points by criticality
//! (low 1, medium 2, high 3, critical 5); the expected answer earns them all, Partial or a Yes
//! the vendor's comment takes back earns half, anything else none; N/A with a reason and
//! informational questions drop out; unanswered questions count against the vendor. A domain
//! with nothing scorable has no score (not 0). Every score keeps its per-question breakdown.
//! Scoping questions are never scored (src/assess/scope.rs); questions the rubric places
//! neither by ID nor by text are classified from their words, and those no keyword places are
//! guesswork: worth 1 point, and a finding on them is at most low ("ask the vendor").

use super::catalogue::{Catalogue, Criticality, Expected, Rubric};
use super::normalise::{interpret, Interpreted, Response};
use super::placement::Place;
use super::scope::{Answer, ScopePlan};
use super::vendor::Tier;
use crate::sheet::model::Question;
use crate::analysis::Analyzer;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use time::Date;

/// How a question was placed in the rubric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Placement {
    /// The rubric lists the question's ID (and its text agrees).
    Rubric,
    /// Placed on the rubric entry whose topic its text matches (`placed_as`).
    Text,
    /// Classified from its words (domain keywords, criticality hints).
    Classified,
    /// Nothing placed it: guesswork, at most a low finding.
    Guessed,
}

/// What happened to one question in scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Met,
    Partial,
    /// A Yes the vendor's own comment takes back.
    Contradicted,
    Gap,
    Unanswered,
    Unclear,
    /// N/A without a reason: scored as not met.
    UnjustifiedNa,
    /// N/A with a reason: not scored.
    NotApplicable,
    /// Asks for a description, not a control: not scored.
    Informational,
    /// A section the vendor's answer to a qualifying question rules out: not scored.
    NotInScope,
    /// A scoping question ("Does your product process PHI?"): decides what is in scope, is not
    /// a control, not scored.
    Scoping,
}

impl Outcome {
    pub fn scored(self) -> bool {
        !matches!(self, Outcome::NotApplicable | Outcome::Informational | Outcome::NotInScope | Outcome::Scoping)
    }

    fn credit(self) -> f64 {
        match self {
            Outcome::Met => 1.0,
            Outcome::Partial | Outcome::Contradicted => 0.5,
            _ => 0.0,
        }
    }
}

/// One question's line in the breakdown.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QuestionScore {
    pub sheet: String,
    pub row: usize,
    #[serde(rename = "ref")]
    pub reference: String,
    pub question: String,
    pub answer: String,
    pub comment: String,
    pub domain: String,
    pub criticality: Criticality,
    pub expected: Expected,
    pub placement: Placement,
    /// For a question placed by text: the rubric entry it was placed on.
    #[serde(default)]
    pub placed_as: Option<String>,
    pub interpreted: Interpreted,
    pub outcome: Outcome,
    /// Why a question is not scored (N/A reason, out of scope).
    #[serde(default)]
    pub note: Option<String>,
    pub points: f64,
    pub earned: f64,
    /// Framework controls the question speaks to ("hipaa:164.312(d)").
    pub frameworks: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DomainScore {
    pub id: String,
    pub title: String,
    pub weight: f64,
    /// 0–100, or `None` when nothing in the domain could be scored.
    pub score: Option<f64>,
    pub earned: f64,
    pub possible: f64,
    pub questions: usize,
    pub scored: usize,
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A control answered other than expected (or not at all).
    #[default]
    Control,
    /// A scoping question left unanswered.
    Scoping,
    /// A scoping answer that disagrees with the vendor record.
    Contradiction,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Finding {
    #[serde(default)]
    pub kind: FindingKind,
    #[serde(rename = "ref")]
    pub reference: String,
    pub sheet: String,
    pub row: usize,
    pub question: String,
    pub answer: String,
    pub domain: String,
    pub why: String,
    pub severity: Criticality,
    pub remediation: String,
    pub due: String,
}

/// The scores, findings and breakdown of one questionnaire.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Scorecard {
    pub rubric: String,
    pub rubric_title: String,
    /// 0–100, weighted by domain; `None` when nothing could be scored.
    pub overall: Option<f64>,
    pub domains: Vec<DomainScore>,
    pub findings: Vec<Finding>,
    pub questions: Vec<QuestionScore>,
}

/// Days to remediate a finding, by severity.
pub fn due_days(severity: Criticality) -> i64 {
    match severity {
        Criticality::Critical => 30,
        Criticality::High => 60,
        Criticality::Medium => 90,
        Criticality::Low => 180,
    }
}

/// The residual tier: a score of 85 or more lowers the inherent tier one step, 70–85 keeps it,
/// 50–70 raises it one step, under 50 makes it critical. Without a score it stays inherent.
pub fn residual_tier(inherent: Tier, overall: Option<f64>) -> Tier {
    match overall {
        None => inherent,
        Some(s) if s >= 85.0 => inherent.down(),
        Some(s) if s >= 70.0 => inherent,
        Some(s) if s >= 50.0 => inherent.up(),
        Some(_) => Tier::Critical,
    }
}

/// Words → analysed term sets, for keyword matching with the suggestion engine's analyser
/// (stems and thesaurus concepts: "MFA" matches "multi-factor authentication"). The catalogue's
/// keyword phrases are analysed once, up front: every question is matched against all of them.
pub struct Matcher {
    analyzer: Analyzer,
    empty: HashMap<String, u32>,
    keywords: HashMap<String, Vec<String>>,
}

impl Matcher {
    pub fn new<'a>(analyzer: Analyzer, phrases: impl IntoIterator<Item = &'a String>) -> Matcher {
        let empty = HashMap::new();
        let keywords = phrases.into_iter().map(|k| (k.clone(), analyzer.terms(k, &empty))).collect();
        Matcher { analyzer, empty, keywords }
    }

    pub fn terms(&self, text: &str) -> HashSet<String> {
        self.analyzer.terms(text, &self.empty).into_iter().collect()
    }

    /// How strongly `keywords` match the question's terms: the sum of the lengths of the
    /// keywords whose every term is present.
    pub fn strength(&self, question: &HashSet<String>, keywords: &[String]) -> usize {
        keywords
            .iter()
            .map(|k| match self.keywords.get(k) {
                Some(terms) => std::borrow::Cow::Borrowed(terms),
                None => std::borrow::Cow::Owned(self.analyzer.terms(k, &self.empty)),
            })
            .filter(|k| !k.is_empty() && k.iter().all(|t| question.contains(t)))
            .map(|k| k.len())
            .sum()
    }
}

fn contains_phrase(text: &str, phrases: &[String]) -> bool {
    let t = text.to_lowercase();
    phrases.iter().any(|p| !p.trim().is_empty() && t.contains(&p.to_lowercase()))
}

/// Everything scoring needs besides the questions.
pub struct Context<'a> {
    pub rubric: &'a Rubric,
    pub defaults: &'a Rubric,
    pub catalogue: &'a Catalogue,
    pub matcher: &'a Matcher,
    /// Per question: where it sits in the rubric (placement.rs).
    pub places: &'a [Place],
    /// Per question: its analysed terms.
    pub terms: &'a [HashSet<String>],
    pub scope: &'a ScopePlan,
    pub today: Date,
}

/// Classifies and scores every question.
pub fn score(questions: &[&Question], cx: &Context<'_>) -> Scorecard {
    let (rubric, defaults, today) = (cx.rubric, cx.defaults, cx.today);
    let empty = HashSet::new();
    let mut lines = Vec::with_capacity(questions.len());
    for (i, q) in questions.iter().enumerate() {
        let interpreted = interpret(&q.answer, &q.comment, today);
        let terms = cx.terms.get(i).unwrap_or(&empty);
        let place = cx.places.get(i).copied().unwrap_or(Place::Classify);
        let entry = match place {
            Place::Id(e) => rubric.questions.get(e).map(|rq| (rq, Placement::Rubric, None)),
            Place::Text(e, _) => rubric.questions.get(e).map(|rq| (rq, Placement::Text, Some(rq.reference.clone()))),
            Place::Classify => None,
        };
        let (domain, criticality, expected, informational, placement, placed_as, mut frameworks, remediation) = match entry {
            Some((rq, placement, placed_as)) => (rq.domain.clone(), rq.criticality, rq.expected, rq.informational, placement, placed_as, rq.frameworks.clone(), rq.remediation.clone()),
            None => {
                let best = rubric.domains.iter().map(|d| (cx.matcher.strength(terms, &d.keywords), d)).filter(|(s, _)| *s > 0).max_by_key(|(s, _)| *s);
                let domain = best.map(|(_, d)| d).unwrap_or_else(|| rubric.fallback()).id.clone();
                // Hints come from the rubric, else from the default rubric.
                let hints = if rubric.criticality.critical.is_empty() && rubric.criticality.high.is_empty() { &defaults.criticality } else { &rubric.criticality };
                let hinted = if cx.matcher.strength(terms, &hints.critical) > 0 {
                    Some(Criticality::Critical)
                } else if cx.matcher.strength(terms, &hints.high) > 0 {
                    Some(Criticality::High)
                } else if cx.matcher.strength(terms, &hints.low) > 0 {
                    Some(Criticality::Low)
                } else {
                    None
                };
                // Nothing in the rubric speaks to the question: guesswork, worth little.
                let guessed = best.is_none() && hinted.is_none();
                let criticality = if guessed { Criticality::Low } else { hinted.unwrap_or(Criticality::Medium) };
                let no = if rubric.expect_no.phrases.is_empty() { &defaults.expect_no.phrases } else { &rubric.expect_no.phrases };
                let info = if rubric.informational.phrases.is_empty() { &defaults.informational.phrases } else { &rubric.informational.phrases };
                let expected = if contains_phrase(&q.text, no) { Expected::No } else { Expected::Yes };
                let placement = if guessed { Placement::Guessed } else { Placement::Classified };
                (domain, criticality, expected, contains_phrase(&q.text, info), placement, None, Vec::new(), None)
            }
        };
        // Framework controls by keywords, besides those the rubric names.
        for f in &cx.catalogue.frameworks {
            for c in &f.controls {
                let r = format!("{}:{}", f.id, c.id);
                if !frameworks.contains(&r) && cx.matcher.strength(terms, &c.keywords) >= 2 {
                    frameworks.push(r);
                }
            }
        }
        let qualifier = cx.scope.qualifiers.get(&i);
        let out_of_scope = cx.scope.out.get(&i);
        let (outcome, note) = if let Some(qual) = qualifier.filter(|_| out_of_scope.is_none()) {
            let n = qual.dependents.len();
            let note = match qual.answer {
                Answer::OutOfScope => format!("scoping question on {}: answered {:?}, so its {n} dependent questions are out of scope", qual.title, q.answer.trim()),
                Answer::InScope => format!("scoping question on {}: answered {:?}, so its {n} dependent questions are scored", qual.title, q.answer.trim()),
                Answer::Unanswered => format!("scoping question on {} left unanswered: its {n} dependent questions are scored, their findings capped at low", qual.title),
            };
            (Outcome::Scoping, Some(note))
        } else if let Some(why) = out_of_scope {
            (Outcome::NotInScope, Some(why.clone()))
        } else if interpreted.response == Response::Choice {
            (Outcome::Informational, interpreted.note.clone().map(|n| format!("{n}: recorded, not scored")))
        } else {
            let o = outcome(&interpreted, expected, informational);
            (o, (o == Outcome::NotApplicable).then(|| format!("N/A: {}", q.comment.trim())))
        };
        let points = if outcome.scored() { criticality.points() } else { 0.0 };
        let line = QuestionScore {
            sheet: q.sheet.clone(),
            row: q.row,
            reference: q.reference.clone(),
            question: q.text.clone(),
            answer: q.answer.clone(),
            comment: q.comment.clone(),
            domain,
            criticality,
            expected,
            placement,
            placed_as,
            interpreted,
            outcome,
            note,
            points,
            earned: points * outcome.credit(),
            frameworks,
        };
        lines.push((line, remediation));
    }
    let domains = rubric
        .domains
        .iter()
        .map(|d| {
            let mine: Vec<&QuestionScore> = lines.iter().map(|(l, _)| l).filter(|l| l.domain == d.id).collect();
            let possible: f64 = mine.iter().map(|l| l.points).sum();
            let earned: f64 = mine.iter().map(|l| l.earned).sum();
            DomainScore {
                id: d.id.clone(),
                title: d.title.clone(),
                weight: d.weight,
                score: (possible > 0.0).then(|| round1(100.0 * earned / possible)),
                earned,
                possible,
                questions: mine.len(),
                scored: mine.iter().filter(|l| l.outcome.scored()).count(),
            }
        })
        .collect::<Vec<_>>();
    let weighted: Vec<(f64, f64)> = domains.iter().filter_map(|d| d.score.map(|s| (d.weight, s))).collect();
    let total_weight: f64 = weighted.iter().map(|(w, _)| w).sum();
    let overall = (total_weight > 0.0).then(|| round1(weighted.iter().map(|(w, s)| w * s).sum::<f64>() / total_weight));
    let mut findings: Vec<Finding> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, (l, rem))| {
            if let Some(qual) = cx.scope.qualifiers.get(&i) {
                return (l.outcome == Outcome::Scoping && qual.answer == Answer::Unanswered).then(|| scoping_finding(l, &qual.title, qual.dependents.len(), today));
            }
            let mut f = finding(l, rem.as_deref(), rubric, today)?;
            if let Some(q) = cx.scope.unsure.get(&i) {
                f.severity = f.severity.min(Criticality::Low);
                f.why = format!("{} (the scoping question {q} is unanswered: ask the vendor whether this applies)", f.why);
                f.due = (today + time::Duration::days(due_days(f.severity))).to_string();
            }
            Some(f)
        })
        .collect();
    for c in &cx.scope.contradictions {
        if let Some((l, _)) = lines.get(c.index) {
            let severity = if c.serious { Criticality::High } else { Criticality::Medium };
            let domain = rubric.domain("privacy").map(|d| d.id.clone()).unwrap_or_else(|| l.domain.clone());
            findings.push(Finding {
                kind: FindingKind::Contradiction,
                reference: l.reference.clone(),
                sheet: l.sheet.clone(),
                row: l.row,
                question: l.question.clone(),
                answer: if l.answer.trim().is_empty() { "(blank)".into() } else { l.answer.clone() },
                domain,
                why: c.why.clone(),
                severity,
                remediation: c.remediation.clone(),
                due: (today + time::Duration::days(due_days(severity))).to_string(),
            });
        }
    }
    Scorecard {
        rubric: rubric.name.clone(),
        rubric_title: rubric.title.clone(),
        overall,
        domains,
        findings,
        questions: lines.into_iter().map(|(l, _)| l).collect(),
    }
}

fn scoping_finding(l: &QuestionScore, title: &str, dependents: usize, today: Date) -> Finding {
    let severity = Criticality::Low;
    Finding {
        kind: FindingKind::Scoping,
        reference: l.reference.clone(),
        sheet: l.sheet.clone(),
        row: l.row,
        question: l.question.clone(),
        answer: if l.answer.trim().is_empty() { "(blank)".into() } else { l.answer.clone() },
        domain: l.domain.clone(),
        why: format!("scoping question on {title} not answered: {dependents} questions depend on it"),
        severity,
        remediation: format!("Ask the vendor whether the product involves {title}; until it answers, the dependent questions are scored but their findings are capped at low."),
        due: (today + time::Duration::days(due_days(severity))).to_string(),
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn outcome(i: &Interpreted, expected: Expected, informational: bool) -> Outcome {
    if informational {
        return Outcome::Informational;
    }
    let good = match expected {
        Expected::Yes => Response::Yes,
        Expected::No => Response::No,
    };
    match i.response {
        Response::Unanswered => Outcome::Unanswered,
        Response::Unclear => Outcome::Unclear,
        Response::NotApplicable if i.justified => Outcome::NotApplicable,
        Response::NotApplicable => Outcome::UnjustifiedNa,
        Response::Partial => Outcome::Partial,
        Response::Choice => Outcome::Informational,
        r if r == good && i.contradiction.is_some() && expected == Expected::Yes => Outcome::Contradicted,
        r if r == good => Outcome::Met,
        _ => Outcome::Gap,
    }
}

fn finding(l: &QuestionScore, remediation: Option<&str>, rubric: &Rubric, today: Date) -> Option<Finding> {
    let expected = match l.expected {
        Expected::Yes => "Yes",
        Expected::No => "No",
    };
    let (why, severity) = match l.outcome {
        Outcome::Met | Outcome::NotApplicable | Outcome::Informational | Outcome::NotInScope | Outcome::Scoping => return None,
        Outcome::Gap => (format!("answered {}, where {expected} means the control is in place", l.interpreted.response.as_str()), l.criticality),
        Outcome::Partial => ("only partly in place".to_string(), l.criticality.lower()),
        Outcome::Contradicted => (l.interpreted.contradiction.clone().unwrap_or_else(|| "the comment contradicts the answer".into()), l.criticality.lower()),
        Outcome::Unanswered => ("not answered: counts as not in place until the vendor answers".to_string(), l.criticality),
        Outcome::Unclear => (l.interpreted.note.clone().unwrap_or_else(|| "the answer is neither yes nor no".into()), l.criticality.lower()),
        Outcome::UnjustifiedNa => ("N/A without a reason: ask the vendor why it does not apply".to_string(), l.criticality.lower()),
    };
    let why = match &l.interpreted.note {
        Some(n) if l.outcome == Outcome::Gap => format!("{why} ({n})"),
        _ => why,
    };
    // Guesswork never raises more than a low finding, and says so.
    let guessed = l.placement == Placement::Guessed;
    let (why, severity) = if guessed { (format!("{why} (no rubric entry or keyword places this question: classified by guesswork)"), severity.min(Criticality::Low)) } else { (why, severity) };
    let default_due = today + time::Duration::days(due_days(severity));
    // A date the vendor committed to is the due date when it comes sooner than the default.
    let planned = l.interpreted.planned.as_deref().and_then(|p| crate::dates::parse_date(p).ok());
    let due = planned.filter(|p| *p >= today && *p < default_due).unwrap_or(default_due);
    let remediation = remediation
        .map(str::to_string)
        .or_else(|| guessed.then(|| "Ask the vendor what this answer means for the hospital's data and whether a control is missing.".to_string()))
        .or_else(|| rubric.domain(&l.domain).map(|d| d.remediation.clone()).filter(|r| !r.is_empty()))
        .unwrap_or_else(|| "Ask the vendor for its remediation plan and a date.".into());
    Some(Finding {
        kind: FindingKind::Control,
        reference: l.reference.clone(),
        sheet: l.sheet.clone(),
        row: l.row,
        question: l.question.clone(),
        answer: if l.answer.trim().is_empty() { "(blank)".into() } else { l.answer.clone() },
        domain: l.domain.clone(),
        why,
        severity,
        remediation,
        due: due.to_string(),
    })
}
