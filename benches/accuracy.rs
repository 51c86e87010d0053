//! Suggestion accuracy on the ground-truth pairs in `../shared/matching/`: for each pair set the
//! library is every distinct target question, each distinct query question is asked, and the
//! run prints, side by side, plain SQLite FTS5 BM25 (the library's own index) and Quire: top-1,
//! top-3, and the share of queries answered at confidence ≥ 0.8 with the precision among those.
//!
//!     cargo bench --bench accuracy            figures (recorded in docs/benchmarks.md)
//!     cargo bench --bench accuracy -- --fit   also fits the confidence curve's coefficients
//!
//! Skips with a notice when ../shared/matching is absent.

use quire::library::CorpusEntry;
use quire::suggest::confidence::COEFFICIENTS;
use quire::suggest::thesaurus::Thesaurus;
use quire::suggest::Suggester;
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

struct PairSet {
    file: &'static str,
    label: &'static str,
    query: &'static str,
    target: &'static str,
    /// (column, accepted values): rows kept.
    filter: Option<(&'static str, &'static [&'static str])>,
}

const SETS: &[PairSet] = &[
    PairSet { file: "caiq-v4.0.3_x_v4.1.0-same-id.csv", label: "CAIQ 4.0.3→4.1.0 reworded+minor", query: "v403_question", target: "v410_question", filter: Some(("heuristic_label", &["minor_edit", "reworded_probably_same"])) },
    PairSet { file: "caiq-v4.0.3_x_v4.1.0-same-id.csv", label: "CAIQ 4.0.3→4.1.0 all rows", query: "v403_question", target: "v410_question", filter: None },
    PairSet { file: "caiq-v4.0.3_x_v3.0.1-control-level.csv", label: "CAIQ v4→v3.0.1 No Gap", query: "v4_question", target: "v301_question", filter: Some(("ccm_gap_level", &["No Gap"])) },
    PairSet { file: "nist-csf-2.0_x_1.1.csv", label: "NIST CSF 2.0→1.1", query: "csf20_text", target: "csf11_text", filter: None },
    PairSet { file: "hecvat-3.03_x_4.1.4-near-text.csv", label: "HECVAT 3.03→4.1.4 near text", query: "hecvat303_text", target: "hecvat414_text", filter: None },
];

/// One query's outcome, for the table and for fitting.
struct Outcome {
    top1: bool,
    top3: bool,
    similarity: f32,
    margin: f32,
    confidence: f32,
}

struct Figures {
    n: usize,
    top1: f64,
    top3: f64,
    covered: f64,
    precision: f64,
}

fn figures(outcomes: &[Outcome], conf: impl Fn(&Outcome) -> f32) -> Figures {
    let n = outcomes.len().max(1) as f64;
    let sure: Vec<&Outcome> = outcomes.iter().filter(|o| conf(o) >= 0.8).collect();
    Figures {
        n: outcomes.len(),
        top1: outcomes.iter().filter(|o| o.top1).count() as f64 / n,
        top3: outcomes.iter().filter(|o| o.top3).count() as f64 / n,
        covered: sure.len() as f64 / n,
        precision: if sure.is_empty() { f64::NAN } else { sure.iter().filter(|o| o.top1).count() as f64 / sure.len() as f64 },
    }
}

fn load(dir: &Path, set: &PairSet) -> Result<(Vec<String>, BTreeMap<String, BTreeSet<String>>), String> {
    let path = dir.join(set.file);
    let mut rdr = csv::Reader::from_path(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let headers = rdr.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name).ok_or_else(|| format!("{}: no column {name}", set.file));
    let (qi, ti) = (col(set.query)?, col(set.target)?);
    let fi = match set.filter {
        Some((c, _)) => Some(col(c)?),
        None => None,
    };
    let mut targets = BTreeSet::new();
    let mut truth: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        let (q, t) = (rec.get(qi).unwrap_or("").trim(), rec.get(ti).unwrap_or("").trim());
        if t.is_empty() {
            continue;
        }
        // The library holds every target, also those of rows the filter leaves out.
        targets.insert(t.to_string());
        if let (Some(i), Some((_, keep))) = (fi, set.filter) {
            if !keep.contains(&rec.get(i).unwrap_or("")) {
                continue;
            }
        }
        if !q.is_empty() {
            truth.entry(q.to_string()).or_default().insert(t.to_string());
        }
    }
    Ok((targets.into_iter().collect(), truth))
}

fn corpus(texts: &[String]) -> Vec<CorpusEntry> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| CorpusEntry {
            id: i as i64 + 1,
            question: t.clone(),
            answer: "Yes".into(),
            answer_raw: "Yes".into(),
            comment: String::new(),
            domain: String::new(),
            stale: false,
            conflict: false,
            source: None,
        })
        .collect()
}

/// Plain BM25: SQLite FTS5 with the library's tokenizer, any word may match.
fn bm25_baseline(texts: &[String], truth: &BTreeMap<String, BTreeSet<String>>) -> (f64, f64) {
    let conn = Connection::open_in_memory().expect("sqlite");
    conn.execute_batch("CREATE VIRTUAL TABLE t USING fts5(q, tokenize = 'porter unicode61 remove_diacritics 2');").expect("fts5");
    for (i, t) in texts.iter().enumerate() {
        conn.execute("INSERT INTO t(rowid, q) VALUES (?1, ?2)", rusqlite::params![i as i64, t]).expect("insert");
    }
    let mut stmt = conn.prepare("SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY bm25(t) LIMIT 3").expect("prepare");
    let (mut top1, mut top3) = (0usize, 0usize);
    for (q, want) in truth {
        let Some(query) = quire::library::fts_query(q) else { continue };
        let ids: Vec<i64> = stmt.query_map([query], |r| r.get(0)).expect("query").filter_map(|r| r.ok()).collect();
        let hit = |id: &i64| want.contains(&texts[*id as usize]);
        top1 += ids.first().is_some_and(hit) as usize;
        top3 += ids.iter().any(hit) as usize;
    }
    let n = truth.len().max(1) as f64;
    (top1 as f64 / n, top3 as f64 / n)
}

fn run_quire(texts: &[String], truth: &BTreeMap<String, BTreeSet<String>>, thesaurus: &Thesaurus, show_misses: bool) -> Vec<Outcome> {
    let s = Suggester::new(corpus(texts), thesaurus);
    let mut scratch = Vec::new();
    truth
        .iter()
        .map(|(q, want)| {
            let sug = s.suggest_text(q, "", 3, &mut scratch);
            let hit = |x: &quire::suggest::Suggestion| want.contains(&x.question);
            if show_misses && !sug.first().is_some_and(hit) {
                println!("  MISS {q}\n    want {:?}\n    got  {:?} ({:.2}, conf {:.2}) why {:?}", want.iter().next(), sug.first().map(|x| &x.question), sug.first().map(|x| x.similarity).unwrap_or(0.0), sug.first().map(|x| x.confidence).unwrap_or(0.0), sug.first().map(|x| &x.why));
            }
            let sim = sug.first().map(|x| x.similarity).unwrap_or(0.0);
            let second = sug.get(1).map(|x| x.similarity).unwrap_or(0.0);
            Outcome {
                top1: sug.first().is_some_and(hit),
                top3: sug.iter().any(hit),
                similarity: sim,
                margin: sim - second,
                confidence: sug.first().map(|x| x.confidence).unwrap_or(0.0),
            }
        })
        .collect()
}


fn pct(x: f64) -> String {
    if x.is_nan() {
        "   –".into()
    } else {
        format!("{:>4.0}%", x * 100.0)
    }
}

/// Logistic regression on (similarity, margin) → right, by Newton's method (3 parameters).
fn fit(outcomes: &[&Outcome]) -> [f64; 3] {
    let mut w = [0.0f64; 3];
    for _ in 0..50 {
        let mut g = [0.0f64; 3];
        let mut h = [[0.0f64; 3]; 3];
        for o in outcomes {
            let x = [o.similarity as f64, o.margin as f64, 1.0];
            let z: f64 = (0..3).map(|i| w[i] * x[i]).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let y = if o.top1 { 1.0 } else { 0.0 };
            for i in 0..3 {
                g[i] += (p - y) * x[i];
                for j in 0..3 {
                    h[i][j] += p * (1.0 - p) * x[i] * x[j];
                }
            }
        }
        for (i, row) in h.iter_mut().enumerate() {
            row[i] += 1e-3; // a little ridge keeps the step defined on separable data
        }
        let step = solve3(h, g);
        for i in 0..3 {
            w[i] -= step[i];
        }
    }
    w
}

fn solve3(a: [[f64; 3]; 3], b: [f64; 3]) -> [f64; 3] {
    let det = |m: [[f64; 3]; 3]| m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    let d = det(a);
    let mut x = [0.0; 3];
    for (i, xi) in x.iter_mut().enumerate() {
        let mut m = a;
        for r in 0..3 {
            m[r][i] = b[r];
        }
        *xi = det(m) / d;
    }
    x
}

fn main() {
    let fit_wanted = std::env::args().any(|a| a == "--fit");
    // `-- --misses LABEL-PREFIX` prints the queries whose top suggestion is wrong.
    let args: Vec<String> = std::env::args().collect();
    let misses = args.iter().position(|a| a == "--misses").and_then(|i| args.get(i + 1)).cloned();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/matching");
    if !dir.is_dir() {
        println!("SKIPPED accuracy benchmark: {} not found", dir.display());
        return;
    }
    let thesaurus = Thesaurus::embedded().expect("thesaurus");
    println!("suggestion accuracy ({} = confidence curve coefficients)", format!("{COEFFICIENTS:?}"));
    println!("{:<36} {:>5} | {:>11} | {:>11} {:>10} {:>10}", "pair set", "n", "BM25 t1/t3", "Quire t1/t3", "conf≥0.8", "precision");
    let mut all: Vec<(String, Vec<Outcome>)> = Vec::new();
    for set in SETS {
        let (texts, truth) = match load(&dir, set) {
            Ok(x) => x,
            Err(e) => {
                println!("{:<36} SKIPPED: {e}", set.label);
                continue;
            }
        };
        let (b1, b3) = bm25_baseline(&texts, &truth);
        let outcomes = run_quire(&texts, &truth, &thesaurus, misses.as_deref().is_some_and(|m| set.label.starts_with(m)));
        let f = figures(&outcomes, |o| o.confidence);
        println!(
            "{:<36} {:>5} | {} / {} | {} / {} {:>9} {:>10}",
            set.label,
            f.n,
            pct(b1),
            pct(b3),
            pct(f.top1),
            pct(f.top3),
            pct(f.covered),
            pct(f.precision)
        );
        all.push((set.label.to_string(), outcomes));
    }
    let pooled: Vec<&Outcome> = all.iter().filter(|(l, _)| !l.ends_with("all rows")).flat_map(|(_, o)| o.iter()).collect();
    // Calibration table: how often the top suggestion is right within each confidence band.
    println!("\ncalibration over all queries (top suggestion right, by confidence band):");
    for (lo, hi) in [(0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 0.9), (0.9, 1.01)] {
        let band: Vec<&&Outcome> = pooled.iter().filter(|o| o.confidence >= lo && o.confidence < hi).collect();
        let right = band.iter().filter(|o| o.top1).count();
        println!("  [{lo:.1}, {:.1})  {:>5} queries, {:>5} right", hi.min(1.0), band.len(), if band.is_empty() { "–".into() } else { pct(right as f64 / band.len() as f64) });
    }
    if fit_wanted {
        let w = fit(&pooled);
        println!("\nfitted coefficients (similarity, margin, intercept): [{:.2}, {:.2}, {:.2}]", w[0], w[1], w[2]);
        for (label, outcomes) in &all {
            let f = figures(outcomes, |o| {
                let z = w[0] * o.similarity as f64 + w[1] * o.margin as f64 + w[2];
                (1.0 / (1.0 + (-z).exp())) as f32
            });
            println!("  with them: {:<36} conf≥0.8 {} precision {}", label, pct(f.covered), pct(f.precision));
        }
    }
}
