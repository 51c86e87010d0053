//! Suggestions: for each question of a new questionnaire, the past answers from the library
//! that answer it, best first, each with a calibrated confidence, the reasons it matched, where
//! the answer came from and the evidence that supports it.
//!
//! `text` normalises wording, `thesaurus` holds the security synonyms, `index` finds and
//! re-ranks candidates by shared words, `embed` and `meaning` find them by meaning (sentence
//! embeddings), `qualifiers` vetoes near misses (at rest vs in transit, SOC 1 vs SOC 2),
//! `confidence` turns a match into a probability of being right, `cache` keeps the analysed
//! library in the library file so that loading does not analyse it again.
//!
//! With the model, the candidates are the union of the best by words (BM25, re-ranked) and the
//! nearest by meaning; each gets one fused score, `mean(words, meaning) + a little BM25 − a
//! penalty when a decisive qualifier differs`, and the best one's confidence comes from a
//! logistic curve over that score, its margin and the separate signals (`confidence::fused`).
//! Without it, the lexical path alone (`confidence::lexical`), and the caller says so once.

pub mod cache;
pub mod confidence;
pub mod embed;
pub mod support;
pub mod index;
pub mod meaning;
pub mod qualifiers;
mod to_review;
pub use to_review::describe_source;

use crate::error::Result;
use crate::library::{CorpusEntry, CorpusSource, Library};
use crate::sheet::model::Question;
use crate::sheet::Questionnaire;
use embed::Embedding;
use index::{Analysed, Explanation, Matcher};
use meaning::{DenseBuilder, DenseIndex, Meaning};
use qualifiers::{Qualifiers, Tags};
use serde::Serialize;
use std::sync::OnceLock;
use std::time::Instant;
use crate::analysis::Analyzer;
use crate::analysis::thesaurus::Thesaurus;

/// Candidates by words and, with the model, by meaning, that the fused ranking looks at.
const CANDIDATES: usize = 40;
/// Weight of the lexical similarity in the fused score (the cosine has the rest).
const FUSED_LEXICAL: f32 = 0.5;
/// Weight of the BM25 share (of the best candidate's) in the score the confidence curve reads
/// (`Signals::score`): sharing rarer words makes a match more certain, though ordering the
/// candidates by it lost 2–4 points of top-1 on customer-style rewordings (docs/benchmarks.md).
const CURVE_BM25: f32 = 0.1;
/// What a decisive-qualifier mismatch takes off the fused score.
const FUSED_MISMATCH: f32 = 0.1;
/// Entries without an embedding that `from_library` embeds itself (imports embed their own
/// entries; more than this, and the rest match by words until `library embed` runs).
pub const EMBED_ON_LOAD: usize = 1000;

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
    /// What the confidence was computed from (benchmarks fit the curve on these).
    #[serde(skip)]
    pub signals: Signals,
}

/// The signals behind a suggestion's score and confidence.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Signals {
    /// The ranking score: the lexical similarity alone, or the fused score with the model.
    pub score: f32,
    /// `score` minus the runner-up's (minus the best's for the others).
    pub margin: f32,
    /// The lexical (re-ranked) similarity.
    pub lexical: f32,
    /// Cosine of the two questions' embeddings (`None` without the model).
    pub meaning: Option<f32>,
    /// Share of the question's term weight that the entry's question has too.
    pub coverage: f32,
    /// BM25 as a share of the best candidate's.
    pub bm25_share: f32,
    /// Opposite concepts (thesaurus: at rest vs in transit).
    pub opposed: bool,
    /// A decisive qualifier differs (`qualifiers`).
    pub mismatch: bool,
    /// A distinctive word swapped between the two questions (`index::Lexical::substitution`).
    pub substitution: f32,
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
    evidence: support::EvidenceIndex,
    load: LoadReport,
    qualifiers: Qualifiers,
    /// Each entry's qualifier tags, computed when it is first a candidate.
    tags: Vec<OnceLock<Tags>>,
    meaning: Meaning,
    /// The library's embeddings (with the model only).
    dense: Option<DenseIndex>,
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
    /// Entries embedded while loading (they had none from this model yet).
    pub embedded: usize,
    /// Entries left without an embedding (they match by words only; `library embed` adds them).
    pub embeddings_missing: usize,
    /// Loading the model, embedding missing entries and reading the stored embeddings.
    pub meaning_secs: f64,
}

impl Suggester {
    /// Loads every entry of the library and indexes it, with the embedded thesaurus plus the
    /// user's (see `Thesaurus::load`). The index comes from the library's cache when that was
    /// built for the same entries and analyser; otherwise it is built and the cache rewritten
    /// (a cache that cannot be read or written is never an error: see `cache`).
    pub fn from_library(lib: &Library) -> Result<Suggester> {
        Self::from_library_with(lib, Meaning::shared())
    }

    /// As `from_library`, with the model given (or `Meaning::off()`). With a model, entries
    /// that lack an embedding from it are embedded and stored first when they are few
    /// (`EMBED_ON_LOAD`); a library that cannot store them (busy, read-only) is not an error.
    pub fn from_library_with(lib: &Library, meaning: Meaning) -> Result<Suggester> {
        let thesaurus = Thesaurus::load(lib.folder().as_deref())?;
        let qualifiers = Qualifiers::load(lib.folder().as_deref())?;
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
        let evidence = support::EvidenceIndex::new(&matcher, lib.evidence_texts()?, lib.evidence_links()?);
        load.evidence_secs = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let dense = match meaning.embedder() {
            Some(embedder) => {
                let mut builder = DenseBuilder::new(&entries);
                lib.each_embedding(embedder.model_id(), |id, bytes| builder.put_bytes(id, bytes))?;
                let missing = builder.missing();
                if !missing.is_empty() && missing.len() <= EMBED_ON_LOAD {
                    // Few: embed them now and keep them, unless another writer holds the
                    // library (then they serve this run from memory; never wait for it).
                    let texts: Vec<&str> = missing.iter().map(|&i| entries[i].question.as_str()).collect();
                    if let Ok(vectors) = embedder.embed_questions(&texts) {
                        let rows: Vec<(i64, &str, Vec<u8>)> = missing.iter().zip(&vectors).map(|(&i, v)| (entries[i].id, entries[i].question.as_str(), embed::to_bytes(v))).collect();
                        let _ = lib.try_store_embeddings(embedder.model_id(), &rows);
                        load.embedded = rows.len();
                        for (&i, v) in missing.iter().zip(&vectors) {
                            builder.put(i, v);
                        }
                    }
                }
                let index = builder.finish()?;
                load.embeddings_missing = index.coverage().1 - index.coverage().0;
                // No embedding at all: asking by meaning would cost the questions' embedding
                // and find nothing.
                Some(index).filter(|i| i.coverage().0 > 0)
            }
            None => None,
        };
        load.meaning_secs = t.elapsed().as_secs_f64();
        let tags = entries.iter().map(|_| OnceLock::new()).collect();
        Ok(Suggester { entries, matcher, evidence, load, qualifiers, tags, meaning, dense })
    }

    /// Indexes entries directly (no library, no cache), by words only.
    pub fn new(entries: Vec<CorpusEntry>, thesaurus: &Thesaurus) -> Suggester {
        let matcher = Matcher::build(Analyzer::new(thesaurus), &questions(&entries));
        let evidence = support::EvidenceIndex::new(&matcher, Vec::new(), Vec::new());
        let tags = entries.iter().map(|_| OnceLock::new()).collect();
        let qualifiers = Qualifiers::embedded().unwrap_or_else(|_| Qualifiers::none());
        Suggester { entries, matcher, evidence, load: LoadReport::default(), qualifiers, tags, meaning: Meaning::off(), dense: None }
    }

    /// As `new`, matching by meaning too when `meaning` has a model: every entry is embedded
    /// here (benchmarks and tests; a library keeps its embeddings instead).
    pub fn new_with(entries: Vec<CorpusEntry>, thesaurus: &Thesaurus, meaning: Meaning) -> Result<Suggester> {
        let mut s = Suggester::new(entries, thesaurus);
        if let Some(embedder) = meaning.embedder() {
            let texts: Vec<&str> = s.entries.iter().map(|e| e.question.as_str()).collect();
            s.dense = Some(DenseIndex::from_vectors(&embedder.embed_questions(&texts)?)?);
        }
        s.meaning = meaning;
        Ok(s)
    }

    /// Whether suggestions match by meaning, and why not.
    pub fn meaning(&self) -> &Meaning {
        &self.meaning
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
        let (embedding, neighbours) = match self.embed_queries(&[question]) {
            Some((mut e, mut n)) => (e.pop(), n.pop()),
            None => (None, None),
        };
        self.rank(question, reference, top, scratch, embedding.as_ref(), neighbours.unwrap_or_default())
    }

    /// The questions' embeddings and nearest entries by meaning (`None` without the model, or
    /// if embedding fails: then words alone).
    fn embed_queries(&self, questions: &[&str]) -> Option<(Vec<Embedding>, Vec<Vec<(usize, f32)>>)> {
        let (embedder, dense) = (self.meaning.embedder()?, self.dense.as_ref()?);
        let embeddings = embedder.embed_questions(questions).ok()?;
        let neighbours = dense.neighbours(&embeddings, CANDIDATES).ok()?;
        Some((embeddings, neighbours))
    }

    /// Ranks the candidates for one question: by words only, or fused with meaning when the
    /// question's embedding and nearest entries are given.
    fn rank(&self, question: &str, reference: &str, top: usize, scratch: &mut Vec<f32>, embedding: Option<&Embedding>, neighbours: Vec<(usize, f32)>) -> Vec<Suggestion> {
        let q = self.matcher.prepare(question, reference);
        let asked = self.qualifiers.tags(question);
        let lexical = self.matcher.search(&q, top.max(2).max(if embedding.is_some() { CANDIDATES } else { 0 }), scratch);
        // (entry, what orders the candidates, signals)
        let mut ranked: Vec<(usize, f32, Signals)> = match (embedding, &self.dense) {
            (Some(e), Some(dense)) => {
                let mut docs: Vec<(usize, Option<f32>)> = lexical.iter().map(|m| (m.doc, None)).collect();
                for (doc, cos) in neighbours {
                    match docs.iter_mut().find(|(d, _)| *d == doc) {
                        Some(x) => x.1 = Some(cos),
                        None => docs.push((doc, Some(cos))),
                    }
                }
                let details: Vec<(usize, index::Lexical, f32)> = docs
                    .into_iter()
                    .map(|(doc, cos)| {
                        let lex = lexical.iter().find(|m| m.doc == doc).map(|m| index::Lexical { similarity: m.similarity, bm25: m.bm25, ..self.matcher.lexical(&q, doc) });
                        (doc, lex.unwrap_or_else(|| self.matcher.lexical(&q, doc)), cos.unwrap_or_else(|| dense.cosine(e, doc)))
                    })
                    .collect();
                let max_bm25 = details.iter().map(|(_, l, _)| l.bm25).fold(0.0f32, f32::max);
                details
                    .into_iter()
                    .map(|(doc, l, cos)| {
                        let mismatch = self.mismatch(&asked, doc).is_some();
                        let bm25_share = if max_bm25 > 0.0 { l.bm25 / max_bm25 } else { 0.0 };
                        // Not clamped: two candidates above 1 (identical meaning, more shared
                        // words) must stay apart. `similarity` shows it capped at 1.
                        let order = fused_score(l.similarity, cos, mismatch);
                        let score = curve_score(order, bm25_share);
                        (doc, order, Signals { score, margin: 0.0, lexical: l.similarity, meaning: Some(cos), coverage: l.coverage, bm25_share, opposed: l.opposed, mismatch, substitution: l.substitution })
                    })
                    .collect()
            }
            _ => {
                let max_bm25 = lexical.iter().map(|m| m.bm25).fold(0.0f32, f32::max);
                // Already in order: only the ones shown need their other signals.
                lexical
                    .iter()
                    .take(top.max(2))
                    .map(|m| {
                        let l = self.matcher.lexical(&q, m.doc);
                        let bm25_share = if max_bm25 > 0.0 { m.bm25 / max_bm25 } else { 0.0 };
                        let mismatch = self.mismatch(&asked, m.doc).is_some();
                        (m.doc, m.similarity, Signals { score: m.similarity, margin: 0.0, lexical: m.similarity, meaning: None, coverage: l.coverage, bm25_share, opposed: l.opposed, mismatch, substitution: l.substitution })
                    })
                    .collect()
            }
        };
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.2.bm25_share.total_cmp(&a.2.bm25_share)).then(a.0.cmp(&b.0)));
        ranked.truncate(top.max(2));
        let best = ranked.first().map(|r| r.2.score).unwrap_or(0.0);
        let runner_up = ranked.get(1).map(|r| r.2.score).unwrap_or(0.0);
        // An alternative is never more likely right than the one ranked above it (the curve
        // weighs signals the ranking does not, which could otherwise invert them).
        let mut ceiling = 1.0f32;
        ranked
            .into_iter()
            .take(top)
            .enumerate()
            .map(|(i, (doc, _, mut signals))| {
                let e = &self.entries[doc];
                // The margin to the nearest other candidate: a clear winner is more likely right.
                signals.margin = if i == 0 { signals.score - runner_up } else { signals.score - best };
                let mut why = self.matcher.explain(&q, doc);
                if let Some(cos) = signals.meaning {
                    // Said when meaning, not shared words, carried the match.
                    if cos > signals.lexical {
                        why.meaning = Some((cos * 100.0).round() / 100.0);
                    }
                }
                why.mismatch = self.mismatch(&asked, doc).map(|m| m.describe());
                Suggestion {
                    entry_id: e.id,
                    question: e.question.clone(),
                    answer: if e.answer == "Text" { e.answer_raw.clone() } else { e.answer.clone() },
                    answer_raw: e.answer_raw.clone(),
                    comment: e.comment.clone(),
                    confidence: {
                        ceiling = confidence::of(&signals, e.conflict).min(ceiling);
                        ceiling
                    },
                    similarity: signals.score.clamp(0.0, 1.0),
                    evidence: if self.evidence.is_empty() { Vec::new() } else { self.evidence.for_question(&q.weights, Some(e.id)) },
                    stale: e.stale,
                    conflict: e.conflict,
                    source: e.source.clone(),
                    why,
                    signals,
                }
            })
            .collect()
    }

    /// The decisive qualifier in which an entry's question differs from the one asked.
    fn mismatch(&self, asked: &Tags, doc: usize) -> Option<qualifiers::Mismatch> {
        let tags = self.tags.get(doc)?.get_or_init(|| self.qualifiers.tags(&self.entries[doc].question));
        self.qualifiers.mismatch(asked, tags)
    }

    /// Suggestions for one question of a questionnaire.
    pub fn suggest(&self, question: &Question, top: usize, scratch: &mut Vec<f32>) -> Vec<Suggestion> {
        self.suggest_text(&question.text, &question.reference, top, scratch)
    }

    /// Suggestions for many `(question, ref)` pairs at once, on all cores, in input order. With
    /// the model, all questions are embedded and searched by meaning in batches first.
    pub fn suggest_batch(&self, questions: &[(&str, &str)], top: usize) -> Vec<Vec<Suggestion>> {
        let texts: Vec<&str> = questions.iter().map(|(q, _)| *q).collect();
        match self.embed_queries(&texts) {
            Some((embeddings, neighbours)) => {
                let work: Vec<(&(&str, &str), &Embedding, Vec<(usize, f32)>)> = questions.iter().zip(&embeddings).zip(neighbours).map(|((q, e), n)| (q, e, n)).collect();
                index::parallel_map(&work, |((q, r), e, n)| self.rank(q, r, top, &mut Vec::new(), Some(e), n.clone()))
            }
            None => index::parallel_map(questions, |(q, r)| self.rank(q, r, top, &mut Vec::new(), None, Vec::new())),
        }
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

/// The fused ranking score of a candidate: the mean of its lexical similarity and its cosine by
/// meaning, minus a penalty when a decisive qualifier differs (an identical question scores
/// about 1; equal scores go to the candidate with more of the best BM25). Chosen by measurement
/// (`cargo bench --bench accuracy -- --tune`, docs/benchmarks.md): max, mean, weighted and
/// min-max-normalised blends came within a few queries of each other on most pair sets; the
/// mean keeps the reworded-CAIQ set at its lexical 97 % and reaches 96–97 % on the customer-style
/// rewordings, where adding a share of BM25 to the order (0.05–0.2) lost 2–4 points. The
/// confidence curve still reads that share (`curve_score`).
pub fn fused_score(lexical: f32, cosine: f32, mismatch: bool) -> f32 {
    (FUSED_LEXICAL * lexical + (1.0 - FUSED_LEXICAL) * cosine - if mismatch { FUSED_MISMATCH } else { 0.0 }).max(0.0)
}

/// The score the fused confidence curve reads (`Signals::score`): the ranking score plus a
/// little of the BM25 share.
pub fn curve_score(fused: f32, bm25_share: f32) -> f32 {
    fused + CURVE_BM25 * bm25_share
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
