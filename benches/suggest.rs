//! Suggestion speed and memory: 1,000 questions against libraries of 1k, 10k, 50k and 100k
//! entries. The libraries are generated here (never committed) by rewording real question texts
//! — the ground-truth files in ../shared/matching when present, Quire's own sample questions
//! otherwise — with varied openings, scopes and synonyms, then imported through the real path
//! (CSV → reader → SQLite library) so loading is measured too.
//!
//! Per size, each in a new process of this benchmark (`--run LIBRARY`), as a user's run would
//! be: the cold load (no cache: read the entries, analyse every question, index), what writing
//! the cache then costs, the warm load (the next run: index from the cache), 1,000 queries, and
//! the peak RSS of each run. The warm run must give exactly the cold run's suggestions.
//!
//! With the sentence-embedding model installed (scripts/model.sh), each size is also run by
//! meaning (issue 15): the library's embeddings are stored first, then 300 and 1,000 questions
//! are asked warm, in new processes, each run embedding its questions, searching the stored
//! vectors and fusing. Embedding all 50,000 entries takes minutes, so the benchmark embeds the
//! first 2,000 for real (the import figure, in sentences/s) and stores, for the others, the
//! vector of one of those: the search costs the same whatever the numbers are.
//!
//!     cargo bench -p quire --bench suggest    (figures recorded in docs/benchmarks.md)
//!     QUIRE_BENCH_SIZES=50000 cargo bench -p quire --bench suggest    (one size)

mod common;

use quire::library::Library;
use quire::sheet::read_questionnaire;
use quire::suggest::{LoadReport, Suggester};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Instant;

const OPENINGS: &[&str] = &["", "Do you confirm that", "Please state whether", "Can you attest that", "Describe whether", "Is it the case that", "For the hosted service:", "In production,"];
const CONTEXTS: &[&str] = &["", "(production)", "(staging)", "(EU region)", "(US region)", "(all tenants)", "(hosted offering)", "(on-premises offering)", "(mobile app)", "(API)", "(admin console)", "(data warehouse)", "(support tools)", "(corporate IT)", "(subsidiaries)", "(since 2024)"];
const SCOPES: &[&str] = &["", "for all production systems", "including subcontractors", "across every office", "for customer-facing services", "at least annually", "and is this documented", "for the cloud environment"];

/// A deterministic generator (no dependency, same libraries every run).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

/// The question texts to reword, and whether they came from ../shared/matching.
fn base_questions() -> (Vec<String>, bool) {
    common::question_texts()
}

fn variant(base: &[String], rng: &mut Lcg) -> String {
    let q = &base[rng.next() % base.len()];
    let open = OPENINGS[rng.next() % OPENINGS.len()];
    let scope = SCOPES[rng.next() % SCOPES.len()];
    let q = q.trim_end_matches('?');
    let context = CONTEXTS[rng.next() % CONTEXTS.len()];
    format!("{open} {q} {scope} {context}?").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn write_csv(path: &Path, rows: usize, base: &[String], rng: &mut Lcg) {
    let mut w = csv::Writer::from_path(path).expect("csv");
    w.write_record(["ID", "Question", "Answer", "Comment"]).expect("csv");
    let answers = ["Yes", "No", "N/A", "Partial"];
    for i in 0..rows {
        let q = variant(base, rng);
        w.write_record([format!("GEN-{i:06}"), q, answers[rng.next() % 4].to_string(), format!("Generated answer {i}")]).expect("csv");
    }
    w.flush().expect("csv");
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// Imports `n` generated entries into a new library file; returns its path and the seconds taken.
fn build_library(dir: &Path, n: usize, base: &[String], rng: &mut Lcg) -> (PathBuf, f64) {
    // Files of at most 25,000 rows: a sheet is read up to 50,000 rows.
    let files: Vec<PathBuf> = (0..n.div_ceil(25_000))
        .map(|i| {
            let p = dir.join(format!("lib-{n}-{i}.csv"));
            write_csv(&p, (n - i * 25_000).min(25_000), base, rng);
            p
        })
        .collect();
    let db = dir.join(format!("lib-{n}.sqlite"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let t = Instant::now();
    let mut lib = Library::open(&db).expect("library");
    for f in &files {
        let q = read_questionnaire(f).expect("read");
        lib.import(&q, &[]).expect("import");
    }
    (db, t.elapsed().as_secs_f64())
}

/// What one run (a process of its own) measured.
#[derive(Debug, Default)]
struct Run {
    report: LoadReport,
    load: f64,
    queries: f64,
    peak_rss: f64,
    confident: usize,
    entries: usize,
    /// Hash of every suggestion given (cold and warm must agree).
    results: u64,
}

/// Child mode (`--run LIBRARY`): one run as a user's would be, in a fresh process: open the
/// library, load the suggester, ask the 1,000 questions; prints the figures on one line.
fn child_run(db: &Path, queries: &[String]) {
    let lib = Library::open(db).expect("library");
    let t = Instant::now();
    // By words only: the model's part is measured by `child_meaning`.
    let s = Suggester::from_library_with(&lib, quire::suggest::meaning::Meaning::off()).expect("suggester");
    let load = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let batch: Vec<(&str, &str)> = queries.iter().map(|q| (q.as_str(), "")).collect();
    let results = s.suggest_batch(&batch, 3);
    let queries = t.elapsed().as_secs_f64();
    let confident = results.iter().filter(|r| r.first().is_some_and(|x| x.confidence >= 0.8)).count();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!("{results:?}").hash(&mut h);
    let r = s.load_report();
    println!(
        "{} {} {} {} {} {} {} {} {} {} {} {} {}",
        r.from_cache,
        r.cache_written,
        r.cache_bytes,
        r.read_secs,
        r.index_secs,
        r.cache_write_secs,
        r.evidence_secs,
        load,
        queries,
        peak_rss_mb(),
        confident,
        s.len(),
        h.finish()
    );
}

/// Runs `child_run` in a new process of this benchmark and reads its figures.
fn run(db: &Path) -> Run {
    let exe = std::env::current_exe().expect("own path");
    let out = std::process::Command::new(exe).arg("--run").arg(db).output().expect("run the benchmark again");
    assert!(out.status.success(), "run failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let f: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(f.len(), 13, "unexpected run output: {text}");
    let num = |i: usize| f[i].parse::<f64>().expect("number");
    Run {
        report: LoadReport {
            from_cache: f[0] == "true",
            cache_written: f[1] == "true",
            cache_bytes: num(2) as usize,
            read_secs: num(3),
            index_secs: num(4),
            cache_write_secs: num(5),
            evidence_secs: num(6),
            ..Default::default()
        },
        load: num(7),
        queries: num(8),
        peak_rss: num(9),
        confident: num(10) as usize,
        entries: num(11) as usize,
        results: f[12].parse().expect("hash"),
    }
}

fn breakdown(r: &LoadReport) -> String {
    format!("SQLite read {:.3} s, index {:.3} s, evidence {:.3} s", r.read_secs, r.index_secs, r.evidence_secs)
}

fn main() {
    let (base, from_shared) = base_questions();
    let mut rng = Lcg(42);
    let queries: Vec<String> = (0..1000).map(|_| variant(&base, &mut rng)).collect();
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--run-meaning") {
        let n: usize = args.get(i + 2).and_then(|x| x.parse().ok()).expect("--run-meaning LIBRARY COUNT [QUESTIONNAIRE]");
        // With a questionnaire: its first COUNT questions instead of the generated ones.
        let asked: Vec<String> = match args.get(i + 3) {
            Some(file) => read_questionnaire(Path::new(file)).expect("questionnaire").questions().map(|q| q.text.clone()).take(n).collect(),
            None => queries[..n.min(queries.len())].to_vec(),
        };
        child_meaning(Path::new(args.get(i + 1).expect("--run-meaning LIBRARY COUNT")), &asked);
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--run") {
        child_run(Path::new(args.get(i + 1).expect("--run LIBRARY")), &queries);
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    // QUIRE_BENCH_DIR keeps the libraries (and their stored embeddings) for a later run.
    let dir = std::env::var_os("QUIRE_BENCH_DIR").map(PathBuf::from).unwrap_or_else(|| tmp.path().to_path_buf());
    if !from_shared {
        println!("(../shared/matching not found: generating from Quire's own sample questions)");
    }
    println!("suggest benchmark, by words only: 1,000 questions, top 3 each; {} base question texts; every load in a new process", base.len());
    println!(
        "{:>7} | {:>7} | {:>9} | {:>11} | {:>9} | {:>8} | {:>10} | {:>10} | {:>8} | peak RSS warm / cold",
        "entries", "import", "cold load", "cache write", "warm load", "queries", "total warm", "total cold", "cache"
    );
    let mut notes = Vec::new();
    // QUIRE_BENCH_SIZES=50000 (comma-separated) runs only those sizes.
    let sizes: Vec<usize> = std::env::var("QUIRE_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| vec![1_000, 10_000, 50_000, 100_000]);
    for &n in &sizes {
        let (db, import) = build_library(&dir, n, &base, &mut rng);
        let cold = run(&db);
        assert!(!cold.report.from_cache && cold.report.cache_written, "cold load: {:?}", cold.report);
        let warm = run(&db);
        assert!(warm.report.from_cache, "warm load did not use the cache: {:?}", warm.report);
        assert_eq!(warm.results, cold.results, "{n} entries: the cached index suggests differently");
        // The cold load as a user sees it includes writing the cache: shown apart.
        let cold_load = cold.load - cold.report.cache_write_secs;
        println!(
            "{:>7} | {:>5.2} s | {:>7.3} s | {:>9.3} s | {:>7.3} s | {:>6.3} s | {:>8.3} s | {:>8.3} s | {:>5.1} MB | {:>4.0} / {:.0} MB",
            n,
            import,
            cold_load,
            cold.report.cache_write_secs,
            warm.load,
            warm.queries,
            warm.load + warm.queries,
            cold.load + cold.queries,
            warm.report.cache_bytes as f64 / 1e6,
            warm.peak_rss,
            cold.peak_rss,
        );
        notes.push(format!(
            "{n:>7}: {} entries, {} of 1,000 at confidence ≥ 0.8, same suggestions cold and warm; cold: {}, cache write {:.3} s, queries {:.3} s; warm: {}",
            warm.entries,
            warm.confident,
            breakdown(&cold.report),
            cold.report.cache_write_secs,
            cold.queries,
            breakdown(&warm.report)
        ));
    }
    println!();
    for n in notes {
        println!("{n}");
    }
    meaning_runs(&dir, &sizes, &base);
    hostile_cells(&base);
}

/// Child mode (`--run-meaning LIBRARY COUNT`): load the suggester with the model, ask COUNT
/// questions; prints load s, model+embeddings s, questions s, peak RSS MB, confident, entries
/// without an embedding.
fn child_meaning(db: &Path, queries: &[String]) {
    let lib = Library::open(db).expect("library");
    let t = Instant::now();
    let model = quire::suggest::meaning::Meaning::shared();
    let model_secs = t.elapsed().as_secs_f64();
    let s = Suggester::from_library(&lib).expect("suggester");
    let load = t.elapsed().as_secs_f64();
    assert!(s.meaning().embedder().is_some(), "no model");
    let t = Instant::now();
    let batch: Vec<(&str, &str)> = queries.iter().map(|q| (q.as_str(), "")).collect();
    let results = s.suggest_batch(&batch, 3);
    let asked = t.elapsed().as_secs_f64();
    let confident = results.iter().filter(|r| r.first().is_some_and(|x| x.confidence >= 0.8)).count();
    let by_meaning = results.iter().filter(|r| r.first().is_some_and(|x| x.signals.meaning.is_some())).count();
    assert_eq!(by_meaning, queries.len(), "every question must have been ranked with meaning");
    if std::env::var_os("QUIRE_BENCH_BREAKDOWN").is_some() {
        // Where the time goes (costs a second embedding of the questions, so only on request).
        let embedder = model.embedder().expect("model");
        let texts: Vec<&str> = queries.iter().map(|q| q.as_str()).collect();
        let t = Instant::now();
        let e = embedder.embed_questions(&texts).expect("embed");
        let embed = t.elapsed().as_secs_f64();
        let tokens: usize = texts.iter().map(|q| embedder.token_count(q).unwrap_or(0)).sum();
        let r = s.load_report();
        eprintln!("read {:.3} s, index {:.3} s, cache write {:.3} s, evidence {:.3} s, meaning {:.3} s", r.read_secs, r.index_secs, r.cache_write_secs, r.evidence_secs, r.meaning_secs);
        eprintln!("model {model_secs:.3} s, load {load:.3} s ({:.3} s stored embeddings), embedding {} questions ({:.1} tokens each) {embed:.3} s = {:.0}/s, asking in all {asked:.3} s", r.meaning_secs, e.len(), tokens as f64 / e.len() as f64, e.len() as f64 / embed);
    }
    println!("{load} {} {asked} {} {confident} {}", s.load_report().meaning_secs, peak_rss_mb(), s.load_report().embeddings_missing);
}

/// Stores embeddings for every entry of each library (see the module's note), then times 300
/// and 1,000 questions by meaning, warm, each in a new process.
fn meaning_runs(dir: &Path, sizes: &[usize], base: &[String]) {
    use quire::suggest::meaning::Meaning;
    let meaning = Meaning::locate_and_load();
    let Some(embedder) = meaning.embedder() else {
        println!("
by meaning: SKIPPED ({})", meaning.absent_reason().unwrap_or_default());
        return;
    };
    println!("
by meaning (model {}): questions asked warm, embeddings stored; each run a new process", embedder.model_id());
    println!("{:>7} | {:>22} | {:>9} | {:>26} | {:>26}", "entries", "embedding at import", "load", "300 questions (RSS)", "1,000 questions (RSS)");
    let mut rng = Lcg(7);
    for &n in sizes {
        let db = dir.join(format!("lib-{n}.sqlite"));
        if !db.exists() {
            let _ = build_library(dir, n, base, &mut rng);
        }
        let lib = Library::open(&db).expect("library");
        let todo = lib.entries_to_embed(embedder.model_id()).expect("entries");
        let real = todo.len().min(2_000);
        let t = Instant::now();
        let texts: Vec<&str> = todo[..real].iter().map(|(_, q)| q.as_str()).collect();
        let vectors = embedder.embed_questions(&texts).expect("embed");
        let rate = real as f64 / t.elapsed().as_secs_f64().max(1e-9);
        let rows: Vec<(i64, &str, Vec<u8>)> = todo
            .iter()
            .enumerate()
            .map(|(i, (id, q))| (*id, q.as_str(), quire::suggest::embed::to_bytes(&vectors[i % real.max(1)])))
            .collect();
        lib.store_embeddings(embedder.model_id(), &rows).expect("store");
        drop(lib);
        let child = |count: usize, questionnaire: Option<&Path>| -> Vec<f64> {
            let exe = std::env::current_exe().expect("own path");
            let out = std::process::Command::new(exe).arg("--run-meaning").arg(&db).arg(count.to_string()).args(questionnaire).output().expect("run");
            assert!(out.status.success(), "run failed: {}", String::from_utf8_lossy(&out.stderr));
            eprint!("{}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8_lossy(&out.stdout).split_whitespace().map(|x| x.parse().expect("number")).collect()
        };
        // The first process after storing 77 MB of vectors reads a file the kernel is still
        // writing back: a warm-up run, not counted, so that every figure is the steady state.
        child(300, None);
        let (a, b) = (child(300, None), child(1000, None));
        println!(
            "{n:>7} | {rate:>6.0} sentences/s, ≈{:>4.0} s | {:>7.2} s | {:>6.2} s + load = {:>5.2} s ({:>4.0} MB) | {:>6.2} s + load = {:>5.2} s ({:>4.0} MB)",
            n as f64 / rate,
            a[0],
            a[2],
            a[0] + a[2],
            a[3],
            b[2],
            b[0] + b[2],
            b[3]
        );
        let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/questionnaires/hecvat-4.1.4.xlsx");
        if real.exists() {
            let r = child(300, Some(&real));
            println!("          a real questionnaire, the first 300 questions of HECVAT 4.1.4: {:.2} s + load = {:.2} s ({:.0} MB)", r[2], r[0] + r[2], r[3]);
        } else {
            println!("          (../shared/questionnaires not found: no run on a real questionnaire)");
        }
        println!("          (load includes {:.2} s for the model and the stored embeddings; {} of 300 and {} of 1,000 at ≥ 0.8 — not an accuracy figure: most entries carry another entry's vector)", a[1], a[4], b[4]);
    }
}

/// Issue 14: cells of 32,767 characters (Excel's maximum), as one word, as many words and as
/// words run together, in the library and asked of it. One such word used to take hours.
fn hostile_cells(base: &[String]) {
    use quire::suggest::index::Matcher;
    use quire::analysis::Analyzer;
    use quire::analysis::thesaurus::Thesaurus;
    let cap = |s: String| -> String { s.chars().take(32_767).collect() };
    let cells = [
        ("one 32,767-letter word", cap("abcdefghij".repeat(3_300))),
        ("32,767 characters of words", cap("encryption key rotation policy ".repeat(1_100))),
        ("words run together", cap("accessreviewsupdatedannually".repeat(1_200))),
        ("one 32,767-letter non-ASCII word", cap("é".repeat(32_767))),
    ];
    let mut library: Vec<String> = base.iter().take(2_000).cloned().collect();
    for (_, c) in &cells {
        for _ in 0..5 {
            library.push(c.clone());
        }
    }
    let qs: Vec<(&str, &str)> = library.iter().map(|q| (q.as_str(), "")).collect();
    let t = Instant::now();
    let m = Matcher::build(Analyzer::new(&Thesaurus::embedded().expect("thesaurus")), &qs);
    let built = t.elapsed().as_secs_f64();
    println!();
    println!("hostile cells: {} library questions incl. 20 cells of 32,767 characters, analysed and indexed in {built:.3} s", library.len());
    let mut scores = Vec::new();
    for (what, c) in &cells {
        let t = Instant::now();
        let q = m.prepare(c, "");
        let hits = m.search(&q, 3, &mut scores);
        println!("  asking {what}: {:.3} s ({} candidates)", t.elapsed().as_secs_f64(), hits.len());
    }
}
