//! Sentence-embedding speed, memory and accuracy: all-MiniLM-L6-v2 on real questionnaire
//! questions (the texts of ../shared/matching/*.csv when present, generated questions
//! otherwise), per precision of the stored weights and of the arithmetic, with 1 and 2 threads.
//!
//! Each run is a new process of this benchmark (`--run DIR PRECISION OUT`, with
//! RAYON_NUM_THREADS set), as a user's run would be: load time (weights already in the page
//! cache), sentences/s over all texts, the peak RSS, and the published example's similarities.
//! The parent then compares each run's embeddings with the f32 ones (cosine, and whether each
//! text's nearest neighbour among the others stays the same).
//!
//!     bash scripts/model.sh && cargo bench -p quire --bench embed
//!     QUIRE_MODEL_DIR=/tmp/m32 bash scripts/model.sh --f32 && QUIRE_MODEL_DIR=/tmp/m32 cargo bench -p quire --bench embed
//!         (the fp32 weights as published: then f16 and q8_0 are compared with them)
//!     QUIRE_BENCH_TEXTS=300 cargo bench -p quire --bench embed    (fewer texts)
//!
//! Prints SKIPPED when no model is found.

mod common;

use quire::suggest::embed::{cosine, Embedder, Embedding, Precision, DIMENSIONS};
use std::path::{Path, PathBuf};
use std::time::Instant;

const EXAMPLE: [&str; 3] = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."];

/// The question texts (a fixed sample of `common::question_texts`), and whether they came
/// from ../shared/matching.
fn texts() -> (Vec<String>, bool) {
    let (mut v, from_shared) = common::question_texts();
    // A fixed shuffle (the set is sorted), so that a prefix is a fair sample.
    let mut s = 0x9e3779b97f4a7c15u64;
    for i in (1..v.len()).rev() {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        v.swap(i, (s >> 33) as usize % (i + 1));
    }
    let n = std::env::var("QUIRE_BENCH_TEXTS").ok().and_then(|n| n.parse().ok()).unwrap_or(1000);
    v.truncate(n);
    (v, from_shared)
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// CPU seconds this process has used (all threads, user + system): with other work on the
/// machine, sentences per CPU second is the figure that does not depend on what else runs.
fn cpu_seconds() -> f64 {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return f64::NAN;
    }
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(u.ru_utime) + tv(u.ru_stime)
}

fn precision(name: &str) -> Precision {
    match name {
        "q8" => Precision::Q8,
        _ => Precision::F32,
    }
}

/// Child mode: load, embed every text, print one line of figures, write the embeddings to OUT.
fn child_run(dir: &Path, precision_name: &str, out: &Path) {
    let (texts, _) = texts();
    let refs: Vec<&str> = texts.iter().map(|s| s.as_str()).collect();
    let t = Instant::now();
    let m = Embedder::load_with(dir, precision(precision_name)).expect("load the model");
    let load = t.elapsed().as_secs_f64();
    let rss_loaded = peak_rss_mb();
    let ex = m.embed(&EXAMPLE).expect("embed");
    // One short question alone: the latency of a single query.
    let t = Instant::now();
    m.embed(&["Do you encrypt customer data at rest?"]).expect("embed");
    let single = t.elapsed().as_secs_f64();
    let tokens: usize = refs.iter().map(|t| m.token_count(t).expect("tokenise")).sum();
    let (t, cpu) = (Instant::now(), cpu_seconds());
    let e = m.embed(&refs).expect("embed");
    let secs = t.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu;
    let bytes: Vec<u8> = e.iter().flat_map(|v| v.iter().flat_map(|x| x.to_le_bytes())).collect();
    std::fs::write(out, bytes).expect("write embeddings");
    println!(
        "RESULT {load:.3} {:.1} {:.1} {:.2} {:.1} {rss_loaded:.0} {:.0} {:.4} {:.4} {:.4} {:.1}",
        refs.len() as f64 / secs,
        tokens as f64 / secs,
        tokens as f64 / refs.len() as f64,
        single * 1000.0,
        peak_rss_mb(),
        cosine(&ex[0], &ex[1]),
        cosine(&ex[0], &ex[2]),
        cosine(&ex[1], &ex[2]),
        refs.len() as f64 / cpu,
    );
}

fn read_embeddings(path: &Path) -> Vec<Embedding> {
    let bytes = std::fs::read(path).expect("embeddings");
    bytes
        .chunks_exact(DIMENSIONS * 4)
        .map(|c| {
            let mut e = [0f32; DIMENSIONS];
            for (v, b) in e.iter_mut().zip(c.chunks_exact(4)) {
                *v = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            }
            e
        })
        .collect()
}

/// Each text's nearest other text.
fn nearest(e: &[Embedding]) -> Vec<usize> {
    (0..e.len())
        .map(|i| (0..e.len()).filter(|&j| j != i).max_by(|&a, &b| cosine(&e[i], &e[a]).total_cmp(&cosine(&e[i], &e[b]))).unwrap_or(i))
        .collect()
}

/// The value type of the first tensor of a safetensors file ("F32", "F16", …).
fn weights_dtype(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("weights");
    let n = u64::from_le_bytes(bytes[..8].try_into().expect("header length")) as usize;
    let header: serde_json::Value = serde_json::from_slice(&bytes[8..8 + n]).expect("header");
    header
        .as_object()
        .and_then(|o| o.iter().find(|(k, _)| k.as_str() != "__metadata__").and_then(|(_, v)| v["dtype"].as_str()))
        .unwrap_or("?")
        .to_string()
}

/// Writes a copy of the model folder with f16 weights (what a smaller shipped model would be).
fn f16_copy(dir: &Path, to: &Path) -> u64 {
    std::fs::create_dir_all(to).expect("folder");
    for f in ["tokenizer.json", "config.json"] {
        std::fs::copy(dir.join(f), to.join(f)).expect("copy");
    }
    let tensors = candle_core::safetensors::load(dir.join("model.safetensors"), &candle_core::Device::Cpu).expect("weights");
    let half: std::collections::HashMap<String, candle_core::Tensor> = tensors
        .into_iter()
        .filter(|(_, t)| t.dtype() == candle_core::DType::F32)
        .map(|(k, t)| (k, t.to_dtype(candle_core::DType::F16).expect("f16")))
        .collect();
    candle_core::safetensors::save(&half, to.join("model.safetensors")).expect("save");
    std::fs::metadata(to.join("model.safetensors")).map(|m| m.len()).unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--run") {
        child_run(Path::new(&args[i + 1]), &args[i + 2], Path::new(&args[i + 3]));
        return;
    }
    let Some(dir) = Embedder::locate() else {
        println!("SKIPPED embedding benchmark: no model found (run scripts/model.sh, or set QUIRE_MODEL_DIR)");
        return;
    };
    let (texts, from_shared) = texts();
    println!(
        "embedding {} questionnaire questions ({}), model in {}",
        texts.len(),
        if from_shared { "texts of ../shared/matching" } else { "Quire's sample questions" },
        dir.display()
    );
    let tmp = tempfile::tempdir().expect("temp folder");
    let installed_size = std::fs::metadata(dir.join("model.safetensors")).map(|m| m.len()).unwrap_or(0);
    // (label, folder, arithmetic, shipped size). The comparison with fp32 needs the fp32 file:
    // scripts/model.sh stores f16 unless given --f32 (see the top of this file).
    let installed = weights_dtype(&dir.join("model.safetensors"));
    let mut variants: Vec<(String, PathBuf, &str, u64)> = vec![(format!("{installed} weights, f32 arithmetic"), dir.clone(), "f32", installed_size)];
    if installed == "F32" {
        let half_dir = tmp.path().join("f16");
        let f16_size = f16_copy(&dir, &half_dir);
        variants.push(("F16 weights, f32 arithmetic".into(), half_dir, "f32", f16_size));
    } else {
        println!("(the installed weights are {installed}: for the fp32 comparison run `QUIRE_MODEL_DIR=DIR bash scripts/model.sh --f32` and this benchmark with the same QUIRE_MODEL_DIR)");
    }
    variants.push((format!("{installed} weights, q8_0 arithmetic"), dir.clone(), "q8", installed_size));
    println!(
        "{:<30} | thr | {:>7} | {:>9} | {:>10} | {:>8} | {:>7} | {:>9} | {:>11} | {:>22} | {:>8} | {:>9} | {:>8}",
        "variant", "sent/s", "sent/cpu-s", "tokens/s", "tok/sent", "load s", "1 query ms", "RSS MB l/pk", "example 1-2/1-3/2-3", "file MB", "cos min", "NN same"
    );
    let exe = std::env::current_exe().expect("own path");
    let mut reference: Option<(Vec<Embedding>, Vec<usize>)> = None;
    for (label, folder, arith, size) in &variants {
        for threads in [1, 2] {
            let out = tmp.path().join(format!("{arith}-{threads}-{}.bin", size));
            let o = std::process::Command::new(&exe)
                .env("RAYON_NUM_THREADS", threads.to_string())
                .arg("--run")
                .arg(folder)
                .arg(arith)
                .arg(&out)
                .output()
                .expect("run the benchmark again");
            let stdout = String::from_utf8_lossy(&o.stdout);
            let Some(line) = stdout.lines().find(|l| l.starts_with("RESULT ")) else {
                println!("{label}: run failed: {}", String::from_utf8_lossy(&o.stderr));
                continue;
            };
            let f: Vec<f64> = line.split_whitespace().skip(1).map(|v| v.parse().unwrap_or(f64::NAN)).collect();
            let e = read_embeddings(&out);
            let (cos_min, nn_same) = match &reference {
                None => {
                    reference = Some((e.clone(), nearest(&e)));
                    (1.0, 1.0)
                }
                Some((r, nn)) => {
                    let cmin = r.iter().zip(&e).map(|(a, b)| cosine(a, b)).fold(1f32, f32::min);
                    let same = nearest(&e).iter().zip(nn).filter(|(a, b)| a == b).count() as f64 / nn.len().max(1) as f64;
                    (cmin, same)
                }
            };
            println!(
                "{label:<30} | {threads:>3} | {:>7.1} | {:>10.1} | {:>10.0} | {:>8.1} | {:>7.3} | {:>10.1} | {:>5.0} / {:>4.0} | {:.4} / {:.4} / {:.4} | {:>8.1} | {:>9.5} | {:>7.1}%",
                f[1],
                f[10],
                f[2],
                f[3],
                f[0],
                f[4],
                f[5],
                f[6],
                f[7],
                f[8],
                f[9],
                *size as f64 / 1e6,
                cos_min,
                nn_same * 100.0
            );
        }
    }
    println!("published example: 0.6660 / 0.1046 / 0.1411; cos min and NN same compare with the first run (f32, 1 thread)");
    println!("sent/cpu-s: sentences per CPU second of the process (all threads); with the machine to itself, sent/s at 1 thread equals it");
}
