//! The matcher: an in-memory index over the library's questions that finds, for a new question,
//! the past questions that mean the same. Two stages:
//!
//! 1. Candidates by BM25 over normalised terms (stems and thesaurus concepts), through an
//!    inverted index with a dense score array: a few thousand additions per question, so 1,000
//!    questions against 50,000 entries take well under a second. The library's FTS5 index uses
//!    SQLite's own tokenizer and cannot see concepts, typos or split words, and answering an OR
//!    query per question through SQLite costs milliseconds each; it stays the index behind
//!    `library search` and the plain-BM25 baseline of the accuracy benchmark.
//! 2. A re-ranker that scores each candidate by how much of both questions' meaning they share
//!    (IDF-weighted Dice over terms), whether they say it in the same order (shared term pairs),
//!    and whether one asks about the opposite of the other (at rest vs in transit, privileged vs
//!    customer accounts). Identical questions score 1. A shared question ID only nudges: IDs are
//!    reused for different questions across versions of a questionnaire.

use crate::analysis::{words, Analyzer, TermRef, WordList, WordParts, CONCEPT_MARK};
use std::collections::{HashMap, HashSet};

/// How many BM25 candidates the re-ranker looks at.
const CANDIDATES: usize = 40;
const K1: f32 = 1.2;
const B: f32 = 0.75;

struct Doc {
    /// Unique term ids, sorted.
    terms: Vec<u32>,
    /// Term ids in text order (for shared pairs).
    seq: Vec<u32>,
    len: f32,
    key: String,
    reference: String,
}

/// One candidate for a query, best first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    /// Index of the document in the order given to `build`.
    pub doc: usize,
    /// Re-ranked similarity in [0, 1].
    pub similarity: f32,
    pub bm25: f32,
}

/// The lexical signals of one candidate (see `Matcher::lexical`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Lexical {
    /// The re-ranked similarity (`Match::similarity`).
    pub similarity: f32,
    pub bm25: f32,
    /// Share of the query's term weight (IDF) that the document has too, in [0, 1].
    pub coverage: f32,
    /// One names a concept whose opposite the other names (at rest vs in transit).
    pub opposed: bool,
    /// How distinctive a word swap is: each side has a term the other lacks; the smaller of the
    /// two sides' rarest such term's IDF, over the largest IDF there is, in [0, 1]. "Intrusion
    /// detection" vs "intrusion prevention" scores high; a word added on one side only scores 0.
    pub substitution: f32,
}

/// An analysed query, kept so that `explain` can say which words matched.
pub struct Query {
    terms: Vec<u32>,
    seq: Vec<u32>,
    /// Adjacent term pairs of `seq`, for the word-order signal (the same for every candidate).
    pairs: HashSet<(u32, u32)>,
    /// The distinct terms as analysed, with their weight (unknown words weigh as the rarest),
    /// for matching evidence documents without analysing the question again.
    pub weights: Vec<(String, f32)>,
    /// Weight of words the library has never seen (they count against every candidate).
    unknown_weight: f32,
    key: String,
    reference: String,
}

pub struct Matcher {
    analyzer: Analyzer,
    vocabulary: HashMap<String, u32>,
    term_ids: HashMap<String, u32>,
    terms: Vec<String>,
    idf: Vec<f32>,
    /// term id → (doc, the BM25 term-frequency part for that doc: tf·(k1+1) / (tf + k1·(1−b+b·len/avg))).
    /// Precomputed once, so a query adds idf·weight per posting without touching the documents.
    postings: Vec<Vec<(u32, f32)>>,
    docs: Vec<Doc>,
    avg_len: f32,
    /// Known stems by first letter, for typo correction.
    by_initial: HashMap<char, Vec<u32>>,
    /// term id → ids of concepts it opposes (empty for most).
    opposes: HashMap<u32, Vec<u32>>,
}

/// The key under which two question texts are the same question for matching: case, spacing and
/// all punctuation ignored. Looser than `library::question_key` (which keeps inner punctuation,
/// "multi-factor" ≠ "multi factor") on purpose: that key decides what the library stores as one
/// entry, this one only whether a suggestion is the identical question.
pub fn same_question_key(text: &str) -> String {
    words(text).join(" ")
}

fn normalise_ref(r: &str) -> String {
    r.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase()
}

/// What analysing the library's questions produces, before any index is derived from it: the
/// surface vocabulary, the term table and each question's terms. This is the expensive part of
/// `Matcher::build` (stemming, thesaurus, run-together splitting over the whole corpus) and what
/// `suggest::cache` keeps in the library; the rest of a `Matcher` follows from it in linear time.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysed {
    /// Surface word → how many times the corpus uses it (run-together splitting needs it).
    pub vocabulary: HashMap<String, u32>,
    /// Term id → term (stem or `#concept`); ids are positions, no term twice.
    pub terms: Vec<String>,
    pub docs: Vec<AnalysedDoc>,
}

/// One question, analysed.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysedDoc {
    /// Term ids in text order.
    pub seq: Vec<u32>,
    /// `same_question_key` of the question.
    pub key: String,
    /// The question's ref, normalised.
    pub reference: String,
}

impl Analysed {
    /// Analyses `(question, ref)` pairs: the corpus vocabulary first (run-together words are
    /// split against it), then every question on all cores.
    pub fn new(analyzer: &Analyzer, questions: &[(&str, &str)]) -> Analysed {
        // Each question's words, and the vocabulary with counts.
        let lists: Vec<WordList> = parallel_map(questions, |(q, _)| WordList::of(q));
        let mut counts: HashMap<&str, u32> = HashMap::new();
        for w in lists.iter().flat_map(WordList::iter) {
            *counts.entry(w).or_insert(0) += 1;
        }
        let vocabulary: HashMap<String, u32> = counts.iter().map(|(w, n)| (w.to_string(), *n)).collect();
        // Stemming and splitting run-together words is most of the work, and a library repeats
        // its words (50,000 questions use a few thousand): do it once per distinct word.
        let distinct: Vec<&str> = counts.keys().copied().collect();
        let analysed_words = parallel_map(&distinct, |w| analyzer.word_parts(w, &vocabulary));
        let parts: HashMap<&str, WordParts> = distinct.iter().copied().zip(analysed_words).collect();
        // Every term a question can have, numbered for now: concepts, then stems.
        let mut provisional: HashMap<TermRef<'_>, u32> = HashMap::new();
        for t in analyzer.concepts().map(TermRef::Concept).chain(parts.values().flat_map(|p| p.stems.iter().map(|s| TermRef::Stem(s)))) {
            let next = provisional.len() as u32;
            provisional.entry(t).or_insert(next);
        }
        // Each question: look its words up, match thesaurus phrases, take provisional ids.
        let docs: Vec<(Vec<u32>, String, String)> = parallel_map(&lists.iter().zip(questions).collect::<Vec<_>>(), |(list, (_, r))| {
            let mut raw: Vec<&str> = Vec::with_capacity(list.len() + 2);
            let mut stems: Vec<&str> = Vec::with_capacity(list.len() + 2);
            for w in list.iter() {
                if let Some(p) = parts.get(w) {
                    raw.extend(p.raw.iter().map(String::as_str));
                    stems.extend(p.stems.iter().map(String::as_str));
                }
            }
            let seq = analyzer.tokens(&raw, &stems).into_iter().filter_map(|(t, _, _)| provisional.get(&t).copied()).collect();
            (seq, list.iter().collect::<Vec<_>>().join(" "), normalise_ref(r))
        });
        // Final ids: concepts with opposites first (sorted), then terms in document order, so
        // that the index is the same however many threads ran.
        let mut by_provisional: Vec<Option<TermRef<'_>>> = vec![None; provisional.len()];
        for (t, &id) in &provisional {
            by_provisional[id as usize] = Some(*t);
        }
        let mut a = Analysed { vocabulary, terms: Vec::new(), docs: Vec::with_capacity(questions.len()) };
        let mut remap: Vec<u32> = vec![u32::MAX; provisional.len()];
        let mut opposing: Vec<&str> = analyzer.opposes.iter().flat_map(|(c, os)| std::iter::once(c).chain(os.iter())).map(String::as_str).collect();
        opposing.sort();
        opposing.dedup();
        for c in opposing {
            if let Some(&p) = provisional.get(&TermRef::Concept(c)) {
                remap[p as usize] = a.terms.len() as u32;
                a.terms.push(TermRef::Concept(c).text());
            }
        }
        for (seq, key, reference) in docs {
            let seq = seq
                .into_iter()
                .map(|p| {
                    if remap[p as usize] == u32::MAX {
                        remap[p as usize] = a.terms.len() as u32;
                        a.terms.push(by_provisional[p as usize].map(TermRef::text).unwrap_or_default());
                    }
                    remap[p as usize]
                })
                .collect();
            a.docs.push(AnalysedDoc { seq, key, reference });
        }
        a
    }

    /// Whether every term id names a term and no term appears twice: what `Matcher::from_analysed`
    /// relies on (a cache read back from disk is checked with this before use).
    pub fn is_consistent(&self) -> bool {
        let n = self.terms.len();
        let distinct: HashSet<&str> = self.terms.iter().map(String::as_str).collect();
        distinct.len() == n && n <= u32::MAX as usize && self.docs.iter().all(|d| d.seq.iter().all(|&t| (t as usize) < n))
    }
}

impl Matcher {
    /// Indexes `(question, ref)` pairs.
    pub fn build(analyzer: Analyzer, questions: &[(&str, &str)]) -> Matcher {
        let analysed = Analysed::new(&analyzer, questions);
        Matcher::from_analysed(analyzer, analysed)
    }

    /// The index over analysed questions (`Analysed::is_consistent` must hold; `analyzer` must be
    /// the one that analysed them). Linear in the size of the corpus: no text is analysed here.
    pub fn from_analysed(analyzer: Analyzer, analysed: Analysed) -> Matcher {
        let Analysed { vocabulary, terms, docs } = analysed;
        let term_ids: HashMap<String, u32> = terms.iter().enumerate().map(|(i, t)| (t.clone(), i as u32)).collect();
        let mut m = Matcher {
            analyzer,
            vocabulary,
            term_ids,
            postings: vec![Vec::new(); terms.len()],
            terms,
            idf: Vec::new(),
            docs: Vec::with_capacity(docs.len()),
            avg_len: 1.0,
            by_initial: HashMap::new(),
            opposes: HashMap::new(),
        };
        for d in docs {
            m.add_doc(d);
        }
        let n = m.docs.len() as f32;
        m.avg_len = if m.docs.is_empty() { 1.0 } else { m.docs.iter().map(|d| d.len).sum::<f32>() / n }.max(1.0);
        m.idf = m.postings.iter().map(|p| idf(n, p.len() as f32)).collect();
        let lengths: Vec<f32> = m.docs.iter().map(|d| d.len).collect();
        let avg_len = m.avg_len;
        for list in &mut m.postings {
            for (d, w) in list.iter_mut() {
                let tf = *w;
                *w = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * lengths[*d as usize] / avg_len));
            }
        }
        for (id, t) in m.terms.iter().enumerate() {
            if let Some(c) = t.chars().next().filter(|&c| c != CONCEPT_MARK) {
                m.by_initial.entry(c).or_default().push(id as u32);
            }
        }
        m.opposes = m.concept_oppositions();
        m
    }

    fn add_doc(&mut self, d: AnalysedDoc) {
        let mut terms = d.seq.clone();
        terms.sort_unstable();
        terms.dedup();
        let doc = self.docs.len() as u32;
        for &t in &terms {
            let tf = d.seq.iter().filter(|&&x| x == t).count().min(u16::MAX as usize) as u16;
            self.postings[t as usize].push((doc, tf as f32)); // the weight replaces it once lengths are known
        }
        self.docs.push(Doc { len: d.seq.len() as f32, terms, seq: d.seq, key: d.key, reference: d.reference });
    }

    /// term id of a concept → term ids of the concepts it opposes (only those the index knows).
    fn concept_oppositions(&self) -> HashMap<u32, Vec<u32>> {
        self.analyzer
            .opposes
            .iter()
            .filter_map(|(c, os)| {
                let id = *self.term_ids.get(&format!("{CONCEPT_MARK}{c}"))?;
                let others: Vec<u32> = os.iter().filter_map(|o| self.term_ids.get(&format!("{CONCEPT_MARK}{o}")).copied()).collect();
                Some((id, others))
            })
            .filter(|(_, o)| !o.is_empty())
            .collect()
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    pub fn vocabulary(&self) -> &HashMap<String, u32> {
        &self.vocabulary
    }

    /// Analyses a question for `search`.
    pub fn prepare(&self, text: &str, reference: &str) -> Query {
        let max_idf = idf(self.docs.len() as f32, 0.0);
        let mut seq = Vec::new();
        let mut weights: Vec<(String, f32)> = Vec::new();
        let mut unknown_weight = 0.0;
        for term in self.analyzer.terms(text, &self.vocabulary) {
            let id = self.term_ids.get(&term).copied().or_else(|| self.correct_typo(&term));
            let weight = match id {
                Some(id) => {
                    seq.push(id);
                    self.idf[id as usize]
                }
                None => {
                    unknown_weight += max_idf;
                    seq.push(u32::MAX);
                    max_idf
                }
            };
            if !weights.iter().any(|(t, _)| *t == term) {
                weights.push((term, weight));
            }
        }
        let mut terms: Vec<u32> = seq.iter().copied().filter(|&t| t != u32::MAX).collect();
        terms.sort_unstable();
        terms.dedup();
        let pairs = pairs(&seq);
        Query { terms, seq, pairs, weights, unknown_weight, key: same_question_key(text), reference: normalise_ref(reference) }
    }

    /// A known stem one edit away from an unknown one ("authentification" → "authent…"), for
    /// words of five letters or more; the most frequent wins.
    fn correct_typo(&self, term: &str) -> Option<u32> {
        if term.starts_with(CONCEPT_MARK) || term.chars().count() < 5 || term.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let first = term.chars().next()?;
        let len = term.chars().count();
        self.by_initial
            .get(&first)?
            .iter()
            .filter(|&&id| {
                let t = &self.terms[id as usize];
                t.chars().count().abs_diff(len) <= 1 && strsim::damerau_levenshtein(t, term) == 1
            })
            .max_by_key(|&&id| self.postings[id as usize].len())
            .copied()
    }

    /// The best `top` matches for a prepared query, best first.
    pub fn search(&self, q: &Query, top: usize, scores: &mut Vec<f32>) -> Vec<Match> {
        if self.docs.is_empty() {
            return Vec::new();
        }
        scores.clear();
        scores.resize(self.docs.len(), 0.0);
        let mut touched: Vec<u32> = Vec::new();
        for &t in &q.terms {
            let idf = self.idf[t as usize];
            let qtf = q.seq.iter().filter(|&&x| x == t).count() as f32;
            for &(d, norm) in &self.postings[t as usize] {
                let s = &mut scores[d as usize];
                if *s == 0.0 {
                    touched.push(d);
                }
                *s += idf * norm * qtf;
            }
        }
        let keep = CANDIDATES.max(top);
        if touched.len() > keep {
            touched.select_nth_unstable_by(keep - 1, |a, b| scores[*b as usize].total_cmp(&scores[*a as usize]));
            touched.truncate(keep);
        }
        let mut out: Vec<Match> = touched
            .iter()
            .map(|&d| Match { doc: d as usize, similarity: self.similarity(q, &self.docs[d as usize]), bm25: scores[d as usize] })
            .collect();
        // Identical questions that share no term (e.g. text made only of stop words) still match.
        out.sort_by(|a, b| b.similarity.total_cmp(&a.similarity).then(b.bm25.total_cmp(&a.bm25)).then(a.doc.cmp(&b.doc)));
        out.truncate(top);
        out
    }

    fn weight(&self, terms: &[u32]) -> f32 {
        terms.iter().map(|&t| self.idf[t as usize]).sum()
    }

    fn similarity(&self, q: &Query, d: &Doc) -> f32 {
        self.similarity_parts(q, d).0
    }

    /// The re-ranked similarity, the share of the query's weight the document has, and whether
    /// the two name opposite concepts.
    fn similarity_parts(&self, q: &Query, d: &Doc) -> (f32, f32, bool) {
        let wq = self.weight(&q.terms) + q.unknown_weight;
        let wd = self.weight(&d.terms);
        let shared: Vec<u32> = intersect(&q.terms, &d.terms);
        let wi = self.weight(&shared);
        let coverage = if wq > 0.0 { (wi / wq).min(1.0) } else { 0.0 };
        let opposed = self.opposed(&q.terms, &d.terms) || self.opposed(&d.terms, &q.terms);
        if !q.key.is_empty() && q.key == d.key {
            return (1.0, 1.0, false);
        }
        if wq + wd <= 0.0 {
            return (0.0, coverage, opposed);
        }
        let dice = 2.0 * wi / (wq + wd);
        let dp = pairs(&d.seq);
        let pair_dice = if q.pairs.is_empty() && dp.is_empty() { dice } else { 2.0 * q.pairs.intersection(&dp).count() as f32 / (q.pairs.len() + dp.len()) as f32 };
        let mut sim = 0.75 * dice + 0.25 * pair_dice;
        if opposed {
            sim *= 0.6;
        }
        if !q.reference.is_empty() && q.reference == d.reference {
            sim += 0.02;
        }
        // Between questions that say the same, the one worded closest (stop words included)
        // wins: "Are the policies…" prefers "Are the policies…" over "Are policies…".
        sim += 0.01 * word_jaccard(&q.key, &d.key);
        (sim.clamp(0.0, 0.999), coverage, opposed)
    }

    /// The lexical signals of one document for a query (any document, not only the BM25
    /// candidates: the fusion with nearest neighbours by meaning needs them for those too).
    pub fn lexical(&self, q: &Query, doc: usize) -> Lexical {
        let Some(d) = self.docs.get(doc) else { return Lexical::default() };
        let (similarity, coverage, opposed) = self.similarity_parts(q, d);
        let norm_len = K1 * (1.0 - B + B * d.len / self.avg_len);
        let bm25 = intersect(&q.terms, &d.terms)
            .iter()
            .map(|&t| {
                let tf = d.seq.iter().filter(|&&x| x == t).count() as f32;
                let qtf = q.seq.iter().filter(|&&x| x == t).count() as f32;
                self.idf[t as usize] * tf * (K1 + 1.0) / (tf + norm_len) * qtf
            })
            .sum();
        let max_idf = idf(self.docs.len() as f32, 0.0).max(1e-6);
        let rarest = |a: &[u32], b: &[u32]| a.iter().filter(|t| b.binary_search(t).is_err()).map(|&t| self.idf[t as usize]).fold(0.0f32, f32::max);
        // Words the library has never seen are the rarest of all.
        let q_only = if q.unknown_weight > 0.0 { max_idf } else { rarest(&q.terms, &d.terms) };
        let substitution = if similarity >= 1.0 { 0.0 } else { (q_only.min(rarest(&d.terms, &q.terms)) / max_idf).clamp(0.0, 1.0) };
        Lexical { similarity, bm25, coverage, opposed, substitution }
    }

    /// `a` names a concept that `b` lacks while `b` names its opposite.
    fn opposed(&self, a: &[u32], b: &[u32]) -> bool {
        a.iter().any(|t| {
            self.opposes.get(t).is_some_and(|others| b.binary_search(t).is_err() && others.iter().any(|o| b.binary_search(o).is_ok()))
        })
    }

    /// Which terms a query and a document share, which concepts, and which oppose, in words.
    pub fn explain(&self, q: &Query, doc: usize) -> Explanation {
        let d = &self.docs[doc];
        let mut e = Explanation::default();
        for t in intersect(&q.terms, &d.terms) {
            let name = &self.terms[t as usize];
            match name.strip_prefix(CONCEPT_MARK) {
                Some(c) => e.concepts.push(c.to_string()),
                None => e.terms.push(name.clone()),
            }
        }
        for t in q.terms.iter().chain(d.terms.iter()) {
            if let Some(others) = self.opposes.get(t) {
                for o in others {
                    let (in_q, in_d) = (q.terms.binary_search(o).is_ok(), d.terms.binary_search(o).is_ok());
                    if (in_q || in_d) && !(q.terms.binary_search(t).is_ok() && d.terms.binary_search(t).is_ok()) {
                        let pair = format!("{} vs {}", self.terms[*t as usize].trim_start_matches(CONCEPT_MARK), self.terms[*o as usize].trim_start_matches(CONCEPT_MARK));
                        if !e.opposed.contains(&pair) {
                            e.opposed.push(pair);
                        }
                    }
                }
            }
        }
        e.same_text = !q.key.is_empty() && q.key == d.key;
        e.same_ref = !q.reference.is_empty() && q.reference == d.reference;
        e
    }
}

/// Why a suggestion matched.
#[derive(Debug, Clone, Default, serde::Serialize, PartialEq)]
pub struct Explanation {
    /// Word stems both questions use.
    pub terms: Vec<String>,
    /// Thesaurus concepts both use, possibly in different words (e.g. `mfa` for 2FA / multi-factor).
    pub concepts: Vec<String>,
    /// Concepts on one side whose opposite is on the other (e.g. `at_rest vs in_transit`).
    pub opposed: Vec<String>,
    pub same_text: bool,
    pub same_ref: bool,
    /// Cosine of the two questions' sentence embeddings, when meaning rather than shared words
    /// carried the match ("similar meaning: 0.81").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meaning: Option<f32>,
    /// A decisive qualifier that differs ("data_state: at_rest vs in_transit"): the answer may
    /// not apply, so the confidence is capped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mismatch: Option<String>,
}

impl Explanation {
    /// In a few words, for people: what carried the match, and what speaks against it.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if self.same_text {
            parts.push("same question".to_string());
        } else if let Some(m) = self.meaning {
            parts.push(format!("similar meaning: {m:.2}"));
        }
        if !self.same_text {
            let shared: Vec<&str> = self.concepts.iter().chain(self.terms.iter()).map(String::as_str).take(6).collect();
            if !shared.is_empty() {
                parts.push(format!("shared words: {}", shared.join(", ")));
            }
        }
        if self.same_ref {
            parts.push("same question ID".into());
        }
        let mut against: Vec<String> = self.opposed.iter().map(|o| o.replace('_', " ")).collect();
        if let Some(m) = &self.mismatch {
            against.push(format!("asks about another {}", m.replace('_', " ")));
        }
        let mut out = parts.join("; ");
        if !against.is_empty() {
            out.push_str(if out.is_empty() { "but " } else { "; but " });
            out.push_str(&against.join(", "));
        }
        out
    }
}

/// `f` over `items` on all cores (scoped threads, order kept); one thread for small inputs.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    if threads < 2 || items.len() < 256 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items.chunks(chunk).map(|c| scope.spawn(move || c.iter().map(f).collect::<Vec<R>>())).collect();
        // A worker only panics if `f` does; re-raise it here rather than lose results silently.
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

fn idf(n: f32, df: f32) -> f32 {
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

fn word_jaccard(a: &str, b: &str) -> f32 {
    let a: HashSet<&str> = a.split(' ').collect();
    let b: HashSet<&str> = b.split(' ').collect();
    let union = a.union(&b).count();
    if union == 0 {
        0.0
    } else {
        a.intersection(&b).count() as f32 / union as f32
    }
}

fn pairs(seq: &[u32]) -> HashSet<(u32, u32)> {
    seq.windows(2).filter(|w| w[0] != u32::MAX && w[1] != u32::MAX).map(|w| (w[0], w[1])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::thesaurus::Thesaurus;

    fn matcher(qs: &[&str]) -> Matcher {
        Matcher::build(Analyzer::new(&Thesaurus::embedded().unwrap()), &qs.iter().map(|q| (*q, "")).collect::<Vec<_>>())
    }

    /// The plain way to analyse a corpus, one question at a time: `Analysed::new` must give
    /// exactly this (same vocabulary, term numbering and sequences), only faster.
    fn analysed_one_by_one(analyzer: &Analyzer, questions: &[(&str, &str)]) -> Analysed {
        let mut vocabulary: HashMap<String, u32> = HashMap::new();
        for (q, _) in questions {
            for w in words(q) {
                *vocabulary.entry(w).or_insert(0) += 1;
            }
        }
        let mut terms: Vec<String> = Vec::new();
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut intern = |t: String, terms: &mut Vec<String>| {
            *ids.entry(t.clone()).or_insert_with(|| {
                terms.push(t);
                terms.len() as u32 - 1
            })
        };
        let mut opposing: Vec<String> = analyzer.opposes.iter().flat_map(|(c, os)| std::iter::once(c).chain(os.iter())).map(|c| format!("{CONCEPT_MARK}{c}")).collect();
        opposing.sort();
        for c in opposing {
            intern(c, &mut terms);
        }
        let mut docs = Vec::new();
        for (q, r) in questions {
            let seq = analyzer.terms(q, &vocabulary).into_iter().map(|t| intern(t, &mut terms)).collect();
            docs.push(AnalysedDoc { seq, key: same_question_key(q), reference: normalise_ref(r) });
        }
        Analysed { vocabulary, terms, docs }
    }

    #[test]
    fn corpus_analysis_equals_analysing_each_question() {
        let analyzer = Analyzer::new(&Thesaurus::embedded().unwrap());
        let mut qs: Vec<(String, String)> = crate::samples::answered_questions().iter().map(|(_, r, q, _, _)| (q.to_string(), r.to_string())).collect();
        qs.push(("Are policies reviewed andupdated at least annually?".into(), "x.1".into()));
        qs.push(("Is ΟΔΟΣ data encrypted while stored (ePHI)?".into(), String::new()));
        qs.push(("SSO/SAML federated login; privileged MFA".into(), "IAM-9".into()));
        let pairs: Vec<(&str, &str)> = qs.iter().map(|(q, r)| (q.as_str(), r.as_str())).collect();
        assert!(pairs.len() > 30);
        assert_eq!(Analysed::new(&analyzer, &pairs), analysed_one_by_one(&analyzer, &pairs));
    }

    fn best(m: &Matcher, q: &str) -> (usize, f32) {
        let mut scores = Vec::new();
        let r = m.search(&m.prepare(q, ""), 3, &mut scores);
        (r[0].doc, r[0].similarity)
    }

    const LIB: &[&str] = &[
        "Is customer data encrypted at rest?",
        "Is customer data encrypted in transit over public networks?",
        "Is multi-factor authentication required for administrators?",
        "Is multi-factor authentication available to customer users of the application?",
        "Do you perform an annual penetration test?",
        "Do you have a documented disaster recovery plan?",
    ];

    #[test]
    fn synonyms_and_scope_pick_the_right_entry() {
        let m = matcher(LIB);
        assert_eq!(best(&m, "Is ePHI and other customer data encrypted while stored?").0, 0);
        assert_eq!(best(&m, "Is data protected with TLS in transit?").0, 1);
        assert_eq!(best(&m, "Do privileged accounts require 2FA?").0, 2);
        assert_eq!(best(&m, "Can customer end users enable two-factor authentication?").0, 3);
        assert_eq!(best(&m, "How often do you conduct a pen test?").0, 4);
        assert_eq!(best(&m, "Is there a DR plan?").0, 5);
    }

    #[test]
    fn identical_text_scores_one_and_unrelated_scores_low() {
        let m = matcher(LIB);
        assert_eq!(best(&m, "is customer data ENCRYPTED at rest").1, 1.0);
        let mut scores = Vec::new();
        let r = m.search(&m.prepare("What colour is the office carpet?", ""), 3, &mut scores);
        assert!(r.iter().all(|x| x.similarity < 0.3), "{r:?}");
    }

    #[test]
    fn opposite_scope_is_penalised_and_explained() {
        let m = matcher(&["Is data encrypted in transit?"]);
        let q = m.prepare("Is data encrypted at rest?", "");
        let mut scores = Vec::new();
        let r = m.search(&q, 1, &mut scores);
        assert!(r[0].similarity < 0.5, "{r:?}");
        let e = m.explain(&q, 0);
        assert!(e.opposed.iter().any(|o| o.contains("at_rest") && o.contains("in_transit")), "{e:?}");
        assert!(e.concepts.contains(&"encryption".to_string()), "{e:?}");
    }

    #[test]
    fn analysis_is_the_same_on_every_run_and_indexes_like_build() {
        // Two analysers hash their concept maps differently: term ids must not depend on that.
        let qs: Vec<(&str, &str)> = LIB.iter().map(|q| (*q, "")).collect();
        let analyse = || Analysed::new(&Analyzer::new(&Thesaurus::embedded().unwrap()), &qs);
        let a = analyse();
        assert_eq!(a, analyse());
        assert!(a.is_consistent());
        let from_parts = Matcher::from_analysed(Analyzer::new(&Thesaurus::embedded().unwrap()), a);
        let built = matcher(LIB);
        let mut scores = Vec::new();
        for q in ["Is data protected with TLS in transit?", "Do privileged accounts require 2FA?", "Is there a DR plan?"] {
            let (x, y) = (from_parts.search(&from_parts.prepare(q, ""), 3, &mut scores), built.search(&built.prepare(q, ""), 3, &mut scores));
            assert_eq!(x, y, "{q}");
        }
    }

    #[test]
    fn typos_are_forgiven() {
        let m = matcher(LIB);
        assert_eq!(best(&m, "Do you have a documented disastr recovery plann?").0, 5);
    }

    #[test]
    fn empty_library_and_empty_query() {
        let m = matcher(&[]);
        let mut scores = Vec::new();
        assert!(m.search(&m.prepare("anything", ""), 3, &mut scores).is_empty());
        let m = matcher(LIB);
        assert!(m.search(&m.prepare("", ""), 3, &mut scores).is_empty());
    }
}
