//! Matching by meaning: the library's questions as sentence embeddings (`embed`), kept in the
//! library file and searched for the nearest neighbours of a new question.
//!
//! - [`Meaning`] is whether the model is there: loaded once per process, lazily (the first
//!   suggestion or import that needs it, never at start-up), or absent with the reason, which the
//!   caller shows once. Without it suggestions use shared words only.
//! - [`embed_missing`] computes the embeddings an entry lacks (new entries, or all of them for a
//!   new model) in chunks, storing each chunk as it is done, so a cancelled or killed run keeps
//!   what it finished and the next run goes on from there.
//! - [`DenseIndex`] holds the library's vectors as one matrix and finds, for a batch of
//!   questions, each one's nearest entries with one matrix product per batch (candle's gemm).

use super::embed::{self, Embedder, Embedding, DIMENSIONS};
use crate::error::Result;
use crate::library::{CorpusEntry, Library};
use candle_core::{Device, Tensor};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// Texts embedded (and stored) per chunk by [`embed_missing`].
const CHUNK: usize = 512;
/// Questions per matrix product in [`DenseIndex::neighbours`] (bounds the score matrix: 128 ×
/// 50,000 floats is 25 MB).
const QUERY_BATCH: usize = 128;

/// Whether suggestions can match by meaning.
#[derive(Clone)]
pub enum Meaning {
    Active(Arc<Embedder>),
    /// No model: why, in words a user can act on.
    Absent(String),
}

impl Meaning {
    /// The model found by `Embedder::locate`, loaded on first use and kept for the process.
    pub fn shared() -> Meaning {
        static SHARED: OnceLock<Meaning> = OnceLock::new();
        SHARED.get_or_init(Meaning::locate_and_load).clone()
    }

    /// Locates and loads the model now (see `Embedder::locate`).
    pub fn locate_and_load() -> Meaning {
        match Embedder::locate() {
            None => Meaning::Absent(format!(
                "no sentence-embedding model found (looked in QUIRE_MODEL_DIR, a models/{} folder beside the program and {}); suggestions match by shared words only, so questions worded differently are found less often. Install the model with scripts/model.sh",
                embed::MODEL_FOLDER,
                embed::cache_dir().map(|d| d.display().to_string()).unwrap_or_else(|| "the cache folder".into())
            )),
            Some(dir) => match Embedder::load(&dir) {
                Ok(e) => Meaning::Active(Arc::new(e)),
                Err(e) => Meaning::Absent(format!("{e}; suggestions match by shared words only until it is fixed")),
            },
        }
    }

    /// Suggestions by shared words only, on purpose (tests, benchmarks' lexical baseline).
    pub fn off() -> Meaning {
        Meaning::Absent("matching by meaning is turned off".into())
    }

    pub fn embedder(&self) -> Option<&Arc<Embedder>> {
        match self {
            Meaning::Active(e) => Some(e),
            Meaning::Absent(_) => None,
        }
    }

    /// Why there is no model (`None` when there is one).
    pub fn absent_reason(&self) -> Option<&str> {
        match self {
            Meaning::Active(_) => None,
            Meaning::Absent(r) => Some(r),
        }
    }
}

/// What [`embed_missing`] did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EmbedOutcome {
    /// Entries that lacked an embedding when it started.
    pub missing: usize,
    /// Embeddings computed and stored.
    pub embedded: usize,
    /// Stopped by the progress callback before the end (what was stored stays).
    pub cancelled: bool,
    pub secs: f64,
}

/// Computes and stores the embedding of every entry that lacks one from this model, `CHUNK`
/// texts at a time. `progress(done, total)` hears after each round; returning `false` stops at
/// the end of the current chunk's round (everything finished before is stored).
pub fn embed_missing(lib: &Library, embedder: &Embedder, mut progress: impl FnMut(usize, usize) -> bool) -> Result<EmbedOutcome> {
    let started = std::time::Instant::now();
    let todo = lib.entries_to_embed(embedder.model_id())?;
    let total = todo.len();
    let mut outcome = EmbedOutcome { missing: total, ..EmbedOutcome::default() };
    let mut done = 0;
    for chunk in todo.chunks(CHUNK) {
        let texts: Vec<&str> = chunk.iter().map(|(_, q)| q.as_str()).collect();
        let base = done;
        let vectors = embedder.embed_with_progress(&texts, |n, _| progress(base + n, total))?;
        let Some(vectors) = vectors else {
            outcome.cancelled = true;
            break;
        };
        let rows: Vec<(i64, &str, Vec<u8>)> = chunk.iter().zip(&vectors).map(|((id, q), v)| (*id, q.as_str(), embed::to_bytes(v))).collect();
        outcome.embedded += lib.store_embeddings(embedder.model_id(), &rows)?;
        done += chunk.len();
        if done < total && !progress(done, total) {
            outcome.cancelled = true;
            break;
        }
    }
    outcome.secs = started.elapsed().as_secs_f64();
    Ok(outcome)
}

/// The library's embeddings as one matrix, row `i` for entry `i` of the suggester (a zero row
/// for an entry without one: it then only matches by words).
pub struct DenseIndex {
    /// The same numbers twice: as a tensor for the matrix products, flat for single cosines
    /// (77 MB each at 50,000 entries).
    matrix: Tensor,
    flat: Vec<f32>,
    rows: usize,
    /// Entries that have an embedding.
    present: usize,
}

impl DenseIndex {
    /// The vectors of `entries` from `embeddings` (`(entry id, bytes)`, as stored); rows of the
    /// wrong length count as missing.
    pub fn new(entries: &[CorpusEntry], embeddings: Vec<(i64, Vec<u8>)>) -> Result<DenseIndex> {
        let position: HashMap<i64, usize> = entries.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
        let mut flat = vec![0f32; entries.len() * DIMENSIONS];
        let mut present = 0;
        for (id, bytes) in embeddings {
            if let (Some(&i), Some(v)) = (position.get(&id), embed::from_bytes(&bytes)) {
                flat[i * DIMENSIONS..(i + 1) * DIMENSIONS].copy_from_slice(&v);
                present += 1;
            }
        }
        Self::from_flat(flat, entries.len(), present)
    }

    /// From vectors in entry order (benchmarks, tests).
    pub fn from_vectors(vectors: &[Embedding]) -> Result<DenseIndex> {
        let flat: Vec<f32> = vectors.iter().flat_map(|v| v.iter().copied()).collect();
        Self::from_flat(flat, vectors.len(), vectors.len())
    }

    fn from_flat(flat: Vec<f32>, rows: usize, present: usize) -> Result<DenseIndex> {
        let matrix = Tensor::from_vec(flat.clone(), (rows, DIMENSIONS), &Device::Cpu).map_err(tensor_err)?;
        Ok(DenseIndex { matrix, flat, rows, present })
    }

    /// Entries with an embedding, of all entries.
    pub fn coverage(&self) -> (usize, usize) {
        (self.present, self.rows)
    }

    /// The cosine of a question with one entry.
    pub fn cosine(&self, query: &Embedding, row: usize) -> f32 {
        match self.flat.get(row * DIMENSIONS..(row + 1) * DIMENSIONS) {
            Some(v) => v.iter().zip(query).map(|(a, b)| a * b).sum(),
            None => 0.0,
        }
    }

    /// For each question, its `k` nearest entries `(row, cosine)`, nearest first.
    pub fn neighbours(&self, queries: &[Embedding], k: usize) -> Result<Vec<Vec<(usize, f32)>>> {
        let mut out = Vec::with_capacity(queries.len());
        if self.rows == 0 || k == 0 {
            out.resize(queries.len(), Vec::new());
            return Ok(out);
        }
        let library_t = self.matrix.t().map_err(tensor_err)?;
        for batch in queries.chunks(QUERY_BATCH) {
            let flat: Vec<f32> = batch.iter().flat_map(|v| v.iter().copied()).collect();
            let q = Tensor::from_vec(flat, (batch.len(), DIMENSIONS), &Device::Cpu).map_err(tensor_err)?;
            let scores = q.matmul(&library_t).map_err(tensor_err)?.flatten_all().map_err(tensor_err)?.to_vec1::<f32>().map_err(tensor_err)?;
            for row in scores.chunks_exact(self.rows) {
                out.push(top_k(row, k));
            }
        }
        Ok(out)
    }
}

/// The `k` largest of `scores` as `(index, score)`, largest first.
fn top_k(scores: &[f32], k: usize) -> Vec<(usize, f32)> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    if idx.len() > k {
        idx.select_nth_unstable_by(k - 1, |a, b| scores[*b].total_cmp(&scores[*a]));
        idx.truncate(k);
    }
    idx.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]).then(a.cmp(b)));
    idx.into_iter().map(|i| (i, scores[i])).collect()
}

fn tensor_err(e: candle_core::Error) -> crate::error::Error {
    crate::error::Error::invalid("suggest.meaning.searching_library_embeddings_failed", format!("searching the library's embeddings failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(i: usize, j: usize, w: f32) -> Embedding {
        let mut e = [0f32; DIMENSIONS];
        e[i] = w;
        e[j] = (1.0 - w * w).sqrt();
        e
    }

    #[test]
    fn neighbours_are_the_largest_cosines_in_order() {
        let lib: Vec<Embedding> = (0..300).map(|i| unit(i % DIMENSIONS, (i + 1) % DIMENSIONS, 0.6)).collect();
        let index = DenseIndex::from_vectors(&lib).unwrap();
        let queries: Vec<Embedding> = (0..200).map(|i| lib[(i * 7) % 300]).collect();
        let found = index.neighbours(&queries, 3).unwrap();
        assert_eq!(found.len(), 200);
        for (i, n) in found.iter().enumerate() {
            let want = (i * 7) % 300;
            // Rows 0 and 384-periodic twins are identical vectors; the first of them wins.
            assert!((n[0].1 - 1.0).abs() < 1e-5, "{n:?}");
            assert!(n[0].0 % DIMENSIONS == want % DIMENSIONS, "{i}: {n:?}");
            assert!(n[0].1 >= n[1].1 && n[1].1 >= n[2].1);
            assert!((index.cosine(&queries[i], n[1].0) - n[1].1).abs() < 1e-5);
        }
    }

    #[test]
    fn missing_and_malformed_embeddings_are_zero_rows() {
        let entries: Vec<CorpusEntry> = (1..=3)
            .map(|id| CorpusEntry { id, question: format!("q{id}"), answer: "Yes".into(), answer_raw: "Yes".into(), comment: String::new(), domain: String::new(), stale: false, conflict: false, source: None })
            .collect();
        let v = unit(0, 1, 0.8);
        let index = DenseIndex::new(&entries, vec![(2, embed::to_bytes(&v)), (3, vec![1, 2, 3]), (99, embed::to_bytes(&v))]).unwrap();
        assert_eq!(index.coverage(), (1, 3));
        let n = index.neighbours(&[v], 3).unwrap();
        assert_eq!(n[0][0].0, 1);
        assert!(n[0][1].1.abs() < 1e-6);
        assert!(DenseIndex::new(&[], Vec::new()).unwrap().neighbours(&[v], 3).unwrap()[0].is_empty());
    }
}
