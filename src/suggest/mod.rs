//! Suggestions: for each question of a new questionnaire, the past answers from the library
//! that answer it, best first, each with a calibrated confidence, the reasons it matched, where
//! the answer came from and the evidence that supports it.
//!
//! `text` normalises wording, `thesaurus` holds the security synonyms, `index` finds and
//! re-ranks candidates, `confidence` turns a match into a probability of being right.

pub mod confidence;
pub mod evidence;
pub mod index;
pub mod text;
pub mod thesaurus;

use crate::error::Result;
use crate::library::{CorpusEntry, CorpusSource, Library};
use crate::sheet::detect::Question;
use crate::sheet::Questionnaire;
use index::{Explanation, Matcher};
use serde::Serialize;
use text::Analyzer;
use thesaurus::Thesaurus;

/// One suggested answer for a question.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Suggestion {
    pub entry_id: i64,
    /// The library's question that this answer was given to.
    pub question: String,
    /// Yes, No, N/A, Partial, or the free-text answer as written.
    pub answer: String,
    /// The answer as it was written in the source questionnaire.
    pub answer_raw: String,
    pub comment: String,
    /// Probability in [0, 1] that this is the right answer (calibrated: see `confidence`).
    pub confidence: f32,
    /// The re-ranked similarity of the two questions, in [0, 1] (what confidence is computed from).
    pub similarity: f32,
    pub evidence: Vec<EvidenceRef>,
    /// The entry is past its review-by date.
    pub stale: bool,
    /// The library holds another, different answer to the same question.
    pub conflict: bool,
    pub source: Option<CorpusSource>,
    pub why: Explanation,
}

/// An evidence document that supports a suggestion.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EvidenceRef {
    pub id: i64,
    pub title: String,
    pub expired: bool,
    /// Linked to the library entry by a person (rather than found by matching text).
    pub confirmed: bool,
}

/// A question of the questionnaire with its suggestions (the `suggest --json` shape).
#[derive(Debug, Clone, Serialize)]
pub struct QuestionSuggestions {
    pub sheet: String,
    pub row: usize,
    #[serde(rename = "ref")]
    pub reference: String,
    pub question: String,
    pub suggestions: Vec<Suggestion>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SuggestReport {
    pub questionnaire: String,
    pub questions: Vec<QuestionSuggestions>,
}

/// The library, indexed for suggestions. Build once, then ask as many questions as needed.
pub struct Suggester {
    entries: Vec<CorpusEntry>,
    matcher: Matcher,
    evidence: evidence::EvidenceIndex,
}

impl Suggester {
    /// Loads every entry of the library and indexes it, with the embedded thesaurus plus the
    /// user's (see `Thesaurus::load`).
    pub fn from_library(lib: &Library) -> Result<Suggester> {
        let dir = lib.folder();
        let thesaurus = Thesaurus::load(dir.as_deref())?;
        let mut s = Self::new(lib.corpus()?, &thesaurus);
        s.evidence = evidence::EvidenceIndex::new(&s.matcher, lib.evidence_texts()?, lib.evidence_links()?);
        Ok(s)
    }

    pub fn new(entries: Vec<CorpusEntry>, thesaurus: &Thesaurus) -> Suggester {
        let questions: Vec<(&str, &str)> = entries.iter().map(|e| (e.question.as_str(), e.source.as_ref().map(|s| s.reference.as_str()).unwrap_or(""))).collect();
        let matcher = Matcher::build(Analyzer::new(thesaurus), &questions);
        let evidence = evidence::EvidenceIndex::new(&matcher, Vec::new(), Vec::new());
        Suggester { entries, matcher, evidence }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The best `top` suggestions for one question text (with its ref, a weak signal).
    pub fn suggest_text(&self, question: &str, reference: &str, top: usize, scratch: &mut Vec<f32>) -> Vec<Suggestion> {
        let q = self.matcher.prepare(question, reference);
        let matches = self.matcher.search(&q, top.max(2), scratch);
        let runner_up = matches.get(1).map(|m| m.similarity).unwrap_or(0.0);
        let best = matches.first().map(|m| m.similarity).unwrap_or(0.0);
        matches
            .iter()
            .take(top)
            .enumerate()
            .map(|(i, m)| {
                let e = &self.entries[m.doc];
                // The margin to the nearest other candidate: a clear winner is more likely right.
                let margin = if i == 0 { m.similarity - runner_up } else { m.similarity - best };
                Suggestion {
                    entry_id: e.id,
                    question: e.question.clone(),
                    answer: if e.answer == "Text" { e.answer_raw.clone() } else { e.answer.clone() },
                    answer_raw: e.answer_raw.clone(),
                    comment: e.comment.clone(),
                    confidence: confidence::confidence(m.similarity, margin, e.conflict),
                    similarity: m.similarity,
                    evidence: if self.evidence.is_empty() { Vec::new() } else { self.evidence.for_question(&q.weights, Some(e.id)) },
                    stale: e.stale,
                    conflict: e.conflict,
                    source: e.source.clone(),
                    why: self.matcher.explain(&q, m.doc),
                }
            })
            .collect()
    }

    /// Suggestions for one question of a questionnaire.
    pub fn suggest(&self, question: &Question, top: usize, scratch: &mut Vec<f32>) -> Vec<Suggestion> {
        self.suggest_text(&question.text, &question.reference, top, scratch)
    }

    /// Suggestions for many `(question, ref)` pairs at once, on all cores, in input order.
    pub fn suggest_batch(&self, questions: &[(&str, &str)], top: usize) -> Vec<Vec<Suggestion>> {
        index::parallel_map(questions, |(q, r)| self.suggest_text(q, r, top, &mut Vec::new()))
    }

    /// Suggestions for every question of a questionnaire, in questionnaire order.
    pub fn suggest_all(&self, q: &Questionnaire, top: usize) -> SuggestReport {
        let questions: Vec<&Question> = q.questions().collect();
        let texts: Vec<(&str, &str)> = questions.iter().map(|x| (x.text.as_str(), x.reference.as_str())).collect();
        let suggestions = self.suggest_batch(&texts, top);
        SuggestReport {
            questionnaire: q.file.clone(),
            questions: questions
                .into_iter()
                .zip(suggestions)
                .map(|(x, suggestions)| QuestionSuggestions {
                    sheet: x.sheet.clone(),
                    row: x.row,
                    reference: x.reference.clone(),
                    question: x.text.clone(),
                    suggestions,
                })
                .collect(),
        }
    }
}
