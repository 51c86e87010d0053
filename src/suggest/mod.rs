//! Suggestions: for each question of a new questionnaire, the past answers from the library
//! that answer it, best first, each with a calibrated confidence, the reasons it matched, where
//! the answer came from and the evidence that supports it.
//!
//! `text` normalises wording, `thesaurus` holds the security synonyms, `index` finds and
//! re-ranks candidates, `confidence` turns a match into a probability of being right, `cache`
//! keeps the analysed library in the library file so that loading does not analyse it again.

pub mod cache;
pub mod confidence;
pub mod evidence;
pub mod index;
pub mod text;
pub mod thesaurus;

use crate::error::Result;
use crate::library::{CorpusEntry, CorpusSource, Library};
use crate::sheet::detect::Question;
use crate::sheet::Questionnaire;
use index::{Analysed, Explanation, Matcher};
use serde::Serialize;
use std::time::Instant;
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
    load: LoadReport,
}

/// How `Suggester::from_library` got its index and what each step took (benchmarks, tests).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadReport {
    /// The index came from the cache in the library (nothing was analysed).
    pub from_cache: bool,
    /// Why a cache that was there could not be used (it is rebuilt and rewritten).
    pub cache_rejected: Option<String>,
    /// The cache was written after building the index.
    pub cache_written: bool,
    /// Why writing the cache failed (suggesting went on without it).
    pub cache_write_error: Option<String>,
    /// Size of the cache blob read or written.
    pub cache_bytes: usize,
    /// Reading the entries (and the cache blob) from SQLite.
    pub read_secs: f64,
    /// Decoding the cache, or analysing every question; then deriving the index.
    pub index_secs: f64,
    /// Encoding and storing the cache (0 when it was loaded).
    pub cache_write_secs: f64,
    /// Reading and analysing evidence documents.
    pub evidence_secs: f64,
}

impl Suggester {
    /// Loads every entry of the library and indexes it, with the embedded thesaurus plus the
    /// user's (see `Thesaurus::load`). The index comes from the library's cache when that was
    /// built for the same entries and analyser; otherwise it is built and the cache rewritten
    /// (a cache that cannot be read or written is never an error: see `cache`).
    pub fn from_library(lib: &Library) -> Result<Suggester> {
        let thesaurus = Thesaurus::load(lib.folder().as_deref())?;
        let analyzer = Analyzer::new(&thesaurus);
        let key = cache::key(&thesaurus, &analyzer);
        let mut load = LoadReport::default();
        let t = Instant::now();
        let snapshot = lib.corpus_snapshot(&key)?;
        load.read_secs = t.elapsed().as_secs_f64();
        let entries = snapshot.entries;
        let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
        let matcher = match snapshot.cached.and_then(|blob| read_cache(&blob, &ids, &mut load)) {
            Some(analysed) => {
                let t = Instant::now();
                let matcher = Matcher::from_analysed(analyzer, analysed);
                load.index_secs += t.elapsed().as_secs_f64();
                matcher
            }
            None => build_and_cache(lib, analyzer, &entries, &ids, snapshot.generation.as_deref(), &key, &mut load),
        };
        let t = Instant::now();
        let evidence = evidence::EvidenceIndex::new(&matcher, lib.evidence_texts()?, lib.evidence_links()?);
        load.evidence_secs = t.elapsed().as_secs_f64();
        Ok(Suggester { entries, matcher, evidence, load })
    }

    /// Indexes entries directly (no library, no cache).
    pub fn new(entries: Vec<CorpusEntry>, thesaurus: &Thesaurus) -> Suggester {
        let matcher = Matcher::build(Analyzer::new(thesaurus), &questions(&entries));
        let evidence = evidence::EvidenceIndex::new(&matcher, Vec::new(), Vec::new());
        Suggester { entries, matcher, evidence, load: LoadReport::default() }
    }

    /// How the index was loaded (all zero for `new`).
    pub fn load_report(&self) -> &LoadReport {
        &self.load
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

/// `(question, ref)` of every entry, what the matcher indexes.
fn questions(entries: &[CorpusEntry]) -> Vec<(&str, &str)> {
    entries.iter().map(|e| (e.question.as_str(), e.source.as_ref().map(|s| s.reference.as_str()).unwrap_or(""))).collect()
}

/// The analysis in a cache blob, if it is sound and made for exactly these entries; why not is
/// recorded in `load`.
fn read_cache(blob: &[u8], ids: &[i64], load: &mut LoadReport) -> Option<Analysed> {
    let t = Instant::now();
    let decoded = cache::decode(blob, ids);
    load.index_secs = t.elapsed().as_secs_f64();
    match decoded {
        Ok(analysed) => {
            load.from_cache = true;
            load.cache_bytes = blob.len();
            Some(analysed)
        }
        Err(e) => {
            load.cache_rejected = Some(e.to_string());
            None
        }
    }
}

/// Analyses every entry, writes the cache for `generation` (when the library has one) and
/// indexes the analysis; a failure to write is recorded in `load`, never raised. The blob is
/// written and dropped before the index is derived, so the two are never in memory together.
fn build_and_cache(lib: &Library, analyzer: Analyzer, entries: &[CorpusEntry], ids: &[i64], generation: Option<&str>, key: &str, load: &mut LoadReport) -> Matcher {
    let t = Instant::now();
    let analysed = Analysed::new(&analyzer, &questions(entries));
    load.index_secs = t.elapsed().as_secs_f64();
    if let Some(generation) = generation {
        let t = Instant::now();
        let blob = cache::encode(ids, &analysed);
        load.cache_bytes = blob.len();
        match lib.store_suggest_cache(generation, key, &blob) {
            Ok(written) => load.cache_written = written,
            Err(e) => load.cache_write_error = Some(e.to_string()),
        }
        load.cache_write_secs = t.elapsed().as_secs_f64();
    }
    let t = Instant::now();
    let matcher = Matcher::from_analysed(analyzer, analysed);
    load.index_secs += t.elapsed().as_secs_f64();
    matcher
}
