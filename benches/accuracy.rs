//! Suggestion accuracy on the ground-truth pairs in `../shared/matching/` and on the near-miss
//! set `benches/data/nearmiss.csv`: for each set the library is every distinct target question
//! (for the paraphrase sets: the 261 CAIQ v4.0.3 questions), each distinct query is asked, and
//! the run prints, side by side, plain SQLite FTS5 BM25 (the library's own index), Quire by
//! words only, by meaning only (cosine), and fused (what `suggest` does with the model): top-1,
//! top-3 over queries that have a true match, the share of those answered at confidence ≥ 0.8
//! and the precision there, and the share of queries with no true match (`none` rows, near
//! misses) that still got confidence ≥ 0.8.
//!
//!     cargo bench --bench accuracy            figures (recorded in docs/benchmarks.md)
//!     cargo bench --bench accuracy -- --fit   also fits both confidence curves, and the fused
//!                                             one once per set with that set held out
//!     cargo bench --bench accuracy -- --misses LABEL-PREFIX   the wrong top suggestions
//!     cargo bench --bench accuracy -- --tune  other fusion formulas over the same candidates
//!     cargo bench --bench accuracy -- --signals FILE   every fused top suggestion's signals
//!                                             (words-only ones without the model), with
//!                                             the texts, tab-separated, for calibration work
//!     cargo bench --bench accuracy -- --dump FILE   every set's library, queries, true
//!                                             matches and vectors as JSON lines
//!     cargo bench --bench accuracy -- --embed IN OUT   embeds each line of IN as a question
//!                                             (JSON lines of text and vector to OUT), for
//!                                             experiments outside the benchmark
//!
//! Skips with a notice when ../shared/matching is absent; runs without the meaning columns
//! (saying so) when the sentence-embedding model is not installed (scripts/model.sh).

use quire::library::CorpusEntry;
use quire::suggest::confidence::{self, FUSED, LEXICAL};
use quire::suggest::embed::{cosine, Embedder};
use quire::suggest::meaning::Meaning;
use quire::analysis::thesaurus::Thesaurus;
use quire::suggest::{Signals, Suggester};
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet, HashMap};
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
    /// The query has a true match in the library (else it must not be answered confidently).
    answerable: bool,
    top1: bool,
    top3: bool,
    signals: Signals,
    confidence: f32,
    /// The query and the top suggestion's question (for `--signals`).
    query: String,
    suggested: String,
}

struct Figures {
    n: usize,
    none: usize,
    top1: f64,
    top3: f64,
    covered: f64,
    precision: f64,
    /// Share of unanswerable queries answered at ≥ 0.8.
    false_sure: f64,
}

fn figures(outcomes: &[Outcome], conf: impl Fn(&Outcome) -> f32) -> Figures {
    let answerable: Vec<&Outcome> = outcomes.iter().filter(|o| o.answerable).collect();
    let none: Vec<&Outcome> = outcomes.iter().filter(|o| !o.answerable).collect();
    let n = answerable.len().max(1) as f64;
    let sure: Vec<&Outcome> = outcomes.iter().filter(|o| conf(o) >= 0.8).collect();
    let sure_right = sure.iter().filter(|o| o.answerable && o.top1).count();
    Figures {
        n: answerable.len(),
        none: none.len(),
        top1: answerable.iter().filter(|o| o.top1).count() as f64 / n,
        top3: answerable.iter().filter(|o| o.top3).count() as f64 / n,
        covered: answerable.iter().filter(|o| conf(o) >= 0.8).count() as f64 / n,
        precision: if sure.is_empty() { f64::NAN } else { sure_right as f64 / sure.len() as f64 },
        false_sure: if none.is_empty() { f64::NAN } else { none.iter().filter(|o| conf(o) >= 0.8).count() as f64 / none.len() as f64 },
    }
}

/// A set ready to run: the library's texts and, per query, its true targets (empty: none).
struct Loaded {
    label: String,
    texts: Vec<String>,
    truth: BTreeMap<String, BTreeSet<String>>,
}

fn load(dir: &Path, set: &PairSet) -> Result<Loaded, String> {
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
    Ok(Loaded { label: set.label.to_string(), texts: targets.into_iter().collect(), truth })
}

/// `ref → question text` of a questionnaire in ../shared/questionnaires, read by Quire itself.
fn questions_by_ref(file: &Path) -> Result<HashMap<String, String>, String> {
    let q = quire::sheet::read_questionnaire(file).map_err(|e| e.to_string())?;
    let mut map = HashMap::new();
    for x in q.questions() {
        map.entry(x.reference.trim().to_string()).or_insert_with(|| x.text.trim().to_string());
    }
    Ok(map)
}

/// A paraphrase set (`query_text,label,target_ids`): the library is every CAIQ v4.0.3 question.
fn load_paraphrase(dir: &Path, file: &str, label: &str, caiq: &HashMap<String, String>) -> Result<Loaded, String> {
    let path = dir.join(file);
    let mut rdr = csv::Reader::from_path(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let headers = rdr.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name).ok_or_else(|| format!("{file}: no column {name}"));
    let (qi, li, ti) = (col("query_text")?, col("label")?, col("target_ids")?);
    let mut truth: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        let q = rec.get(qi).unwrap_or("").trim().to_string();
        let want = truth.entry(q).or_default();
        if rec.get(li) == Some("same") {
            for id in rec.get(ti).unwrap_or("").split(';').map(str::trim).filter(|s| !s.is_empty()) {
                want.insert(caiq.get(id).cloned().ok_or_else(|| format!("{file}: target {id} is not a CAIQ v4.0.3 question"))?);
            }
        }
    }
    let mut texts: Vec<String> = caiq.values().cloned().collect();
    texts.sort();
    Ok(Loaded { label: label.to_string(), texts, truth })
}

/// The near-miss set: references into ../shared/questionnaires, resolved here (the project
/// ships no question text of others'). Library = every target; `same` rows have theirs as truth,
/// `near_miss` rows none.
fn load_near_misses(questionnaires: &Path) -> Result<Loaded, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/nearmiss.csv");
    let mut rdr = csv::Reader::from_path(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut files: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut text = |file: &str, id: &str| -> Result<String, String> {
        if !files.contains_key(file) {
            files.insert(file.to_string(), questions_by_ref(&questionnaires.join(file))?);
        }
        files[file].get(id).cloned().ok_or_else(|| format!("nearmiss.csv: {file} has no question {id}"))
    };
    let mut texts = BTreeSet::new();
    let mut truth: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        let get = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
        let (q, t) = (text(&get(0), &get(1))?, text(&get(2), &get(3))?);
        texts.insert(t.clone());
        let want = truth.entry(q).or_default();
        if get(4) == "same" {
            want.insert(t);
        }
    }
    Ok(Loaded { label: "near misses (references)".into(), texts: texts.into_iter().collect(), truth })
}

/// Quire's own rewording set (`benches/data/rewordings.csv`, written for the project): library
/// questions in questionnaire style and customer-style rewordings of them (`same`), questions no
/// library question answers (`none`) and near misses (`near_miss`: one decisive qualifier differs).
fn load_rewordings() -> Result<Loaded, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/rewordings.csv");
    let mut rdr = csv::Reader::from_path(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut texts = BTreeSet::new();
    let mut truth: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        let (kind, lib, query) = (rec.get(0).unwrap_or(""), rec.get(1).unwrap_or("").trim(), rec.get(2).unwrap_or("").trim());
        if !lib.is_empty() {
            texts.insert(lib.to_string());
        }
        let want = truth.entry(query.to_string()).or_default();
        if kind == "same" {
            want.insert(lib.to_string());
        }
    }
    Ok(Loaded { label: "Quire's rewordings (own text)".into(), texts: texts.into_iter().collect(), truth })
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
    let (mut top1, mut top3, mut n) = (0usize, 0usize, 0usize);
    for (q, want) in truth.iter().filter(|(_, w)| !w.is_empty()) {
        n += 1;
        let Some(query) = quire::library::fts_query(q) else { continue };
        let ids: Vec<i64> = stmt.query_map([query], |r| r.get(0)).expect("query").filter_map(|r| r.ok()).collect();
        let hit = |id: &i64| want.contains(&texts[*id as usize]);
        top1 += ids.first().is_some_and(hit) as usize;
        top3 += ids.iter().any(hit) as usize;
    }
    let n = n.max(1) as f64;
    (top1 as f64 / n, top3 as f64 / n)
}

fn run_quire(s: &Suggester, set: &Loaded, show_misses: bool) -> Vec<Outcome> {
    let queries: Vec<(&str, &str)> = set.truth.keys().map(|q| (q.as_str(), "")).collect();
    let found = s.suggest_batch(&queries, 3);
    set.truth
        .iter()
        .zip(found)
        .map(|((q, want), sug)| {
            let hit = |x: &quire::suggest::Suggestion| want.contains(&x.question);
            let top = sug.first();
            if show_misses && (!top.is_some_and(hit) && !want.is_empty() || want.is_empty() && top.is_some_and(|t| t.confidence >= 0.8)) {
                println!(
                    "  MISS {q}\n    want {:?}\n    got  {:?} (score {:.2}, conf {:.2}) {:?}",
                    want.iter().next(),
                    top.map(|x| &x.question),
                    top.map(|x| x.similarity).unwrap_or(0.0),
                    top.map(|x| x.confidence).unwrap_or(0.0),
                    top.map(|x| x.signals)
                );
            }
            Outcome {
                answerable: !want.is_empty(),
                top1: top.is_some_and(hit),
                top3: sug.iter().any(hit),
                signals: top.map(|x| x.signals).unwrap_or_default(),
                confidence: top.map(|x| x.confidence).unwrap_or(0.0),
                query: q.clone(),
                suggested: top.map(|x| x.question.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

/// By meaning only: the nearest library question by cosine.
fn run_dense(embedder: &Embedder, set: &Loaded) -> (f64, f64) {
    let lib = embedder.embed_questions(&set.texts.iter().map(String::as_str).collect::<Vec<_>>()).expect("embed library");
    let asked: Vec<(&String, &BTreeSet<String>)> = set.truth.iter().filter(|(_, w)| !w.is_empty()).collect();
    let qs = embedder.embed_questions(&asked.iter().map(|(q, _)| q.as_str()).collect::<Vec<_>>()).expect("embed queries");
    let (mut t1, mut t3) = (0, 0);
    for ((_, want), e) in asked.iter().zip(&qs) {
        let mut order: Vec<(usize, f32)> = lib.iter().enumerate().map(|(i, l)| (i, cosine(e, l))).collect();
        order.sort_by(|a, b| b.1.total_cmp(&a.1));
        t1 += want.contains(&set.texts[order[0].0]) as usize;
        t3 += order.iter().take(3).any(|(i, _)| want.contains(&set.texts[*i])) as usize;
    }
    let n = asked.len().max(1) as f64;
    (t1 as f64 / n, t3 as f64 / n)
}

/// `--tune`: every candidate of every query (up to 80: the union of both searches) with its
/// signals, re-ranked by other fusion formulas; prints each formula's top-1 / top-3 per set.
fn tune(sets: &[Loaded], meaning: &Meaning, thesaurus: &Thesaurus) {
    type Cand = (bool, f32, f32, f32, bool);
    let mut data: Vec<(String, Vec<(bool, Vec<Cand>)>)> = Vec::new();
    for set in sets.iter().filter(|s| !s.label.ends_with("all rows")) {
        let s = Suggester::new_with(corpus(&set.texts), thesaurus, meaning.clone()).expect("embed library");
        let queries: Vec<(&str, &str)> = set.truth.keys().map(|q| (q.as_str(), "")).collect();
        let found = s.suggest_batch(&queries, 80);
        let rows = set
            .truth
            .values()
            .zip(found)
            .map(|(want, sug)| (!want.is_empty(), sug.iter().map(|x| (want.contains(&x.question), x.signals.lexical, x.signals.meaning.unwrap_or(0.0), x.signals.bm25_share, x.signals.mismatch)).collect()))
            .collect();
        data.push((set.label.clone(), rows));
    }
    let formulas: Vec<(String, Box<dyn Fn(&Cand) -> f32>)> = {
        let mut f: Vec<(String, Box<dyn Fn(&Cand) -> f32>)> = Vec::new();
        for wb in [0.0f32, 0.05, 0.1, 0.2] {
            f.push((format!("max(lex,cos) + {wb}·bm25"), Box::new(move |c: &Cand| c.1.max(c.2) + wb * c.3 - if c.4 { 0.1 } else { 0.0 })));
            for wl in [0.1f32, 0.2, 0.3, 0.5, 0.7] {
                f.push((format!("{wl}·lex + {:.1}·cos + {wb}·bm25", 1.0 - wl), Box::new(move |c: &Cand| wl * c.1 + (1.0 - wl) * c.2 + wb * c.3 - if c.4 { 0.1 } else { 0.0 })));
            }
            for t in [0.5f32, 0.6, 0.7] {
                f.push((format!("cos + (lex-{t})⁺ + {wb}·bm25"), Box::new(move |c: &Cand| c.2 + (c.1 - t).max(0.0) + wb * c.3 - if c.4 { 0.1 } else { 0.0 })));
            }
            f.push((format!("max + 0.3·min + {wb}·bm25"), Box::new(move |c: &Cand| c.1.max(c.2) + 0.3 * c.1.min(c.2) + wb * c.3 - if c.4 { 0.1 } else { 0.0 })));
            for wc in [0.5f32, 0.7] {
                f.push((format!("mm: {wc}·mm(cos) + {:.1}·bm25", 1.0 - wc), Box::new(move |c: &Cand| wc * c.2 + (1.0 - wc) * c.3 - if c.4 { 0.1 } else { 0.0 })));
                f.push((format!("mm: {wc}·mm(cos) + {:.1}·mm(lex) + {wb}·bm25", 1.0 - wc), Box::new(move |c: &Cand| wc * c.2 + (1.0 - wc) * c.1 + wb * c.3 - if c.4 { 0.1 } else { 0.0 })));
            }
        }
        f
    };
    println!("\nfusion formulas (top-1 / top-3 per set; mean top-1 last):");
    println!("  {:<34} {}", "", data.iter().map(|(l, _)| format!("{:>13}", l.chars().take(13).collect::<String>())).collect::<Vec<_>>().join(" "));
    for (name, f) in &formulas {
        let mut cells = Vec::new();
        let mut mean = 0.0;
        for (_, rows) in &data {
            let (mut t1, mut t3, mut n) = (0, 0, 0);
            for (_, cands) in rows.iter().filter(|(a, _)| *a) {
                // Min-max normalised cosine and lexical over this query's candidates (f1, f2 of
                // the per-query formulas), for the variants that use them.
                let (cmin, cmax) = cands.iter().fold((f32::MAX, f32::MIN), |(a, b), c| (a.min(c.2), b.max(c.2)));
                let (lmin, lmax) = cands.iter().fold((f32::MAX, f32::MIN), |(a, b), c| (a.min(c.1), b.max(c.1)));
                let norm: Vec<Cand> = cands.iter().map(|c| (c.0, (c.1 - lmin) / (lmax - lmin).max(1e-6), (c.2 - cmin) / (cmax - cmin).max(1e-6), c.3, c.4)).collect();
                let cands = if name.starts_with("mm:") { &norm } else { cands };
                let mut order: Vec<&Cand> = cands.iter().collect();
                order.sort_by(|a, b| f(b).total_cmp(&f(a)));
                n += 1;
                t1 += order.first().is_some_and(|c| c.0) as usize;
                t3 += order.iter().take(3).any(|c| c.0) as usize;
            }
            let n = n.max(1) as f64;
            mean += t1 as f64 / n;
            cells.push(format!("{:>6} / {:>4}", pct(t1 as f64 / n), pct(t3 as f64 / n)));
        }
        println!("  {:<34} {}  {}", name, cells.join(" "), pct(mean / data.len().max(1) as f64));
    }
}

fn pct(x: f64) -> String {
    if x.is_nan() {
        "   –".into()
    } else {
        format!("{:>3.0}%", x * 100.0)
    }
}

/// Weight of a wrong top suggestion in the fit (default 3; `--neg W` overrides).
static NEGATIVE_WEIGHT: std::sync::OnceLock<f64> = std::sync::OnceLock::new();

fn negative_weight() -> f64 {
    NEGATIVE_WEIGHT.get().copied().unwrap_or(3.0)
}

/// Logistic regression (Newton's method with a little ridge) of "the top suggestion is right"
/// on `x` (a constant 1 is appended for the intercept); a wrong one weighs `negative`.
fn fit(rows: &[(Vec<f64>, bool)], negative: f64) -> Vec<f64> {
    let k = rows.first().map(|r| r.0.len() + 1).unwrap_or(1);
    let mut w = vec![0.0f64; k];
    for _ in 0..60 {
        let mut g = vec![0.0f64; k];
        let mut h = vec![vec![0.0f64; k]; k];
        for (x, y) in rows {
            let x: Vec<f64> = x.iter().copied().chain(std::iter::once(1.0)).collect();
            let z: f64 = (0..k).map(|i| w[i] * x[i]).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            // A confident wrong answer costs more than a blank one (it is sent to the
            // customer): wrong suggestions weigh `negative` times a right one.
            let (y, c) = if *y { (1.0, 1.0) } else { (0.0, negative) };
            for i in 0..k {
                g[i] += c * (p - y) * x[i];
                for j in 0..k {
                    h[i][j] += c * p * (1.0 - p) * x[i] * x[j];
                }
            }
        }
        for (i, row) in h.iter_mut().enumerate() {
            row[i] += 1e-2;
            g[i] += 1e-2 * w[i];
        }
        let step = solve(h, g);
        for i in 0..k {
            w[i] -= step[i];
        }
    }
    w
}

/// Gaussian elimination with partial pivoting.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for c in 0..n {
        let p = (c..n).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs())).unwrap_or(c);
        a.swap(c, p);
        b.swap(c, p);
        if a[c][c].abs() < 1e-12 {
            continue;
        }
        for r in c + 1..n {
            let f = a[r][c] / a[c][c];
            for k in c..n {
                a[r][k] -= f * a[c][k];
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|k| a[r][k] * x[k]).sum();
        x[r] = if a[r][r].abs() < 1e-12 { 0.0 } else { (b[r] - s) / a[r][r] };
    }
    x
}

/// A confidence from fitted coefficients, capped as `confidence::of` caps.
fn fitted_confidence(w: &[f64], o: &Outcome, fused: bool) -> f32 {
    let x = inputs(o, fused);
    let z: f64 = w[w.len() - 1] + x.iter().zip(w).map(|(a, b)| a * b).sum::<f64>();
    let p = (1.0 / (1.0 + (-z).exp())) as f32;
    if o.signals.mismatch {
        p.min(confidence::CAP)
    } else {
        p
    }
}

/// A curve's inputs for one outcome (the order of `FUSED` / `LEXICAL`).
fn inputs(o: &Outcome, fused: bool) -> Vec<f64> {
    if fused {
        confidence::features(&o.signals).iter().map(|v| *v as f64).collect()
    } else {
        confidence::lexical_features(&o.signals).iter().map(|v| *v as f64).collect()
    }
}

fn fit_rows(outcomes: &[&Outcome], fused: bool) -> Vec<(Vec<f64>, bool)> {
    outcomes
        .iter()
        .filter(|o| !o.signals.mismatch)
        .map(|o| {
            (inputs(o, fused), o.answerable && o.top1)
        })
        .collect()
}

/// One line per query of `outcomes` (see `--signals`).
fn write_signals(out: &mut impl std::io::Write, label: &str, outcomes: &[Outcome]) {
    for o in outcomes {
        let g = &o.signals;
        let fields = [o.answerable as u8 as f32, o.top1 as u8 as f32, o.confidence, g.score, g.margin, g.meaning.unwrap_or(0.0), g.lexical, g.coverage, g.bm25_share, g.opposed as u8 as f32, g.substitution, g.mismatch as u8 as f32];
        let mut fields: Vec<String> = fields.iter().map(|v| v.to_string()).collect();
        fields.extend([&o.query, &o.suggested].map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")));
        writeln!(out, "{label}\t{}", fields.join("\t")).expect("--signals: writing failed");
    }
}

fn print_row(label: &str, f: &Figures, extra: &str) {
    println!(
        "{:<38} {:>4} {:>4} | {extra} {} / {}  {:>5} {:>6} {:>6}",
        label,
        f.n,
        f.none,
        pct(f.top1),
        pct(f.top3),
        pct(f.covered),
        pct(f.precision),
        pct(f.false_sure)
    );
}

/// A file the benchmark writes (`--signals`, `--dump`, `--embed`), or a panic naming it.
fn create_output(path: &Path) -> std::io::BufWriter<std::fs::File> {
    std::io::BufWriter::new(std::fs::File::create(path).unwrap_or_else(|e| panic!("{}: cannot create it: {e}", path.display())))
}

/// The model, which `flag` needs, or a panic saying why it is absent.
fn needed_model<'a>(meaning: &'a Meaning, flag: &str) -> &'a Embedder {
    meaning.embedder().map(|e| e.as_ref()).unwrap_or_else(|| panic!("{flag} needs the model: {}", meaning.absent_reason().unwrap_or("")))
}

/// `--embed IN OUT`: each non-empty line of IN embedded as a question, one JSON object
/// `{"text": …, "vector": […]}` per line of OUT.
fn embed_file(input: &Path, output: &Path) {
    use std::io::Write;
    let meaning = Meaning::locate_and_load();
    let embedder = needed_model(&meaning, "--embed");
    let text = std::fs::read_to_string(input).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let vectors = embedder.embed_questions(&lines).expect("embedding failed");
    let mut out = create_output(output);
    for (line, v) in lines.iter().zip(&vectors) {
        writeln!(out, "{}", serde_json::json!({"text": line, "vector": v.to_vec()})).expect("writing failed");
    }
    println!("{} lines embedded into {}", lines.len(), output.display());
}

/// `--dump FILE`: one JSON object per set: its label, library texts and vectors, and each query
/// with its vector and true matches (empty for a `none` query).
fn dump_sets(sets: &[Loaded], meaning: &Meaning, output: &Path) {
    use std::io::Write;
    let embedder = needed_model(meaning, "--dump");
    let mut out = create_output(output);
    for set in sets {
        let lib = embedder.embed_questions(&set.texts.iter().map(String::as_str).collect::<Vec<_>>()).expect("embed library");
        let queries: Vec<&str> = set.truth.keys().map(String::as_str).collect();
        let qv = embedder.embed_questions(&queries).expect("embed queries");
        let json = serde_json::json!({
            "label": set.label,
            "library": set.texts.iter().zip(&lib).map(|(t, v)| serde_json::json!({"text": t, "vector": v.to_vec()})).collect::<Vec<_>>(),
            "queries": queries.iter().zip(&qv).map(|(q, v)| serde_json::json!({"text": q, "vector": v.to_vec(), "want": set.truth[*q]})).collect::<Vec<_>>(),
        });
        writeln!(out, "{json}").expect("writing failed");
    }
    println!("{} sets written to {}", sets.len(), output.display());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let fit_wanted = args.iter().any(|a| a == "--fit");
    if let Some(w) = args.iter().position(|a| a == "--neg").and_then(|i| args.get(i + 1)).and_then(|w| w.parse().ok()) {
        let _ = NEGATIVE_WEIGHT.set(w);
    }
    // `-- --misses LABEL-PREFIX` prints the queries whose top suggestion is wrong.
    let misses = args.iter().position(|a| a == "--misses").and_then(|i| args.get(i + 1)).cloned();
    if let Some(i) = args.iter().position(|a| a == "--embed") {
        let (Some(input), Some(output)) = (args.get(i + 1), args.get(i + 2)) else {
            panic!("--embed IN OUT: two file names wanted");
        };
        embed_file(Path::new(input), Path::new(output));
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/matching");
    let questionnaires = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/questionnaires");
    if !dir.is_dir() {
        println!("SKIPPED accuracy benchmark: {} not found", dir.display());
        return;
    }
    let thesaurus = Thesaurus::embedded().expect("thesaurus");
    let meaning = Meaning::locate_and_load();
    if let Some(reason) = meaning.absent_reason() {
        println!("NOTE: {reason}\n(only the words-only columns are measured)");
    }

    let mut sets: Vec<Loaded> = Vec::new();
    for set in SETS {
        match load(&dir, set) {
            Ok(x) => sets.push(x),
            Err(e) => println!("{:<38} SKIPPED: {e}", set.label),
        }
    }
    match questions_by_ref(&questionnaires.join("caiq-v4.0.3.xlsx")) {
        Ok(caiq) => {
            for (file, label) in [("hecvat-4.1.4_x_caiq-v4.0.3-paraphrase.csv", "HECVAT 4.1.4→CAIQ paraphrase"), ("vsaq_x_caiq-v4.0.3-paraphrase.csv", "VSAQ→CAIQ paraphrase")] {
                match load_paraphrase(&dir, file, label, &caiq) {
                    Ok(x) => sets.push(x),
                    Err(e) => println!("{label:<38} SKIPPED: {e}"),
                }
            }
        }
        Err(e) => println!("paraphrase sets SKIPPED: CAIQ v4.0.3 not readable ({e})"),
    }
    match load_rewordings() {
        Ok(x) => sets.push(x),
        Err(e) => println!("rewording set SKIPPED: {e}"),
    }
    match load_near_misses(&questionnaires) {
        Ok(x) => sets.push(x),
        Err(e) => println!("near-miss set SKIPPED: {e}"),
    }

    if let Some(file) = args.iter().position(|a| a == "--dump").and_then(|i| args.get(i + 1)) {
        dump_sets(&sets, &meaning, Path::new(file));
        return;
    }
    println!("\nsuggestion accuracy; n = queries with a true match, none = queries without one (must not get ≥ 0.8)");
    println!("columns: top-1 / top-3, then share of n answered at confidence ≥ 0.8, precision there, share of none at ≥ 0.8");
    println!("lexical curve {LEXICAL:?}\nfused curve   {FUSED:?}\n");
    println!("{:<38} {:>4} {:>4} | {:<11} {:<11}  {:>5} {:>6} {:>6}", "pair set / method", "n", "none", "", "t1 / t3", "≥0.8", "prec", "none≥.8");
    // `-- --signals FILE` writes every fused top suggestion's signals (tab-separated, with a
    // header) for calibration work outside the benchmark; without the model, the words-only ones.
    let mut signals_out = args.iter().position(|a| a == "--signals").and_then(|i| args.get(i + 1)).map(|f| {
        let mut out = create_output(Path::new(f));
        use std::io::Write;
        writeln!(out, "set\tanswerable\ttop1\tconfidence\tscore\tmargin\tcosine\tlexical\tcoverage\tbm25_share\topposed\tsubstitution\tmismatch\tquery\tsuggested").expect("--signals");
        out
    });
    let mut lexical_all: Vec<(String, Vec<Outcome>)> = Vec::new();
    let mut fused_all: Vec<(String, Vec<Outcome>)> = Vec::new();
    for set in &sets {
        let show = misses.as_deref().is_some_and(|m| set.label.starts_with(m));
        let (b1, b3) = bm25_baseline(&set.texts, &set.truth);
        println!("{}", set.label);
        let bm = Figures { n: set.truth.values().filter(|w| !w.is_empty()).count(), none: set.truth.values().filter(|w| w.is_empty()).count(), top1: b1, top3: b3, covered: f64::NAN, precision: f64::NAN, false_sure: f64::NAN };
        print_row("  BM25 (SQLite FTS5)", &bm, "          ");
        let lexical = run_quire(&Suggester::new(corpus(&set.texts), &thesaurus), set, show && meaning.embedder().is_none());
        if let (Some(out), None) = (signals_out.as_mut(), meaning.embedder()) {
            write_signals(out, &set.label, &lexical);
        }
        print_row("  Quire, words only", &figures(&lexical, |o| o.confidence), "          ");
        if let Some(embedder) = meaning.embedder() {
            let (d1, d3) = run_dense(embedder, set);
            print_row("  meaning only (cosine)", &Figures { top1: d1, top3: d3, covered: f64::NAN, precision: f64::NAN, false_sure: f64::NAN, ..bm }, "          ");
            let s = Suggester::new_with(corpus(&set.texts), &thesaurus, meaning.clone()).expect("embed library");
            let fused = run_quire(&s, set, show);
            if let Some(out) = signals_out.as_mut() {
                write_signals(out, &set.label, &fused);
            }
            print_row("  Quire, fused (with the model)", &figures(&fused, |o| o.confidence), "          ");
            fused_all.push((set.label.clone(), fused));
        }
        lexical_all.push((set.label.clone(), lexical));
    }

    let calibration = |name: &str, all: &[(String, Vec<Outcome>)]| {
        let pooled: Vec<&Outcome> = all.iter().filter(|(l, _)| !l.ends_with("all rows")).flat_map(|(_, o)| o.iter()).collect();
        println!("\ncalibration, {name}, all sets pooled (top suggestion right, by confidence band):");
        for (lo, hi) in [(0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 0.9), (0.9, 1.01)] {
            let band: Vec<&&Outcome> = pooled.iter().filter(|o| o.confidence >= lo && o.confidence < hi).collect();
            let right = band.iter().filter(|o| o.answerable && o.top1).count();
            println!("  [{lo:.1}, {:.1})  {:>5} queries, {:>5} right", hi.min(1.0), band.len(), if band.is_empty() { "–".into() } else { pct(right as f64 / band.len() as f64) });
        }
    };
    // What the decisive-qualifier veto costs: right top suggestions it capped.
    for (name, all) in [("words only", &lexical_all), ("fused", &fused_all)] {
        let right: Vec<&Outcome> = all.iter().filter(|(l, _)| !l.ends_with("all rows")).flat_map(|(_, o)| o.iter()).filter(|o| o.answerable && o.top1).collect();
        let vetoed = right.iter().filter(|o| o.signals.mismatch).count();
        if !right.is_empty() {
            println!("\nqualifier veto, {name}: fired on {vetoed} of {} right top suggestions ({})", right.len(), pct(vetoed as f64 / right.len() as f64));
        }
    }
    calibration("words only", &lexical_all);
    if !fused_all.is_empty() {
        calibration("fused", &fused_all);
    }
    if args.iter().any(|a| a == "--tune") && meaning.embedder().is_some() {
        tune(&sets, &meaning, &thesaurus);
    }
    if !fit_wanted {
        return;
    }
    for (name, all, fused) in [("words only", &lexical_all, false), ("fused", &fused_all, true)] {
        if all.is_empty() {
            continue;
        }
        let pooled: Vec<&Outcome> = all.iter().filter(|(l, _)| !l.ends_with("all rows")).flat_map(|(_, o)| o.iter()).collect();
        let w = fit(&fit_rows(&pooled, fused), negative_weight());
        println!("\nfitted {name} coefficients (last = intercept): [{}]", w.iter().map(|x| format!("{x:.4}")).collect::<Vec<_>>().join(", "));
        println!("  {:<36} {:>16} | {:>23}", "", "fitted on all", "fitted without this set");
        for (label, outcomes) in all.iter() {
            let f = figures(outcomes, |o| fitted_confidence(&w, o, fused));
            let others: Vec<&Outcome> = all.iter().filter(|(l, _)| l != label && !l.ends_with("all rows")).flat_map(|(_, o)| o.iter()).collect();
            let wo = fit(&fit_rows(&others, fused), negative_weight());
            let g = figures(outcomes, |o| fitted_confidence(&wo, o, fused));
            println!(
                "  {:<36} ≥0.8 {} prec {} none {} | ≥0.8 {} prec {} none {}",
                label,
                pct(f.covered),
                pct(f.precision),
                pct(f.false_sure),
                pct(g.covered),
                pct(g.precision),
                pct(g.false_sure)
            );
        }
    }
}
