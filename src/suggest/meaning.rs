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
use rayon::prelude::*;
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
        let vectors = embedder.embed_questions_with_progress(&texts, |n, _| progress(base + n, total))?;
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
/// for an entry without one: it then only matches by words). Built by [`DenseBuilder`].
pub struct DenseIndex {
    /// `rows × DIMENSIONS`, for the matrix products; single cosines read its storage (one copy
    /// of the numbers: 77 MB at 50,000 entries).
    matrix: Tensor,
    rows: usize,
    /// Entries that have an embedding.
    present: usize,
}

/// Fills the matrix of a [`DenseIndex`] row by row, straight from the stored bytes.
pub struct DenseBuilder {
    position: HashMap<i64, usize>,
    flat: Vec<f32>,
    filled: Vec<bool>,
}

impl DenseBuilder {
    /// An empty matrix for `entries`, in their order.
    pub fn new(entries: &[CorpusEntry]) -> DenseBuilder {
        DenseBuilder {
            position: entries.iter().enumerate().map(|(i, e)| (e.id, i)).collect(),
            flat: vec![0f32; entries.len() * DIMENSIONS],
            filled: vec![false; entries.len()],
        }
    }

    /// Puts entry `id`'s stored vector (little-endian f32s, see `embed::to_bytes`); nothing is
    /// put when `id` is no entry here or the bytes are not an embedding's length.
    pub fn put_bytes(&mut self, id: i64, bytes: &[u8]) {
        if let (Some(row), Some(v)) = (self.position.get(&id).copied(), embed::from_bytes(bytes)) {
            self.put(row, &v);
        }
    }

    /// Puts the vector of the entry at `row`.
    pub fn put(&mut self, row: usize, v: &Embedding) {
        if let Some(slot) = self.flat.get_mut(row * DIMENSIONS..(row + 1) * DIMENSIONS) {
            slot.copy_from_slice(v);
            self.filled[row] = true;
        }
    }

    /// The rows (entry positions) that have no vector yet.
    pub fn missing(&self) -> Vec<usize> {
        self.filled.iter().enumerate().filter(|(_, f)| !**f).map(|(i, _)| i).collect()
    }

    pub fn finish(self) -> Result<DenseIndex> {
        let present = self.filled.iter().filter(|f| **f).count();
        DenseIndex::from_flat(self.flat, self.filled.len(), present)
    }
}

impl DenseIndex {
    /// From vectors in entry order (benchmarks, tests).
    pub fn from_vectors(vectors: &[Embedding]) -> Result<DenseIndex> {
        let flat: Vec<f32> = vectors.iter().flat_map(|v| v.iter().copied()).collect();
        Self::from_flat(flat, vectors.len(), vectors.len())
    }

    fn from_flat(flat: Vec<f32>, rows: usize, present: usize) -> Result<DenseIndex> {
        let matrix = Tensor::from_vec(flat, (rows, DIMENSIONS), &Device::Cpu).map_err(tensor_err)?;
        Ok(DenseIndex { matrix, rows, present })
    }

    /// Entries with an embedding, of all entries.
    pub fn coverage(&self) -> (usize, usize) {
        (self.present, self.rows)
    }

    /// The cosine of a question with one entry.
    pub fn cosine(&self, query: &Embedding, row: usize) -> f32 {
        let (storage, _) = self.matrix.storage_and_layout();
        let candle_core::Storage::Cpu(cpu) = &*storage else { return 0.0 };
        match cpu.as_slice::<f32>().ok().and_then(|flat| flat.get(row * DIMENSIONS..(row + 1) * DIMENSIONS)) {
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
            let rows: Vec<&[f32]> = scores.chunks_exact(self.rows).collect();
            out.extend(rows.par_iter().map(|row| top_k(row, k)).collect::<Vec<_>>());
        }
        Ok(out)
    }
}

/// The `k` largest of `scores` as `(index, score)`, largest first (the lower index first among
/// equal scores). One pass: a score below the `k`-th best so far costs one comparison.
fn top_k(scores: &[f32], k: usize) -> Vec<(usize, f32)> {
    let mut best: Vec<(usize, f32)> = Vec::with_capacity(k + 1);
    if k == 0 {
        return best;
    }
    for (i, &s) in scores.iter().enumerate() {
        if best.len() == k && best[k - 1].1.total_cmp(&s).is_ge() {
            continue;
        }
        // After every kept score that is at least as large (they have lower indices).
        let at = best.partition_point(|(_, b)| b.total_cmp(&s).is_ge());
        best.insert(at, (i, s));
        best.truncate(k);
    }
    best
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
    fn top_k_keeps_the_largest_in_order_and_the_first_of_equals() {
        let scores = [0.1, 0.9, 0.5, 0.9, -1.0, 0.7, 0.5, 0.2];
        assert_eq!(top_k(&scores, 3), vec![(1, 0.9), (3, 0.9), (5, 0.7)]);
        assert_eq!(top_k(&scores, 4)[3], (2, 0.5));
        assert_eq!(top_k(&scores, 20).len(), scores.len());
        assert!(top_k(&scores, 0).is_empty());
        // Against sorting everything, on many values with ties.
        let many: Vec<f32> = (0..5_000u32).map(|i| ((i.wrapping_mul(2_654_435_761) >> 7) % 1_000) as f32 / 1_000.0).collect();
        let mut all: Vec<(usize, f32)> = many.iter().copied().enumerate().collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        assert_eq!(top_k(&many, 80), all[..80].to_vec());
    }

    #[test]
    fn missing_and_malformed_embeddings_are_zero_rows() {
        let entries: Vec<CorpusEntry> = (1..=3)
            .map(|id| CorpusEntry { id, question: format!("q{id}"), answer: "Yes".into(), answer_raw: "Yes".into(), comment: String::new(), domain: String::new(), stale: false, conflict: false, source: None })
            .collect();
        let v = unit(0, 1, 0.8);
        let mut builder = DenseBuilder::new(&entries);
        for (id, bytes) in [(2, embed::to_bytes(&v)), (3, vec![1, 2, 3]), (99, embed::to_bytes(&v))] {
            builder.put_bytes(id, &bytes);
        }
        let index = builder.finish().unwrap();
        assert_eq!(index.coverage(), (1, 3));
        let n = index.neighbours(&[v], 3).unwrap();
        assert_eq!(n[0][0].0, 1);
        assert!(n[0][1].1.abs() < 1e-6);
        assert!(DenseBuilder::new(&[]).finish().unwrap().neighbours(&[v], 3).unwrap()[0].is_empty());
    }
}
