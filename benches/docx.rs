//! Word benchmark: reading (`read_questionnaire`: unzip, parse word/document.xml, detect the
//! tables' columns and the numbered questions) and filling (`fill_workbook` on a .docx: every
//! question answered, document part spliced, every other entry copied raw, written atomically)
//! a generated 300-question .docx, and the real Word questionnaires in
//! ../shared/questionnaires/word when present. Median of several runs.
//!
//!     cargo bench --bench docx                (figures recorded in docs/benchmarks.md)

#[path = "../tests/common/docx.rs"]
#[allow(dead_code)]
mod docx;

use quire::fill::{fill_workbook, FillOptions};
use quire::review::{Review, ReviewStatus, ReviewedQuestion};
use quire::sheet::{read_questionnaire, Questionnaire};
use std::path::Path;
use std::time::Instant;

const RUNS: usize = 9;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Check-box places get Yes / No / N/A; text places a sentence.
fn answer_everything(q: &Questionnaire) -> Review {
    let questions = q
        .questions()
        .enumerate()
        .map(|(i, x)| ReviewedQuestion {
            question: x.clone(),
            answer: Some(["Yes", "No", "N/A"][i % 3].to_string()),
            comment: x.comment_cell.as_ref().map(|_| format!("Policy SEC-{i:04}, reviewed annually.")),
            status: ReviewStatus::Reviewed,
            confidence: None,
            source: None,
            evidence: Vec::new(),
            alternatives: Vec::new(),
            changed_by: None,
            changed_at: None,
        })
        .collect();
    Review { questionnaire: q.file.clone(), questions }
}

fn bench(path: &Path, out_dir: &Path) {
    let mut reads = Vec::new();
    let mut fills = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        let q = read_questionnaire(path).expect("read");
        reads.push(t.elapsed().as_secs_f64());
        let review = answer_everything(&q);
        let out = out_dir.join(format!("filled-{}", path.file_name().unwrap().to_string_lossy()));
        let _ = std::fs::remove_file(&out);
        let t = Instant::now();
        let r = fill_workbook(&q, &review, &out, &FillOptions::default()).expect("fill");
        fills.push(t.elapsed().as_secs_f64());
        last = Some((q.question_count(), r.written));
    }
    let (n, written) = last.unwrap_or_default();
    let kb = std::fs::metadata(path).map(|m| m.len() / 1024).unwrap_or(0);
    println!("| {} ({kb} KB) | {n} | {written} | {:.1} ms | {:.1} ms |", path.file_name().unwrap().to_string_lossy(), median(reads) * 1e3, median(fills) * 1e3);
}

fn main() {
    let dir = std::env::temp_dir().join(format!("quire-bench-docx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    println!("| document | questions | answers written | read (median) | fill (median) |");
    println!("|---|---|---|---|---|");
    let large = docx::large_tables(&dir, 300).expect("fixture");
    bench(&large.path, &dir);
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/questionnaires/word");
    if real.is_dir() {
        for name in ["caiq-lite-v3-octopus-answered-tables.docx", "hecvat-4.1.4-product-blank-table-checkboxes.docx", "hecvat-4.1.4-organization-blank-numbered.docx"] {
            bench(&real.join(name), &dir);
        }
    } else {
        println!("SKIPPED: {} is absent", real.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
