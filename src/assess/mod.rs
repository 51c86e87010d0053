//! Third-party-risk assessment: a vendor's completed questionnaire scored against a rubric,
//! with findings, framework coverage (HIPAA Security Rule, ISO/IEC 27017), the residual tier and
//! what changed since the vendor's previous assessment. `catalogue` loads the data files,
//! `placement` chooses the rubric (by family, version and question text) and places each
//! question in it, `scope` recognises scoping questions and what they rule out, `normalise`
//! reads answers, `score` applies the rules, `coverage` maps to frameworks, `vendor` is the
//! vendor record.

pub mod catalogue;
pub mod coverage;
pub mod normalise;
pub mod placement;
pub mod scope;
pub mod score;
pub mod vendor;

use crate::error::Result;
use crate::sheet::Questionnaire;
use crate::analysis::Analyzer;
use crate::analysis::thesaurus::Thesaurus;
use catalogue::{Catalogue, Criticality};
use coverage::FrameworkCoverage;
use placement::{Place, RubricChoice, TopicIndex};
use score::{Matcher, Placement, Scorecard};
use std::collections::HashSet;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;
use vendor::{Tier, Vendor, Warning};

/// A completed assessment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Assessment {
    pub vendor: Vendor,
    pub questionnaire: String,
    pub sha256: String,
    pub assessed_on: String,
    pub inherent_tier: Tier,
    pub residual_tier: Tier,
    pub warnings: Vec<Warning>,
    /// Which rubric scored it and why: the recognised family and version, how IDs compared
    /// with the question texts, how many questions were placed by ID, by text or by guesswork.
    #[serde(default)]
    pub choice: RubricChoice,
    pub scorecard: Scorecard,
    pub coverage: Vec<FrameworkCoverage>,
    /// Findings by severity ("critical", "high", …).
    pub finding_counts: BTreeMap<String, usize>,
    /// Against the vendor's previous assessment, when there is one.
    pub changes: Option<Changes>,
}

/// What changed since the previous assessment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Changes {
    pub previous_on: String,
    pub previous_overall: Option<f64>,
    pub overall_delta: Option<f64>,
    /// Domain id → score change (points).
    pub domain_deltas: BTreeMap<String, f64>,
    /// Questions (by ref) whose answer changed: (ref, before, after).
    pub answers: Vec<AnswerChange>,
    /// Findings no longer raised / newly raised, by ref as the questionnaire writes it.
    pub closed_findings: Vec<String>,
    pub new_findings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AnswerChange {
    #[serde(rename = "ref")]
    pub reference: String,
    pub before: String,
    pub after: String,
}

/// Everything assessing needs besides the questionnaire: the catalogues and the analyser.
pub struct Assessor {
    pub catalogue: Catalogue,
    matcher: Matcher,
    /// Each rubric's topics, analysed once.
    indexes: BTreeMap<String, TopicIndex>,
}

impl Assessor {
    pub fn new() -> Result<Assessor> {
        let catalogue = Catalogue::load()?;
        let thesaurus = Thesaurus::embedded()?;
        let phrases: Vec<&String> = catalogue
            .rubrics
            .values()
            .flat_map(|r| r.domains.iter().flat_map(|d| &d.keywords).chain(&r.criticality.critical).chain(&r.criticality.high).chain(&r.criticality.low))
            .chain(catalogue.frameworks.iter().flat_map(|f| f.controls.iter().flat_map(|c| &c.keywords)))
            .collect();
        let matcher = Matcher::new(Analyzer::new(&thesaurus), phrases);
        let indexes = catalogue.rubrics.values().map(|r| (r.name.clone(), TopicIndex::new(r, &matcher))).filter(|(_, ix)| ix.has_topics()).collect();
        Ok(Assessor { catalogue, matcher, indexes })
    }

    /// The rubric Quire would score `q` with (or the one named), why, and how its questions
    /// place — what the app shows before scoring.
    pub fn choose(&self, q: &Questionnaire, rubric: Option<&str>) -> Result<RubricChoice> {
        let questions: Vec<_> = q.questions().collect();
        let terms: Vec<HashSet<String>> = questions.iter().map(|x| self.matcher.terms(&x.text)).collect();
        let chosen = placement::choose(&self.catalogue, &self.indexes, rubric, q.profile.as_deref(), q.recognition.as_ref(), &questions, &terms)?;
        Ok(chosen.choice)
    }

    /// Scores `q` for `vendor` with the rubric named (or the one for its layout, or default).
    pub fn assess(&self, q: &Questionnaire, vendor: &Vendor, rubric: Option<&str>, previous: Option<&Assessment>, today: Date) -> Result<Assessment> {
        q.require_questions()?;
        let defaults = self.catalogue.rubric_for(Some("default"), None)?;
        let questions: Vec<_> = q.questions().collect();
        let terms: Vec<HashSet<String>> = questions.iter().map(|x| self.matcher.terms(&x.text)).collect();
        let chosen = placement::choose(&self.catalogue, &self.indexes, rubric, q.profile.as_deref(), q.recognition.as_ref(), &questions, &terms)?;
        let rubric = chosen.rubric;
        let trusted: Vec<bool> = chosen.places.iter().map(|p| matches!(p, Place::Id(_))).collect();
        let scopes = scope::Scopes::embedded()?;
        let plan = scope::plan(scopes, rubric, &questions, &trusted, vendor, today);
        let cx = score::Context { rubric, defaults, catalogue: &self.catalogue, matcher: &self.matcher, places: &chosen.places, terms: &terms, scope: &plan, today };
        let scorecard = score::score(&questions, &cx);
        let mut choice = chosen.choice;
        choice.by_id = scorecard.questions.iter().filter(|x| x.placement == Placement::Rubric).count();
        choice.by_text = scorecard.questions.iter().filter(|x| x.placement == Placement::Text).count();
        choice.classified = scorecard.questions.iter().filter(|x| x.placement == Placement::Classified).count();
        choice.guessed = scorecard.questions.iter().filter(|x| x.placement == Placement::Guessed).count();
        // Questions the chosen rubric could not place (scoping and out-of-scope ones aside).
        if rubric.name != "default" {
            choice.unplaced = scorecard
                .questions
                .iter()
                .filter(|x| matches!(x.placement, Placement::Classified | Placement::Guessed) && !matches!(x.outcome, score::Outcome::Scoping | score::Outcome::NotInScope))
                .map(|x| {
                    let text: String = x.question.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(70).collect();
                    if x.reference.is_empty() { format!("{} row {}: {text}", x.sheet, x.row) } else { format!("{}: {text}", x.reference) }
                })
                .collect();
        }
        let coverage = coverage::coverage(&self.catalogue, &scorecard.questions, vendor.intake.hosting);
        let mut finding_counts: BTreeMap<String, usize> = [Criticality::Critical, Criticality::High, Criticality::Medium, Criticality::Low].iter().map(|c| (c.as_str().to_string(), 0)).collect();
        for f in &scorecard.findings {
            *finding_counts.entry(f.severity.as_str().to_string()).or_default() += 1;
        }
        let mut vendor = vendor.clone();
        vendor.last_assessed = Some(today.to_string());
        vendor.settle(today)?;
        let residual_tier = score::residual_tier(vendor.inherent_tier, scorecard.overall);
        let changes = previous.map(|p| changes(p, &scorecard));
        Ok(Assessment {
            warnings: vendor.warnings(today),
            inherent_tier: vendor.inherent_tier,
            vendor,
            questionnaire: q.file.clone(),
            sha256: q.sha256.clone(),
            assessed_on: today.to_string(),
            residual_tier,
            choice,
            scorecard,
            coverage,
            finding_counts,
            changes,
        })
    }
}

fn key(reference: &str, sheet: &str, row: usize) -> String {
    if reference.trim().is_empty() {
        format!("{sheet}!{row}")
    } else {
        catalogue::ref_key(reference)
    }
}

fn changes(prev: &Assessment, now: &Scorecard) -> Changes {
    let before: BTreeMap<String, &score::QuestionScore> = prev.scorecard.questions.iter().map(|q| (key(&q.reference, &q.sheet, q.row), q)).collect();
    let mut answers = Vec::new();
    for q in &now.questions {
        if let Some(b) = before.get(&key(&q.reference, &q.sheet, q.row)) {
            if b.interpreted.response != q.interpreted.response {
                answers.push(AnswerChange {
                    reference: if q.reference.is_empty() { format!("{} row {}", q.sheet, q.row) } else { q.reference.clone() },
                    before: b.interpreted.response.as_str().into(),
                    after: q.interpreted.response.as_str().into(),
                });
            }
        }
    }
    // Matched by normalised key, reported as the questionnaire writes the ref ("sheet row N"
    // when a question has none).
    let label = |f: &score::Finding| if f.reference.trim().is_empty() { format!("{} row {}", f.sheet, f.row) } else { f.reference.clone() };
    let old: BTreeMap<String, String> = prev.scorecard.findings.iter().map(|f| (key(&f.reference, &f.sheet, f.row), label(f))).collect();
    let new: BTreeMap<String, String> = now.findings.iter().map(|f| (key(&f.reference, &f.sheet, f.row), label(f))).collect();
    let domain_deltas = now
        .domains
        .iter()
        .filter_map(|d| {
            let p = prev.scorecard.domains.iter().find(|x| x.id == d.id)?.score?;
            Some((d.id.clone(), ((d.score? - p) * 10.0).round() / 10.0))
        })
        .collect();
    Changes {
        previous_on: prev.assessed_on.clone(),
        previous_overall: prev.scorecard.overall,
        overall_delta: match (now.overall, prev.scorecard.overall) {
            (Some(a), Some(b)) => Some(((a - b) * 10.0).round() / 10.0),
            _ => None,
        },
        domain_deltas,
        answers,
        closed_findings: old.iter().filter(|(k, _)| !new.contains_key(*k)).map(|(_, l)| l.clone()).collect(),
        new_findings: new.iter().filter(|(k, _)| !old.contains_key(*k)).map(|(_, l)| l.clone()).collect(),
    }
}
