//! Reports end to end on a review built by hand (300 questions over six sections, long and
//! Unicode texts, every status, evidence): the PDF summary read back with poppler's pdftotext
//! (counts, sections, page numbers, nothing past the margins) and rendered with pdftoppm, and the
//! clean answers workbook read back with calamine.

use calamine::{open_workbook, Data, Reader, Xlsx};
use quire::report::{export_answers_xlsx, summary_pdf, PageSize, SummaryOptions, ANSWER_COLUMNS};
use quire::review::{Review, ReviewStatus, ReviewedQuestion};
use quire::sheet::model::Question;
use std::io::Read;
use std::path::Path;
use std::process::Command;

const SECTIONS: [(&str, &str, usize); 6] = [
    ("Controls", "Access Control", 60),
    ("Controls", "Data Protection", 50),
    ("Controls", "Zürich Operations – 東京", 40),
    ("Controls", "Incident Response", 50),
    ("Vendor Info", "", 50),
    ("Continuity", "Business Continuity", 50),
];
const FORMULA: &str = "=cmd|' /C calc'!A0";
const EVIDENCE: [&str; 4] =
    ["SOC 2 Type II report (2025)", "Information Security Policy v4", "ISO 27001 certificate — Zürich", "Pen test summary 東京"];

/// 300 questions; i % 10 in 0..4 answered by a person (120), 4..6 suggested (60), 6..10 blank (120).
fn review() -> Review {
    let mut questions = Vec::new();
    let mut i = 0usize;
    for (sheet, domain, n) in SECTIONS {
        for k in 0..n {
            let status = match i % 10 {
                0 => ReviewStatus::Approved,
                1 => ReviewStatus::Reviewed,
                2 | 3 => ReviewStatus::Draft,
                4 | 5 => ReviewStatus::Suggested,
                _ => ReviewStatus::Blank,
            };
            let text = match i % 7 {
                0 => format!("Q{i}: Do you maintain a documented and approved policy? ").repeat(12),
                1 => format!("Q{i}: Is data of customers in Zürich and 東京 encrypted (ﺍﻟﻌﺮﺑﻴﺔ, 😀)?"),
                2 => format!("Q{i}: See https://example.com/{}", "very-long-path-segment".repeat(30)),
                _ => format!("Q{i}: Are access rights reviewed at least quarterly?"),
            };
            let answered = status != ReviewStatus::Blank;
            let confidence = match (status, i % 4) {
                (ReviewStatus::Blank, _) => None,
                (_, 0) => Some(0.55),
                (_, 1) => None,
                _ => Some(0.92),
            };
            questions.push(ReviewedQuestion {
                question: Question {
                    sheet: sheet.into(),
                    row: k + 5,
                    reference: format!("{}-{:02}", &domain.chars().take(3).collect::<String>().to_uppercase(), k + 1),
                    text,
                    domain: domain.into(),
                    answer: String::new(),
                    answer_kind: None,
                    comment: String::new(),
                    answer_cell: Some(format!("C{}", k + 5)),
                    choice_cells: Vec::new(),
                    comment_cell: None,
                },
                answer: answered.then(|| if i == 4 { FORMULA.to_string() } else { ["Yes", "No", "N/A", "Partial"][i % 4].to_string() }),
                comment: answered.then(|| format!("Comment for {i}: reviewed by the security team in Zürich.")),
                status,
                confidence,
                source: answered.then(|| format!("library entry {i}: vendor-2025.xlsx, Sheet1 row {}", i + 2)),
                evidence: if answered { vec![EVIDENCE[i % 4].to_string(), EVIDENCE[0].to_string()] } else { Vec::new() }, alternatives: Vec::new(), changed_by: None, changed_at: None,
            });
            i += 1;
        }
    }
    Review { questionnaire: "Acme SaaS security questionnaire 2026 (Zürich).xlsx".into(), questions }
}

/// With QUIRE_KEEP_REPORTS=DIR, the files made are copied there to be looked at.
fn keep(path: &Path) {
    if let Some(dir) = std::env::var_os("QUIRE_KEEP_REPORTS") {
        let _ = std::fs::copy(path, Path::new(&dir).join(path.file_name().unwrap()));
    }
}

fn has(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn summary_pdf_has_counts_sections_and_page_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("summary.pdf");
    let review = review();
    summary_pdf(&review, &out, &SummaryOptions::default()).unwrap();
    keep(&out);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    // The font is subset: a summary is far smaller than the 1.4 MB of the two embedded faces.
    assert!(bytes.len() < 400_000, "summary is {} bytes", bytes.len());

    if !has("pdftotext") {
        eprintln!("SKIPPED: pdftotext not on PATH (install poppler-utils); only checked that the PDF was written");
        return;
    }
    let txt = dir.path().join("summary.txt");
    let st = Command::new("pdftotext").arg("-enc").arg("UTF-8").arg(&out).arg(&txt).status().unwrap();
    assert!(st.success());
    let raw = std::fs::read_to_string(&txt).unwrap();
    let text = squash(&raw);
    for expected in [
        "QUESTIONNAIRE SUMMARY",
        "Acme SaaS security questionnaire 2026 (Zürich).xlsx",
        "300 questions in 6 sections",
        "Answered 120 (40%)",
        "Suggested, not reviewed 60 (20%)",
        "Blank 120 (40%)",
        "By section",
        "Access Control",
        "Data Protection",
        "Zürich Operations",
        "Incident Response",
        "Vendor Info",
        "Business Continuity",
        "Low-confidence answers",
        "Unanswered questions (120)",
        "Evidence referenced (4)",
        "SOC 2 Type II report (2025)",
        "Information Security Policy v4",
        "Page 1 of",
    ] {
        assert!(text.contains(expected), "{expected:?} not in the PDF text:\n{}", &raw[..raw.len().min(3000)]);
    }
    let pages = raw.matches('\u{c}').count();
    assert!(pages >= 5, "{pages} pages");
    assert!(text.contains(&format!("Page {pages} of {pages}")), "last page number missing");
    for p in 1..=pages {
        assert!(text.contains(&format!("Page {p} of {pages}")), "page {p} has no number");
    }
    // Every blank question is listed: their refs all appear (e.g. Vendor Info has no domain and
    // is referenced by the sheet name, refs start with the empty domain's "-").
    assert!(text.contains("ACC-07"), "an unanswered Access Control question is listed");

    // Nothing is drawn past the margins: word boxes from pdftotext -bbox.
    let bbox = dir.path().join("bbox.html");
    assert!(Command::new("pdftotext").arg("-bbox").arg(&out).arg(&bbox).status().unwrap().success());
    let html = std::fs::read_to_string(&bbox).unwrap();
    let attr = |s: &str, name: &str| -> f32 {
        let key = format!("{name}=\"");
        let start = s.find(&key).unwrap() + key.len();
        s[start..].split('"').next().unwrap().parse().unwrap()
    };
    let page_width = attr(html.split("<page ").nth(1).unwrap(), "width");
    let mut words = 0;
    for w in html.split("<word ").skip(1) {
        let (x_min, x_max) = (attr(w, "xMin"), attr(w, "xMax"));
        assert!(x_min >= 47.0 && x_max <= page_width - 47.0, "word outside the margins: {}", &w[..w.len().min(200)]);
        words += 1;
    }
    assert!(words > 1000, "{words} words");

    if has("pdftoppm") {
        let prefix = dir.path().join("page");
        let st = Command::new("pdftoppm").args(["-png", "-r", "40", "-f", "1", "-l", "1"]).arg(&out).arg(&prefix).status().unwrap();
        assert!(st.success());
        let png = std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()).find(|e| e.file_name().to_string_lossy().ends_with(".png"));
        let png = png.expect("page 1 rendered");
        assert!(png.metadata().unwrap().len() > 1000);
    } else {
        eprintln!("SKIPPED: pdftoppm not on PATH; page 1 not rendered");
    }
}

#[test]
fn summary_pdf_takes_any_text_and_page_size() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = review();
    r.questionnaire = "東京 ﺍﻟﻌﺮﺑﻴﺔ 😀\u{0}\t".repeat(20);
    r.questions[3].question.text = "x".repeat(100_000);
    r.questions[5].evidence = vec!["\u{202E}".repeat(10), "😀".repeat(300)];
    let out = dir.path().join("letter.pdf");
    let opts = SummaryOptions { page_size: PageSize::Letter, low_confidence: 0.95, ..Default::default() };
    summary_pdf(&r, &out, &opts).unwrap();
    keep(&out);
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));

    let empty = Review { questionnaire: String::new(), questions: Vec::new() };
    let out = dir.path().join("empty.pdf");
    summary_pdf(&empty, &out, &SummaryOptions::default()).unwrap();
    if has("pdftotext") {
        let o = Command::new("pdftotext").arg(&out).arg("-").output().unwrap();
        let text = squash(&String::from_utf8_lossy(&o.stdout));
        assert!(text.contains("Page 1 of 1") && text.contains("Untitled questionnaire"), "{text}");
    }

    // A folder that does not exist: an error that says so, nothing written.
    let err = summary_pdf(&empty, &dir.path().join("missing/summary.pdf"), &SummaryOptions::default()).unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
}

fn cell(range: &calamine::Range<Data>, r: usize, c: usize) -> Data {
    range.get((r, c)).cloned().unwrap_or(Data::Empty)
}

#[test]
fn clean_export_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("answers.xlsx");
    let review = review();
    export_answers_xlsx(&review, &out).unwrap();
    keep(&out);

    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), ["Answers", "Summary"]);
    let answers = wb.worksheet_range("Answers").unwrap();
    assert_eq!(answers.height(), 301);
    let headers: Vec<String> = (0..ANSWER_COLUMNS.len()).map(|c| cell(&answers, 0, c).to_string()).collect();
    assert_eq!(
        headers,
        ["Sheet", "Row", "Question ref", "Section", "Question", "Answer", "Comment", "Status", "Confidence", "Source", "Evidence"]
    );
    // Row 1: question 0, approved "Yes" at 55% with two evidence titles.
    assert_eq!(cell(&answers, 1, 0), Data::String("Controls".into()));
    assert_eq!(cell(&answers, 1, 1), Data::Float(5.0));
    assert_eq!(cell(&answers, 1, 2), Data::String("ACC-01".into()));
    assert_eq!(cell(&answers, 1, 3), Data::String("Access Control".into()));
    assert_eq!(cell(&answers, 1, 5), Data::String("Yes".into()));
    assert_eq!(cell(&answers, 1, 7), Data::String("Approved".into()));
    assert!(matches!(cell(&answers, 1, 8), Data::Float(f) if (f - 0.55).abs() < 1e-6));
    assert_eq!(cell(&answers, 1, 10), Data::String(format!("{}; {}", EVIDENCE[0], EVIDENCE[0])));
    // The formula-looking answer stays a string.
    assert_eq!(cell(&answers, 5, 5), Data::String(FORMULA.into()));
    // A blank question: no answer, status Blank, no confidence. Vendor Info's section is its sheet.
    assert_eq!(cell(&answers, 7, 5), Data::Empty);
    assert_eq!(cell(&answers, 7, 7), Data::String("Blank".into()));
    assert_eq!(cell(&answers, 7, 8), Data::Empty);
    assert_eq!(cell(&answers, 201, 3), Data::String("Vendor Info".into()));
    assert!(cell(&answers, 2, 4).to_string().contains("東京"));
    let formulas = wb.worksheet_formula("Answers").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no cell is a formula");

    let summary = wb.worksheet_range("Summary").unwrap();
    assert_eq!(cell(&summary, 1, 0), Data::String("All sections".into()));
    let nums: Vec<Data> = (1..5).map(|c| cell(&summary, 1, c)).collect();
    assert_eq!(nums, [Data::Float(300.0), Data::Float(120.0), Data::Float(60.0), Data::Float(120.0)]);
    let sections: Vec<String> = (2..8).map(|r| cell(&summary, r, 0).to_string()).collect();
    assert_eq!(
        sections,
        ["Access Control", "Data Protection", "Zürich Operations – 東京", "Incident Response", "Vendor Info", "Business Continuity"]
    );
    assert_eq!(cell(&summary, 2, 1), Data::Float(60.0));
    assert_eq!(cell(&summary, 2, 2), Data::Float(24.0));

    // The Answer column offers Yes/No/N/A/Partial but accepts other text (information style).
    let xml = sheet_xml(&out, "xl/worksheets/sheet1.xml");
    assert!(xml.contains("type=\"list\"") && xml.contains("errorStyle=\"information\""), "{}", &xml[xml.len().saturating_sub(1500)..]);
    assert!(xml.contains("sqref=\"F2:F301\""));
    assert!(xml.contains("\"Yes,No,N/A,Partial\""));
    assert!(xml.contains("<pane ySplit=\"1\"") && xml.contains("<autoFilter ref=\"A1:K301\""));
}

fn sheet_xml(path: &Path, part: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(part).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn clean_export_of_nothing_and_of_huge_cells() {
    let dir = tempfile::tempdir().unwrap();
    let empty = Review { questionnaire: "empty.xlsx".into(), questions: Vec::new() };
    let out = dir.path().join("empty.xlsx");
    export_answers_xlsx(&empty, &out).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(wb.worksheet_range("Answers").unwrap().height(), 1);

    let mut r = review();
    r.questions.truncate(3);
    r.questions[0].question.text = "y".repeat(40_000);
    r.questions[1].comment = Some("\u{0}\u{1}control\u{7}".into());
    r.questions[2].confidence = Some(f32::NAN);
    let out = dir.path().join("huge.xlsx");
    export_answers_xlsx(&r, &out).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let answers = wb.worksheet_range("Answers").unwrap();
    assert_eq!(cell(&answers, 1, 4).to_string().chars().count(), 32_767);
    assert_eq!(cell(&answers, 3, 8), Data::Empty);
}

#[test]
fn summary_of_a_large_questionnaire_paginates() {
    // 3,000 questions (SIG-sized and beyond): every list paginates; it takes well under a second
    // with optimised dependencies.
    let mut r = review();
    let base = r.questions.clone();
    for n in 1..10 {
        r.questions.extend(base.iter().cloned().map(|mut q| {
            q.question.row += n * 1000;
            q
        }));
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("large.pdf");
    let t = std::time::Instant::now();
    summary_pdf(&r, &out, &SummaryOptions::default()).unwrap();
    eprintln!("3000-question summary: {:?}, {} bytes", t.elapsed(), std::fs::metadata(&out).unwrap().len());
    if has("pdftotext") {
        let o = Command::new("pdftotext").arg(&out).arg("-").output().unwrap();
        let text = squash(&String::from_utf8_lossy(&o.stdout));
        assert!(text.contains("Answered 1200 (40%)") && text.contains("Unanswered questions (1200)"));
        let pages = o.stdout.iter().filter(|b| **b == 0x0c).count();
        assert!(pages > 50 && text.contains(&format!("Page {pages} of {pages}")), "{pages} pages");
    }
}
