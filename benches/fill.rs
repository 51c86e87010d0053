//! Fill benchmark: wall time of `fill_workbook` (open the package, map dropdowns, rewrite the
//! answer cells, copy every other part raw, write atomically) with every question answered, on
//! the real HECVAT 4.1.4 (skipped with a notice when ../shared/questionnaires is absent) and on
//! generated workbooks of 5,000 and 50,000 question rows. Median of several runs; reading the
//! questionnaire is timed separately. Reference named in the issue: openpyxl load + save of
//! hecvat-4.1.4.xlsx takes 3.8 s on the 2-core test machine.
//!
//!     cargo bench --bench fill                (figures recorded in docs/benchmarks.md)

#[path = "../tests/common/fixtures/mod.rs"]
#[allow(dead_code)]
mod fixtures;

use quire::fill::{fill_workbook, FillOptions};
use quire::review::{Review, ReviewStatus, ReviewedQuestion};
use quire::sheet::{read_questionnaire, Questionnaire};
use std::path::Path;
use std::time::Instant;

const RUNS: usize = 7;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Every question answered Yes / No / N/A in turn, with a comment.
fn answer_everything(q: &Questionnaire) -> Review {
    let questions = q
        .questions()
        .enumerate()
        .map(|(i, x)| ReviewedQuestion {
            question: x.clone(),
            answer: Some(["Yes", "No", "N/A"][i % 3].to_string()),
            comment: Some(format!("Policy SEC-{i:04}, reviewed annually.")),
            status: ReviewStatus::Reviewed,
            confidence: None,
            source: None,
            evidence: Vec::new(), alternatives: Vec::new(), changed_by: None, changed_at: None,
        })
        .collect();
    Review { questionnaire: q.file.clone(), questions }
}

fn bench(label: &str, path: &Path, out_dir: &Path) {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let read: Vec<f64> = (0..3)
        .map(|_| {
            let t = Instant::now();
            read_questionnaire(path).expect("read");
            t.elapsed().as_secs_f64()
        })
        .collect();
    let q = read_questionnaire(path).expect("read");
    let review = answer_everything(&q);
    let opts = FillOptions { overwrite_answered: true };
    let out = out_dir.join("filled.xlsx");
    let mut last = None;
    let fill: Vec<f64> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            last = Some(fill_workbook(&q, &review, &out, &opts).expect("fill"));
            t.elapsed().as_secs_f64()
        })
        .collect();
    let report = last.expect("at least one run");
    let (r, f) = (median(read), median(fill));
    println!(
        "{label:<34} {:>7.2} MB {:>6} questions  read {:>7.3} s  fill {:>7.3} s  ({} answers, {} comments written, {} skipped)",
        size as f64 / 1e6,
        q.question_count(),
        r,
        f,
        report.written,
        report.comments_written,
        report.skipped.len()
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    println!("fill_workbook, median of {RUNS} runs (read: median of 3)");
    let hecvat = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/questionnaires/hecvat-4.1.4.xlsx");
    if hecvat.is_file() {
        bench("hecvat-4.1.4.xlsx", &hecvat, dir.path());
        println!("{:<34} reference: openpyxl load + save of hecvat-4.1.4.xlsx, 3.8 s", "");
    } else {
        println!("SKIPPED hecvat-4.1.4.xlsx: ../shared/questionnaires not found");
    }
    for rows in [5_000, 50_000] {
        let path = fixtures::large(dir.path().join("in"), rows).expect("generate large workbook");
        bench(&format!("generated, {rows} rows"), &path, dir.path());
    }
}
