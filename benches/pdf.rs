//! PDF benchmark: reading a generated 100-page flat PDF (`read_questionnaire`: lopdf parse,
//! positioned text of every page, numbered questions on 50 pages and a 50-page question table
//! continued across pages), and writing its response document (.docx + .xlsx) with every
//! question answered. Median of several runs.
//!
//!     cargo bench --bench pdf                 (figures recorded in docs/benchmarks.md)
//!
//! With `QUIRE_BENCH_PDF=path.pdf` it also times reading that file (for example the same PDF
//! read by another tool, to compare on the same machine).

use lopdf::{dictionary, Document, Object, Stream};
use quire::fill::{fill_workbook, FillOptions};
use quire::review::{Review, ReviewStatus, ReviewedQuestion};
use quire::sheet::read_questionnaire;
use std::path::Path;
use std::time::Instant;

const RUNS: usize = 7;
const PAGES: usize = 100;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn esc(t: &str) -> String {
    t.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)")
}

const TOPICS: &[&str] = &["encryption of customer data at rest", "multi-factor authentication for administrators", "vulnerability scanning of internet-facing systems", "incident response and customer notification", "backup restores and their testing", "quarterly access reviews", "security awareness training for all staff", "central logging and monitoring with alerting"];

/// Pages 1–50: numbered questions, two lines each; pages 51–100: a table (Ref | Question |
/// Answer | Comments) whose header is on page 51 only.
fn write_pdf(path: &Path) -> usize {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" });
    let mut kids = Vec::new();
    let mut n = 0;
    for page in 0..PAGES {
        let mut c = String::new();
        let mut show = |x: i64, y: i64, t: &str| c.push_str(&format!("BT /F1 10 Tf {x} {y} Td ({}) Tj ET\n", esc(t)));
        show(72, 770, "Vendor Security Assessment - Confidential");
        if page < PAGES / 2 {
            show(72, 740, &format!("{}. Section {}", page + 1, page + 1));
            for i in 0..10 {
                n += 1;
                let y = 715 - i as i64 * 62;
                let topic = TOPICS[n % TOPICS.len()];
                show(72, y, &format!("{}.{} Do you have a documented and approved process for {topic},", page + 1, i + 1));
                show(90, y - 12, &format!("reviewed at least annually by management (control {n:04})?"));
            }
        } else {
            let mut y = 740;
            if page == PAGES / 2 {
                for (x, h) in [(72, "Ref"), (140, "Question"), (400, "Answer"), (470, "Comments")] {
                    show(x, y, h);
                }
                y -= 20;
            }
            for _ in 0..16 {
                n += 1;
                let topic = TOPICS[n % TOPICS.len()];
                show(72, y, &format!("SEC-{n:04}"));
                show(140, y, &format!("Is {topic} in place"));
                show(140, y - 12, &format!("for system {n}?"));
                y -= 40;
            }
        }
        show(300, 40, &format!("Page {} of {PAGES}", page + 1));
        let content = doc.add_object(Stream::new(dictionary! {}, c.into_bytes()).with_compression(true));
        let p = doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content, "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } }, "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()] });
        kids.push(Object::from(p));
    }
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => PAGES as i64 }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc.compress();
    doc.save(path).expect("write the PDF");
    n
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("assessment-100-pages.pdf");
    let n = write_pdf(&path);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let mut reads = Vec::new();
    let mut q = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        q = Some(read_questionnaire(&path).expect("read"));
        reads.push(t.elapsed().as_secs_f64());
    }
    let q = q.expect("read once");
    assert_eq!(q.question_count(), n, "every generated question is found");
    println!("read a {PAGES}-page flat PDF ({} KB, {n} questions: 500 numbered, {} in a table continued over 50 pages): median {:.0} ms", size / 1024, n - 500, median(reads) * 1000.0);
    let review = Review {
        questionnaire: q.file.clone(),
        questions: q
            .questions()
            .enumerate()
            .map(|(i, x)| ReviewedQuestion { question: x.clone(), answer: Some(["Yes", "No", "N/A"][i % 3].into()), comment: Some(format!("Policy SEC-{i:04}.")), status: ReviewStatus::Reviewed, confidence: None, source: None, evidence: Vec::new(), alternatives: Vec::new(), changed_by: None, changed_at: None })
            .collect(),
    };
    let mut fills = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        fill_workbook(&q, &review, &dir.path().join("out.docx"), &FillOptions::default()).expect("fill");
        fills.push(t.elapsed().as_secs_f64());
    }
    println!("write its response document (.docx + .xlsx, {n} answers and comments): median {:.0} ms", median(fills) * 1000.0);
    if let Some(other) = std::env::var_os("QUIRE_BENCH_PDF") {
        let t = Instant::now();
        let q = read_questionnaire(Path::new(&other)).expect("read QUIRE_BENCH_PDF");
        println!("read {}: {} questions in {:.0} ms", Path::new(&other).display(), q.question_count(), t.elapsed().as_secs_f64() * 1000.0);
    }
    if let Ok(keep) = std::env::var("QUIRE_BENCH_KEEP") {
        let _ = std::fs::copy(&path, keep);
    }
}
