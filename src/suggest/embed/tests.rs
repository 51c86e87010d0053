//! Tests of the embedding engine. Two kinds: those on a tiny random model made here (always
//! run: loading, errors, batching, truncation), and those on the real all-MiniLM-L6-v2, which
//! run when `Embedder::locate` finds it (`scripts/model.sh` fetches it; `make test` does) and
//! print `SKIPPED …` otherwise.

use super::*;
use std::collections::HashMap;
use std::sync::OnceLock;

// ---------------------------------------------------------------- the real model

fn real_model() -> Option<&'static Embedder> {
    static MODEL: OnceLock<Option<Embedder>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let dir = Embedder::locate()?;
            match Embedder::load(&dir) {
                Ok(m) => Some(m),
                Err(e) => panic!("a model folder was found but does not load: {e}"),
            }
        })
        .as_ref()
}

macro_rules! real_model_or_skip {
    ($name:expr) => {
        match real_model() {
            Some(m) => m,
            None => {
                println!("SKIPPED {}: no sentence-embedding model found (run scripts/model.sh, or set QUIRE_MODEL_DIR)", $name);
                return;
            }
        }
    };
}

/// The example on the model's published card (sentence-transformers' `model.similarity`).
#[test]
fn reproduces_the_published_example_similarities() {
    let m = real_model_or_skip!("reproduces_the_published_example_similarities");
    let e = m.embed(&["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]).unwrap();
    let pairs = [(0, 1, 0.6660), (0, 2, 0.1046), (1, 2, 0.1411)];
    for (a, b, expected) in pairs {
        let got = cosine(&e[a], &e[b]);
        assert!((got - expected).abs() < 0.0005, "cosine({a}, {b}) = {got:.4}, published {expected:.4}");
    }
    for v in &e {
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "not unit length: {norm}");
    }
}

#[test]
fn real_model_handles_empty_long_and_non_ascii_text() {
    let m = real_model_or_skip!("real_model_handles_empty_long_and_non_ascii_text");
    let long = "Do you encrypt customer data at rest and in transit? ".repeat(700);
    let long = &long[..32_767];
    let texts = ["", long, "Chiffrez-vous les données des clients au repos ? Verschlüsselung 🔒 数据加密", "Do you encrypt customer data at rest and in transit?"];
    assert_eq!(m.token_count(long).unwrap(), MAX_TOKENS, "a long text is cut to 256 tokens");
    assert_eq!(m.token_count("").unwrap(), 2, "an empty text is [CLS] [SEP]");
    let e = m.embed(&texts).unwrap();
    for v in &e {
        assert!(v.iter().all(|x| x.is_finite()));
        assert!((v.iter().map(|x| x * x).sum::<f32>().sqrt() - 1.0).abs() < 1e-5);
    }
    // Only the first 256 tokens count: the text cut to 2,000 characters (some 400 tokens)
    // embeds the same as all 32,767.
    let cut = m.embed(&[&long[..2000]]).unwrap();
    assert!(cosine(&e[1], &cut[0]) > 0.99999, "long vs cut: {}", cosine(&e[1], &cut[0]));
    // It repeats the short question, so it stays closer to it than the empty text is.
    assert!(cosine(&e[1], &e[3]) > cosine(&e[0], &e[3]) + 0.2, "long vs its sentence: {}", cosine(&e[1], &e[3]));
    // French and German about encrypting customer data are closer to the English question than
    // the empty text is.
    assert!(cosine(&e[2], &e[3]) > cosine(&e[0], &e[3]));
}

#[test]
fn real_model_batch_equals_one_by_one() {
    let m = real_model_or_skip!("real_model_batch_equals_one_by_one");
    let texts = [
        "Do you have a formal information security program?",
        "MFA",
        "Are backups tested at least annually and stored offsite, encrypted, with restricted access for administrators only?",
        "",
        "Is data encrypted in use?",
    ];
    let batch = m.embed(&texts).unwrap();
    for (i, t) in texts.iter().enumerate() {
        let one = m.embed(&[t]).unwrap();
        let diff = batch[i].iter().zip(&one[0]).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
        assert!(diff < 1e-5, "text {i}: batched and alone differ by {diff}");
    }
}

#[test]
fn real_model_id_is_a_short_stable_hash() {
    let m = real_model_or_skip!("real_model_id_is_a_short_stable_hash");
    assert_eq!(m.model_id().len(), 16);
    assert!(m.model_id().chars().all(|c| c.is_ascii_hexdigit()));
    let again = Embedder::load(m.dir()).unwrap();
    assert_eq!(again.model_id(), m.model_id());
    let q8 = Embedder::load_with(m.dir(), Precision::Q8).unwrap();
    assert_ne!(q8.model_id(), m.model_id(), "other arithmetic, other embeddings, other id");
}

// ---------------------------------------------------------------- a tiny random model

const TINY_VOCAB: &[&str] = &["[PAD]", "[UNK]", "[CLS]", "[SEP]", "do", "you", "encrypt", "data", "at", "rest", "?", "##s", "é", "the"];
const TINY_INTERMEDIATE: usize = 64;
const TINY_POSITIONS: usize = 40;

fn tiny_tokenizer_json() -> String {
    let vocab: Vec<String> = TINY_VOCAB.iter().enumerate().map(|(i, t)| format!("{t:?}: {i}")).collect();
    format!(
        r###"{{"version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
  "normalizer": {{"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true}},
  "pre_tokenizer": {{"type": "BertPreTokenizer"}},
  "post_processor": {{"type": "TemplateProcessing",
    "single": [{{"SpecialToken": {{"id": "[CLS]", "type_id": 0}}}}, {{"Sequence": {{"id": "A", "type_id": 0}}}}, {{"SpecialToken": {{"id": "[SEP]", "type_id": 0}}}}],
    "pair": [{{"SpecialToken": {{"id": "[CLS]", "type_id": 0}}}}, {{"Sequence": {{"id": "A", "type_id": 0}}}}, {{"SpecialToken": {{"id": "[SEP]", "type_id": 0}}}}, {{"Sequence": {{"id": "B", "type_id": 1}}}}, {{"SpecialToken": {{"id": "[SEP]", "type_id": 1}}}}],
    "special_tokens": {{"[CLS]": {{"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]}}, "[SEP]": {{"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}}}}},
  "decoder": null,
  "model": {{"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": {{{}}}}}}}"###,
        vocab.join(", ")
    )
}

fn tiny_config_json() -> String {
    format!(
        r#"{{"architectures": ["BertModel"], "hidden_act": "gelu", "hidden_size": {DIMENSIONS}, "intermediate_size": {TINY_INTERMEDIATE},
  "layer_norm_eps": 1e-12, "max_position_embeddings": {TINY_POSITIONS}, "model_type": "bert", "num_attention_heads": 12,
  "num_hidden_layers": 2, "pad_token_id": 0, "type_vocab_size": 2, "vocab_size": {}}}"#,
        TINY_VOCAB.len()
    )
}

/// Deterministic pseudo-random weights in [-0.5, 0.5) × scale.
fn tiny_tensor(seed: &mut u64, shape: &[usize], scale: f32) -> candle_core::Tensor {
    let n: usize = shape.iter().product();
    let v: Vec<f32> = (0..n)
        .map(|_| {
            *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((*seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * scale
        })
        .collect();
    candle_core::Tensor::from_vec(v, shape, &candle_core::Device::Cpu).unwrap()
}

fn tiny_weights(dtype: candle_core::DType) -> HashMap<String, candle_core::Tensor> {
    let h = DIMENSIONS;
    let mut seed = 7u64;
    let mut m = HashMap::new();
    let mut put = |name: String, shape: &[usize], scale: f32, seed: &mut u64| {
        m.insert(name, tiny_tensor(seed, shape, scale).to_dtype(dtype).unwrap());
    };
    put("embeddings.word_embeddings.weight".into(), &[TINY_VOCAB.len(), h], 1.0, &mut seed);
    put("embeddings.position_embeddings.weight".into(), &[TINY_POSITIONS, h], 0.2, &mut seed);
    put("embeddings.token_type_embeddings.weight".into(), &[2, h], 0.2, &mut seed);
    for n in ["weight", "bias"] {
        put(format!("embeddings.LayerNorm.{n}"), &[h], 0.5, &mut seed);
    }
    for l in 0..2 {
        let p = format!("encoder.layer.{l}.");
        for (name, out, inp) in [
            ("attention.self.query", h, h),
            ("attention.self.key", h, h),
            ("attention.self.value", h, h),
            ("attention.output.dense", h, h),
            ("intermediate.dense", TINY_INTERMEDIATE, h),
            ("output.dense", h, TINY_INTERMEDIATE),
        ] {
            put(format!("{p}{name}.weight"), &[out, inp], 0.1, &mut seed);
            put(format!("{p}{name}.bias"), &[out], 0.1, &mut seed);
        }
        for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
            put(format!("{p}{norm}.weight"), &[h], 0.5, &mut seed);
            put(format!("{p}{norm}.bias"), &[h], 0.5, &mut seed);
        }
    }
    m
}

fn tiny_model_dir(dtype: candle_core::DType) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(CONFIG_FILE), tiny_config_json()).unwrap();
    std::fs::write(dir.path().join(TOKENIZER_FILE), tiny_tokenizer_json()).unwrap();
    candle_core::safetensors::save(&tiny_weights(dtype), dir.path().join(WEIGHTS_FILE)).unwrap();
    dir
}

#[test]
fn tiny_model_loads_and_embeds_unit_vectors() {
    let dir = tiny_model_dir(candle_core::DType::F32);
    let m = Embedder::load(dir.path()).unwrap();
    assert_eq!(m.token_count("Do you encrypt data at rest?").unwrap(), 9);
    let e = m.embed(&["Do you encrypt data at rest?", "", "données 🔒 at rest"]).unwrap();
    assert_eq!(e.len(), 3);
    for v in &e {
        assert!(v.iter().all(|x| x.is_finite()));
        assert!((v.iter().map(|x| x * x).sum::<f32>().sqrt() - 1.0).abs() < 1e-5);
    }
    assert!(cosine(&e[0], &e[1]) < 0.9999, "different texts, different vectors");
    assert_eq!(m.embed(&[]).unwrap().len(), 0);
}

#[test]
fn tiny_model_batch_equals_one_by_one_in_the_callers_order() {
    let dir = tiny_model_dir(candle_core::DType::F32);
    let m = Embedder::load(dir.path()).unwrap();
    // Different lengths, so that sorting by length reorders them and batches pad.
    let texts = ["rest", "do you encrypt the data at rest ? do you ?", "", "encrypt data", "the the the"];
    let batch = m.embed(&texts).unwrap();
    for (i, t) in texts.iter().enumerate() {
        let one = m.embed(&[t]).unwrap();
        let diff = batch[i].iter().zip(&one[0]).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
        assert!(diff < 1e-5, "text {i}: batched and alone differ by {diff}");
    }
}

#[test]
fn tiny_model_truncates_a_text_longer_than_its_positions() {
    let dir = tiny_model_dir(candle_core::DType::F32);
    let m = Embedder::load(dir.path()).unwrap();
    // 32,767 characters: far more tokens than the 40 positions of the tiny model.
    let long: String = "encrypt data at rest ".repeat(1600).chars().take(32_767).collect();
    assert_eq!(m.token_count(&long).unwrap(), TINY_POSITIONS);
    let e = m.embed(&[&long, "data"]).unwrap();
    assert!(e[0].iter().all(|x| x.is_finite()));
    // Only the first positions count: a text that differs only far past them embeds the same.
    let other = format!("{}{}", &long[..2000], "do you ".repeat(100));
    let e2 = m.embed(&[&other]).unwrap();
    assert!(cosine(&e[0], &e2[0]) > 0.99999);
}

#[test]
fn f16_weights_load_and_match_f32() {
    let d32 = tiny_model_dir(candle_core::DType::F32);
    let d16 = tiny_model_dir(candle_core::DType::F16);
    let m32 = Embedder::load(d32.path()).unwrap();
    let m16 = Embedder::load(d16.path()).unwrap();
    assert_ne!(m32.model_id(), m16.model_id());
    let t = ["do you encrypt data at rest ?"];
    let c = cosine(&m32.embed(&t).unwrap()[0], &m16.embed(&t).unwrap()[0]);
    assert!(c > 0.999, "f16 weights drift too far: cosine {c}");
}

#[test]
fn q8_arithmetic_stays_close_to_f32() {
    let dir = tiny_model_dir(candle_core::DType::F32);
    let f = Embedder::load(dir.path()).unwrap();
    let q = Embedder::load_with(dir.path(), Precision::Q8).unwrap();
    let t = ["do you encrypt data at rest ?", "the data"];
    let (ef, eq) = (f.embed(&t).unwrap(), q.embed(&t).unwrap());
    for i in 0..t.len() {
        let c = cosine(&ef[i], &eq[i]);
        assert!(c > 0.99, "q8 vs f32, text {i}: cosine {c}");
    }
}

#[test]
fn progress_is_reported_and_cancel_stops() {
    let dir = tiny_model_dir(candle_core::DType::F32);
    let m = Embedder::load(dir.path()).unwrap();
    // 400 short texts: batches of 64, so 7 batches, in rounds of as many as there are threads.
    let texts: Vec<String> = (0..400).map(|i| format!("do you encrypt data {}", "at rest ".repeat(i % 7))).collect();
    let refs: Vec<&str> = texts.iter().map(|s| s.as_str()).collect();
    let mut seen = Vec::new();
    let all = m.embed_with_progress(&refs, |done, total| {
        seen.push((done, total));
        true
    });
    let all = all.unwrap().unwrap();
    assert_eq!(all.len(), 400);
    assert!(seen.len() >= 2, "400 texts take several rounds: {seen:?}");
    assert_eq!(seen.last(), Some(&(400, 400)));
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0));
    let mut calls = 0;
    let cancelled = m.embed_with_progress(&refs, |_, _| {
        calls += 1;
        false
    });
    assert!(cancelled.unwrap().is_none());
    assert_eq!(calls, 1, "stops after the first round");
}

// ---------------------------------------------------------------- errors

fn load_err(dir: &Path) -> String {
    match Embedder::load(dir) {
        Ok(_) => panic!("{} loaded", dir.display()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_missing_folder_or_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let gone = dir.path().join("nowhere");
    let msg = load_err(&gone);
    assert!(msg.contains("nowhere") && msg.contains("does not exist") && msg.contains("scripts/model.sh"), "{msg}");

    let d = tiny_model_dir(candle_core::DType::F32);
    std::fs::remove_file(d.path().join(WEIGHTS_FILE)).unwrap();
    let msg = load_err(d.path());
    assert!(msg.contains(&d.path().display().to_string()) && msg.contains("model.safetensors is missing"), "{msg}");

    let d = tiny_model_dir(candle_core::DType::F32);
    std::fs::remove_file(d.path().join(TOKENIZER_FILE)).unwrap();
    assert!(load_err(d.path()).contains("tokenizer.json is missing"));
}

#[test]
fn damaged_files_are_errors_not_panics() {
    let cases: Vec<(&str, Box<dyn Fn(&Path)>)> = vec![
        ("garbage weights", Box::new(|p: &Path| std::fs::write(p.join(WEIGHTS_FILE), b"this is not a safetensors file at all").unwrap())),
        ("empty weights", Box::new(|p: &Path| std::fs::write(p.join(WEIGHTS_FILE), b"").unwrap())),
        (
            "truncated weights",
            Box::new(|p: &Path| {
                let bytes = std::fs::read(p.join(WEIGHTS_FILE)).unwrap();
                std::fs::write(p.join(WEIGHTS_FILE), &bytes[..bytes.len() / 2]).unwrap()
            }),
        ),
        (
            "a huge header length",
            Box::new(|p: &Path| {
                let mut bytes = u64::MAX.to_le_bytes().to_vec();
                bytes.extend_from_slice(b"{}");
                std::fs::write(p.join(WEIGHTS_FILE), bytes).unwrap()
            }),
        ),
        (
            "a tensor missing",
            Box::new(|p: &Path| {
                let mut w = tiny_weights(candle_core::DType::F32);
                w.remove("encoder.layer.1.output.dense.weight");
                candle_core::safetensors::save(&w, p.join(WEIGHTS_FILE)).unwrap()
            }),
        ),
        (
            "a tensor of the wrong shape",
            Box::new(|p: &Path| {
                let mut w = tiny_weights(candle_core::DType::F32);
                w.insert("encoder.layer.0.intermediate.dense.weight".into(), tiny_tensor(&mut 1, &[3, 5], 1.0));
                candle_core::safetensors::save(&w, p.join(WEIGHTS_FILE)).unwrap()
            }),
        ),
        (
            "integer weights",
            Box::new(|p: &Path| {
                let mut w = tiny_weights(candle_core::DType::F32);
                let t = w["embeddings.LayerNorm.weight"].to_dtype(candle_core::DType::I64).unwrap();
                w.insert("embeddings.LayerNorm.weight".into(), t);
                candle_core::safetensors::save(&w, p.join(WEIGHTS_FILE)).unwrap()
            }),
        ),
        ("garbage tokenizer", Box::new(|p: &Path| std::fs::write(p.join(TOKENIZER_FILE), b"{\"model\": 3}").unwrap())),
        ("garbage config", Box::new(|p: &Path| std::fs::write(p.join(CONFIG_FILE), b"[1, 2").unwrap())),
        ("another model's config", Box::new(|p: &Path| std::fs::write(p.join(CONFIG_FILE), tiny_config_json().replace("\"hidden_size\": 384", "\"hidden_size\": 768")).unwrap())),
        ("a config with 0 heads", Box::new(|p: &Path| std::fs::write(p.join(CONFIG_FILE), tiny_config_json().replace("\"num_attention_heads\": 12", "\"num_attention_heads\": 0")).unwrap())),
    ];
    for (what, damage) in cases {
        let d = tiny_model_dir(candle_core::DType::F32);
        damage(d.path());
        let msg = load_err(d.path());
        assert!(msg.contains(&d.path().display().to_string()) && msg.contains("damaged"), "{what}: {msg}");
    }
}

#[test]
fn locate_prefers_the_variable_then_beside_the_executable_then_the_cache() {
    let beside = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let env = Some(std::ffi::OsString::from("/somewhere/else"));
    let b = Some(beside.path().to_path_buf());
    let c = Some(cache.path().to_path_buf());
    // The variable wins even when its folder is empty: load then says what is missing there.
    assert_eq!(locate_in(env.clone(), b.clone(), c.clone()), Some(PathBuf::from("/somewhere/else")));
    assert_eq!(locate_in(Some("".into()), b.clone(), c.clone()), None, "empty variable, no model anywhere");
    std::fs::write(cache.path().join(WEIGHTS_FILE), b"x").unwrap();
    assert_eq!(locate_in(None, b.clone(), c.clone()), c);
    std::fs::write(beside.path().join(WEIGHTS_FILE), b"x").unwrap();
    assert_eq!(locate_in(None, b.clone(), c.clone()), b);
    assert_eq!(locate_in(None, None, None), None);
}

// ---------------------------------------------------------------- helpers

#[test]
fn fast_gelu_matches_candles_exact_gelu() {
    let xs: Vec<f32> = (-12_000..=12_000).map(|i| i as f32 / 1000.0).chain([f32::MAX, -f32::MAX, 1e-30, -1e-30]).collect();
    let exact = candle_core::Tensor::new(xs.as_slice(), &candle_core::Device::Cpu).unwrap().gelu_erf().unwrap().to_vec1::<f32>().unwrap();
    for (x, e) in xs.iter().zip(exact) {
        let got = bert::gelu(*x);
        assert!((got - e).abs() <= 1e-6 * e.abs().max(1.0), "gelu({x}) = {got}, exact {e}");
    }
    assert!(bert::erf(f32::NAN).is_nan());
}

#[test]
fn bytes_round_trip_and_reject_other_lengths() {
    let mut e = [0f32; DIMENSIONS];
    for (i, v) in e.iter_mut().enumerate() {
        *v = i as f32 * -0.25 + 1e-7;
    }
    let b = to_bytes(&e);
    assert_eq!(b.len(), DIMENSIONS * 4);
    assert_eq!(from_bytes(&b), Some(e));
    assert_eq!(from_bytes(&b[1..]), None);
    assert_eq!(from_bytes(&[]), None);
}

#[test]
fn long_texts_are_cut_at_a_character_boundary() {
    let s = "é".repeat(10); // 2 bytes each
    assert_eq!(truncate_bytes(&s, 5), "éé");
    assert_eq!(truncate_bytes(&s, 6), "ééé");
    assert_eq!(truncate_bytes("abc", 10), "abc");
}

#[test]
fn mean_pool_ignores_padding_and_normalises() {
    let mut hidden = vec![0f32; 3 * DIMENSIONS];
    hidden[0] = 1.0; // token 0: e0
    hidden[DIMENSIONS + 1] = 1.0; // token 1: e1
    hidden[2 * DIMENSIONS + 2] = 100.0; // padding: must not count
    let e = mean_pool(&hidden, 2);
    let r = std::f32::consts::FRAC_1_SQRT_2;
    assert!((e[0] - r).abs() < 1e-6 && (e[1] - r).abs() < 1e-6 && e[2] == 0.0);
}
