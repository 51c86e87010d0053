//! Suggestion speed and memory: 1,000 questions against libraries of 1k, 10k, 50k and 100k
//! entries. The libraries are generated here (never committed) by rewording real question texts
//! — the ground-truth files in ../shared/matching when present, Quire's own sample questions
//! otherwise — with varied openings, scopes and synonyms, then imported through the real path
//! (CSV → reader → SQLite library) so loading is measured too.
//!
//!     cargo bench --bench suggest             (figures recorded in docs/benchmarks.md)

use quire::library::Library;
use quire::sheet::read_questionnaire;
use quire::suggest::Suggester;
use std::collections::BTreeSet;
use std::path::Path;
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

fn base_questions() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/matching");
    let mut set = BTreeSet::new();
    if let Ok(rd) = std::fs::read_dir(&dir) {
        for f in rd.flatten().filter(|f| f.path().extension().is_some_and(|e| e == "csv")) {
            let Ok(mut r) = csv::Reader::from_path(f.path()) else { continue };
            let Ok(h) = r.headers().cloned() else { continue };
            let cols: Vec<usize> = h.iter().enumerate().filter(|(_, n)| n.ends_with("question") || n.ends_with("_text")).map(|(i, _)| i).collect();
            for rec in r.records().flatten() {
                for &c in &cols {
                    if let Some(t) = rec.get(c).filter(|t| t.len() > 15) {
                        set.insert(t.trim().to_string());
                    }
                }
            }
        }
    }
    if set.is_empty() {
        println!("(../shared/matching not found: generating from Quire's own sample questions)");
        for (_, _, q, _, _) in quire::samples::answered_questions() {
            set.insert(q.to_string());
        }
    }
    set.into_iter().collect()
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

fn main() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let base = base_questions();
    let mut rng = Lcg(42);
    let queries: Vec<String> = (0..1000).map(|_| variant(&base, &mut rng)).collect();
    println!("suggest benchmark: 1,000 questions, top 3 each; {} base question texts", base.len());
    println!("{:>9} | {:>10} | {:>12} | {:>13} | {:>13} | {:>10}", "entries", "import", "load+index", "1,000 queries", "total suggest", "peak RSS");
    for &n in &[1_000usize, 10_000, 50_000, 100_000] {
        // Files of at most 25,000 rows: a sheet is read up to 50,000 rows.
        let files: Vec<std::path::PathBuf> = (0..n.div_ceil(25_000))
            .map(|i| {
                let p = tmp.path().join(format!("lib-{n}-{i}.csv"));
                write_csv(&p, (n - i * 25_000).min(25_000), &base, &mut rng);
                p
            })
            .collect();
        let db = tmp.path().join(format!("lib-{n}.sqlite"));
        let t = Instant::now();
        let mut lib = Library::open(&db).expect("library");
        for f in &files {
            let q = read_questionnaire(f).expect("read");
            lib.import(&q, &[]).expect("import");
        }
        let import = t.elapsed().as_secs_f64();
        drop(lib);
        let lib = Library::open(&db).expect("library");
        let corpus_secs = {
            let t = Instant::now();
            let _ = lib.corpus().expect("corpus");
            t.elapsed().as_secs_f64()
        };
        let t = Instant::now();
        let s = Suggester::from_library(&lib).expect("suggester");
        let load = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let batch: Vec<(&str, &str)> = queries.iter().map(|q| (q.as_str(), "")).collect();
        let results = s.suggest_batch(&batch, 3);
        let confident = results.iter().filter(|r| r.first().is_some_and(|x| x.confidence >= 0.8)).count();
        let query = t.elapsed().as_secs_f64();
        println!(
            "{:>9} | {:>8.2} s | {:>10.3} s | {:>11.3} s | {:>11.3} s | {:>7.0} MB   ({} of 1,000 at confidence ≥ 0.8; library {} entries; SQLite read {:.3} s of the load)",
            n,
            import,
            load,
            query,
            load + query,
            peak_rss_mb(),
            confident,
            s.len(),
            corpus_secs
        );
    }
}
