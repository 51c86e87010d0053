//! The outputs of a vendor assessment end to end: the sample answered questionnaire (Northwind
//! Health Cloud, written by `quire::samples`) assessed by the real pipeline, then the risk PDF read
//! back with lopdf and poppler's pdftotext (vendor, tiers, domains, findings, HIPAA coverage,
//! page numbers, nothing past the margins) and the follow-up workbook read back with calamine.
//! Also: hostile text everywhere (no panic, nothing past the margins), an assessment with nothing
//! scored, and the real HECVAT 3 questionnaire from ../shared when it is there.
//!
//! With QUIRE_KEEP_REPORTS=DIR the files made are copied there to be looked at.

use calamine::{open_workbook, Data, Reader, Xlsx};
use quire::assess::score::Outcome;
use quire::assess::vendor::{Baa, BaaStatus, Certification, Connectivity, Hosting, Intake, Level, PhiActivities, Vendor, Warning};
use quire::assess::{Assessment, Assessor};
use quire::report::risk::{FINDINGS_SHEETS, FINDING_COLUMNS};
use quire::report::{findings_xlsx, risk_pdf, risk_pdf_bytes, risk_pdf_sized, PageSize};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use time::macros::date;
use time::Date;

const TODAY: Date = date!(2026 - 03 - 02);

fn vendor() -> Vendor {
    let mut v = Vendor::new("Northwind Health Cloud");
    v.service = "Cloud patient-engagement portal and analytics".into();
    v.phi = PhiActivities::parse("receive,maintain,transmit").unwrap();
    v.baa = Baa { status: BaaStatus::Signed, signed: Some("2024-04-01".into()), expires: Some("2026-04-15".into()) };
    v.certifications = vec![
        Certification { kind: "SOC 2 Type II".into(), period_end: Some("2025-06-30".into()), expires: Some("2026-06-30".into()) },
        Certification { kind: "ISO 27017".into(), period_end: None, expires: Some("2025-12-31".into()) },
        Certification { kind: "HITRUST r2".into(), period_end: Some("2024-09-30".into()), expires: None },
    ];
    v.intake = Intake { phi_volume: Level::High, criticality: Level::High, connectivity: Connectivity::Integration, hosting: Hosting::Saas };
    v
}

fn sample_questionnaire(dir: &Path) -> quire::sheet::Questionnaire {
    let paths = quire::samples::write_samples(dir).unwrap();
    let answered = paths.iter().find(|p| p.ends_with("northwind-answered-2025.xlsx")).unwrap();
    quire::sheet::read_questionnaire(answered).unwrap()
}

/// The sample assessed twice: a year ago, then today with some answers changed, so the report
/// has a "changes" section.
fn sample_assessment(dir: &Path) -> Assessment {
    let assessor = Assessor::new().unwrap();
    let mut q = sample_questionnaire(dir);
    let previous = assessor.assess(&q, &vendor(), None, None, date!(2025 - 03 - 01)).unwrap();
    for s in &mut q.sheets {
        for question in &mut s.questions {
            match question.reference.as_str() {
                "IAM-01" => question.answer = "No".into(),
                "DAT-08" => question.answer = "Yes".into(),
                "OPS-04" => {
                    question.answer = String::new();
                    question.comment = String::new();
                }
                _ => {}
            }
        }
    }
    assessor.assess(&q, &vendor(), None, Some(&previous), TODAY).unwrap()
}

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

/// The PDF's text by pdftotext, or `None` (with a notice) when poppler is not installed.
fn pdf_text(pdf: &Path) -> Option<String> {
    if !has("pdftotext") {
        eprintln!("SKIPPED: pdftotext not on PATH (install poppler-utils); the PDF's text was not checked");
        return None;
    }
    let o = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(pdf).arg("-").output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Some(String::from_utf8(o.stdout).unwrap())
}

/// Every word pdftotext finds lies within the page's margins.
fn assert_within_margins(pdf: &Path, dir: &Path) {
    if !has("pdftotext") {
        return;
    }
    let bbox = dir.join(format!("{}.bbox.html", pdf.file_stem().unwrap().to_string_lossy()));
    assert!(Command::new("pdftotext").arg("-bbox").arg(pdf).arg(&bbox).status().unwrap().success());
    let html = String::from_utf8_lossy(&std::fs::read(&bbox).unwrap()).into_owned();
    let attr = |s: &str, name: &str| -> f32 {
        let key = format!("{name}=\"");
        let start = s.find(&key).unwrap() + key.len();
        s[start..].split('"').next().unwrap().parse().unwrap()
    };
    let mut words = 0;
    for page in html.split("<page ").skip(1) {
        let (width, height) = (attr(page, "width"), attr(page, "height"));
        for w in page.split("<word ").skip(1) {
            let (x_min, x_max, y_min, y_max) = (attr(w, "xMin"), attr(w, "xMax"), attr(w, "yMin"), attr(w, "yMax"));
            assert!(x_min >= 47.0 && x_max <= width - 47.0, "word outside the margins: {}", &w[..w.len().min(200)]);
            assert!(y_min >= 40.0 && y_max <= height - 30.0, "word outside the page's top/bottom: {}", &w[..w.len().min(200)]);
            words += 1;
        }
    }
    assert!(words > 100, "{words} words");
}

/// Renders the pages with pdftoppm (when installed) and checks none is blank; returns the PNGs.
fn render(pdf: &Path, dir: &Path) -> Vec<PathBuf> {
    if !has("pdftoppm") {
        eprintln!("SKIPPED: pdftoppm not on PATH; pages not rendered");
        return Vec::new();
    }
    let prefix = dir.join(pdf.file_stem().unwrap());
    assert!(Command::new("pdftoppm").args(["-png", "-r", "60"]).arg(pdf).arg(&prefix).status().unwrap().success());
    let stem = pdf.file_stem().unwrap().to_string_lossy().to_string();
    let mut pngs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "png") && p.file_name().unwrap().to_string_lossy().starts_with(&format!("{stem}-")))
        .collect();
    pngs.sort();
    for p in &pngs {
        assert!(std::fs::metadata(p).unwrap().len() > 2000, "{} looks empty", p.display());
        keep(p);
    }
    pngs
}

fn page_count(bytes: &[u8]) -> usize {
    let doc = lopdf::Document::load_mem(bytes).expect("lopdf loads the PDF");
    doc.get_pages().len()
}

#[test]
fn risk_pdf_of_the_sample_assessment() {
    let dir = tempfile::tempdir().unwrap();
    let a = sample_assessment(dir.path());
    assert!(!a.scorecard.findings.is_empty(), "the sample has findings");
    assert!(a.changes.is_some());
    let out = dir.path().join("northwind-risk.pdf");
    risk_pdf(&a, &out).unwrap();
    keep(&out);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    assert!(bytes.len() < 400_000, "the fonts are subset: {} bytes", bytes.len());
    let pages = page_count(&bytes);
    eprintln!("sample risk report: {pages} pages, {} bytes", bytes.len());
    assert!(pages >= 3, "{pages} pages");
    // Dated by the assessment, not the clock: the same layout twice (printpdf draws a random
    // document /ID, so the bytes differ there only).
    let again = risk_pdf_bytes(&a).unwrap();
    assert!(again.len() == bytes.len() && again.starts_with(b"%PDF"), "{} vs {} bytes", again.len(), bytes.len());

    let Some(raw) = pdf_text(&out) else { return };
    let text = squash(&raw);
    let finding = &a.scorecard.findings.iter().max_by_key(|f| f.severity).unwrap().reference;
    let domain = a.scorecard.domains.iter().find(|d| d.score.is_some()).unwrap();
    for expected in [
        "VENDOR RISK ASSESSMENT",
        "Northwind Health Cloud",
        "Cloud patient-engagement portal and analytics",
        "northwind-answered-2025.xlsx",
        "Residual tier",
        "Inherent tier",
        "Domain scores",
        domain.title.as_str(),
        finding.as_str(),
        "164.312",
        "CLD.",
        "Changes since the previous assessment",
        "Paperwork warnings",
        "The BAA expires on 2026-04-15",
        "ISO 27017 expired on 2025-12-31",
        "Appendix: all answers",
        "IAM-01",
        "HR-02",
        "Page 1 of",
    ] {
        assert!(text.contains(expected), "{expected:?} not in the PDF text:\n{}", &raw[..raw.len().min(4000)]);
    }
    let overall = format!("{:.1}", a.scorecard.overall.unwrap());
    assert!(text.contains(&overall), "overall score {overall}");
    assert!(text.contains(&format!("Page {pages} of {pages}")), "last page number");
    assert_eq!(raw.matches('\u{c}').count(), pages);
    // Every answer is in the appendix.
    for q in &a.scorecard.questions {
        assert!(text.contains(&q.reference), "{} missing", q.reference);
    }
    assert_within_margins(&out, dir.path());
    render(&out, dir.path());
}

#[test]
fn findings_workbook_of_the_sample_assessment() {
    let dir = tempfile::tempdir().unwrap();
    let a = sample_assessment(dir.path());
    let out = dir.path().join("northwind-findings.xlsx");
    findings_xlsx(&a, &out).unwrap();
    keep(&out);

    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), FINDINGS_SHEETS);
    let findings = wb.worksheet_range("Findings").unwrap();
    assert_eq!(findings.height(), a.scorecard.findings.len() + 1);
    let headers: Vec<String> = (0..FINDING_COLUMNS.len()).map(|c| cell(&findings, 0, c).to_string()).collect();
    assert_eq!(headers[..10], ["Ref", "Sheet", "Row", "Domain", "Question", "Vendor answer", "Why", "Severity", "Remediation", "Due date"]);
    assert_eq!(headers[10..], ["Status", "Owner", "Notes"]);
    // Most severe first; the due date is a real date (days since 1900), the status Open.
    let first = quire::report::risk::findings_by_severity(&a)[0];
    assert_eq!(cell(&findings, 1, 0), Data::String(first.reference.clone()));
    assert_eq!(cell(&findings, 1, 7).to_string().to_lowercase(), first.severity.as_str());
    match cell(&findings, 1, 9) {
        Data::DateTime(d) => {
            let due = quire::dates::parse_date(&first.due).unwrap();
            let serial = (due - date!(1899 - 12 - 30)).whole_days() as f64;
            assert_eq!(d.as_f64(), serial, "due {}", first.due);
        }
        other => panic!("the due date is not a date: {other:?}"),
    }
    assert_eq!(cell(&findings, 1, 10), Data::String("Open".into()));
    // IAM-01 went from Yes to No: a finding, due within its severity's days.
    let iam = (1..findings.height()).find(|r| cell(&findings, *r, 0) == Data::String("IAM-01".into())).expect("IAM-01 is a finding");
    assert_eq!(cell(&findings, iam, 5), Data::String("No".into()));

    let domains = wb.worksheet_range("Domains").unwrap();
    let n = a.scorecard.domains.len();
    assert_eq!(cell(&domains, 0, 2), Data::String("Score".into()));
    for (i, d) in a.scorecard.domains.iter().enumerate() {
        assert_eq!(cell(&domains, i + 1, 0), Data::String(d.title.clone()));
        match d.score {
            Some(s) => assert_eq!(cell(&domains, i + 1, 2), Data::Float(s)),
            None => assert_eq!(cell(&domains, i + 1, 2), Data::Empty, "no score is blank, not 0"),
        }
        assert_eq!(cell(&domains, i + 1, 5), Data::Float(d.questions as f64));
    }
    assert_eq!(cell(&domains, n + 1, 0), Data::Empty);
    assert_eq!(cell(&domains, n + 2, 0), Data::String("Overall (weighted)".into()));
    assert_eq!(cell(&domains, n + 2, 2), Data::Float(a.scorecard.overall.unwrap()));

    let answers = wb.worksheet_range("All answers").unwrap();
    assert_eq!(answers.height(), a.scorecard.questions.len() + 1);
    assert_eq!(a.scorecard.questions.len(), quire::samples::answered_questions().len());
    let met = (1..answers.height()).filter(|r| cell(&answers, *r, 8) == Data::String("Met".into())).count();
    assert_eq!(met, a.scorecard.questions.iter().filter(|q| q.outcome == Outcome::Met).count());

    let coverage = wb.worksheet_range("Coverage").unwrap();
    let controls: usize = a.coverage.iter().map(|f| f.controls.len()).sum();
    assert!(controls > 10);
    assert_eq!(coverage.height(), controls + 1);
    let hipaa = (1..coverage.height()).filter(|r| cell(&coverage, *r, 1).to_string().starts_with("164.3")).count();
    assert!(hipaa > 5, "{hipaa} HIPAA controls");
    assert!((1..coverage.height()).any(|r| cell(&coverage, r, 1).to_string().starts_with("CLD.")));

    // The Status column offers Open / Accepted / Remediated; header frozen; autofilter.
    let xml = sheet_xml(&out, "xl/worksheets/sheet1.xml");
    let last = a.scorecard.findings.len() + 1;
    assert!(xml.contains("\"Open,Accepted,Remediated\"") && xml.contains(&format!("sqref=\"K2:K{last}\"")), "{}", &xml[xml.len().saturating_sub(2000)..]);
    assert!(xml.contains("<pane ySplit=\"1\"") && xml.contains(&format!("<autoFilter ref=\"A1:M{last}\"")));
    let formulas = wb.worksheet_formula("Findings").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no cell is a formula");

    // A folder that does not exist: an error, nothing written.
    let err = findings_xlsx(&a, &dir.path().join("missing/f.xlsx")).unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
}

fn cell(range: &calamine::Range<Data>, r: usize, c: usize) -> Data {
    range.get((r, c)).cloned().unwrap_or(Data::Empty)
}

fn sheet_xml(path: &Path, part: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(part).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn hostile_text_does_not_panic_or_run_off_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = sample_assessment(dir.path());
    let texts = [
        "Zürich 東京 ﺍﻟﻌﺮﺑﻴﺔ עברית 😀👩‍⚕️ \u{202E}reversed\u{202C} tab\there\u{0}nul\u{7}bell".to_string(),
        format!("https://example.com/{}", "x".repeat(3000)),
        "Do you encrypt PHI at rest with keys you manage yourselves? ".repeat(60),
        "W".repeat(600),
        "=cmd|' /C calc'!A0".to_string(),
        String::new(),
        "   \n\n\t ".to_string(),
        "مرحبا بالعالم هل تقومون بتشفير البيانات؟ ".repeat(20),
    ];
    let t = |i: usize| texts[i % texts.len()].clone();
    a.vendor.name = format!("{} {}", t(0), t(3));
    a.vendor.service = t(2);
    a.vendor.notes = t(7);
    a.questionnaire = t(1);
    a.scorecard.rubric_title = t(0);
    a.vendor.certifications.push(Certification { kind: t(3), period_end: Some("not a date".into()), expires: Some(t(0)) });
    a.warnings.push(Warning { severity: t(0), message: t(2) });
    a.warnings.push(Warning { severity: "critical".into(), message: t(1) });
    for (i, d) in a.scorecard.domains.iter_mut().enumerate() {
        d.title = t(i);
        if i % 3 == 0 {
            d.score = None;
        } else if i % 3 == 1 {
            d.score = Some(0.0);
        }
        d.weight = 1e9 / (i as f64 + 0.3);
    }
    for (i, q) in a.scorecard.questions.iter_mut().enumerate() {
        q.question = t(i);
        q.answer = t(i + 1);
        q.comment = t(i + 2);
        q.reference = t(i + 3).chars().take(300).collect();
        q.sheet = t(i + 4);
    }
    for (i, f) in a.scorecard.findings.iter_mut().enumerate() {
        f.question = t(i);
        f.answer = t(i + 1);
        f.why = t(i + 2);
        f.remediation = t(i + 3);
        f.reference = t(i + 4);
        f.domain = t(i + 5);
        if i % 4 == 0 {
            f.due = t(i);
        }
    }
    for f in &mut a.coverage {
        f.title = t(3);
        for (i, c) in f.controls.iter_mut().enumerate() {
            c.title = t(i);
            c.owner = Some(t(i + 1));
            c.supporting = (0..200).map(|k| format!("REF-{k}-{}", t(i))).take(if i % 2 == 0 { 200 } else { 0 }).collect();
            c.contradicting = vec![t(i + 2); 3];
        }
    }
    if let Some(ch) = &mut a.changes {
        ch.new_findings = (0..500).map(|k| format!("{}{k}", t(k))).collect();
        ch.answers.push(quire::assess::AnswerChange { reference: t(1), before: t(2), after: t(3) });
        ch.domain_deltas.insert(a.scorecard.domains[0].id.clone(), -12.345);
    }
    for (k, size) in [("a4", PageSize::A4), ("letter", PageSize::Letter)] {
        let out = dir.path().join(format!("hostile-{k}.pdf"));
        risk_pdf_sized(&a, &out, size).unwrap();
        keep(&out);
        let bytes = std::fs::read(&out).unwrap();
        eprintln!("hostile {k}: {} pages", page_count(&bytes));
        assert_within_margins(&out, dir.path());
        if let Some(text) = pdf_text(&out) {
            assert!(text.contains("Zürich"));
            assert!(text.contains("no score"), "domains without a score are marked");
        }
    }
    let out = dir.path().join("hostile.xlsx");
    findings_xlsx(&a, &out).unwrap();
    keep(&out);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let findings = wb.worksheet_range("Findings").unwrap();
    assert_eq!(findings.height(), a.scorecard.findings.len() + 1);
    // A due date that is not a date stays as text.
    assert!((1..findings.height()).any(|r| matches!(cell(&findings, r, 9), Data::String(_))));
}

#[test]
fn an_assessment_with_nothing_scored_still_reports() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = sample_assessment(dir.path());
    a.scorecard.overall = None;
    for d in &mut a.scorecard.domains {
        d.score = None;
    }
    a.scorecard.findings.clear();
    a.scorecard.questions.clear();
    a.coverage.clear();
    a.warnings.clear();
    a.changes = None;
    a.vendor.certifications.clear();
    a.finding_counts.values_mut().for_each(|v| *v = 0);
    let out = dir.path().join("empty-risk.pdf");
    risk_pdf(&a, &out).unwrap();
    keep(&out);
    let bytes = std::fs::read(&out).unwrap();
    assert!(page_count(&bytes) >= 2);
    if let Some(text) = pdf_text(&out) {
        let text = squash(&text);
        for expected in ["No score", "Findings (0)", "None: no answer could be scored.", "nothing could be scored", "Appendix: all answers (0)"] {
            assert!(text.contains(expected), "{expected:?} not in {text}");
        }
    }
    let out = dir.path().join("empty.xlsx");
    findings_xlsx(&a, &out).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    for s in FINDINGS_SHEETS {
        assert!(wb.worksheet_range(s).unwrap().height() >= 1, "{s}");
    }
}

/// The real HECVAT 3 a vendor filled in (../shared), assessed and reported; skipped when the
/// shared folder is absent.
#[test]
fn hecvat_3_report() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/questionnaires/hecvat-3.00-filled-opendsa.xlsx");
    if !path.exists() {
        eprintln!("SKIPPED: {} not found (the shared questionnaires are not checked out)", path.display());
        return;
    }
    let q = quire::sheet::read_questionnaire(&path).unwrap();
    let mut v = Vendor::new("OpenDSA");
    v.service = "Interactive e-textbook platform (HECVAT 3 sample)".into();
    v.intake = Intake { phi_volume: Level::None, criticality: Level::Medium, connectivity: Connectivity::Integration, hosting: Hosting::Saas };
    let a = Assessor::new().unwrap().assess(&q, &v, None, None, TODAY).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("hecvat3-risk.pdf");
    let t = std::time::Instant::now();
    risk_pdf(&a, &out).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    let pages = page_count(&bytes);
    eprintln!(
        "HECVAT 3 risk report: {} questions, {} findings, overall {:?}, {pages} pages, {} bytes, {:?}",
        a.scorecard.questions.len(),
        a.scorecard.findings.len(),
        a.scorecard.overall,
        bytes.len(),
        t.elapsed()
    );
    keep(&out);
    assert!(pages > 5);
    if let Some(raw) = pdf_text(&out) {
        let text = squash(&raw);
        assert!(text.contains("OpenDSA") && text.contains("Residual tier") && text.contains("164.312"));
        assert!(text.contains(&format!("Page {pages} of {pages}")));
    }
    assert_within_margins(&out, dir.path());
    render(&out, dir.path());
    let x = dir.path().join("hecvat3-findings.xlsx");
    findings_xlsx(&a, &x).unwrap();
    keep(&x);
    let mut wb: Xlsx<_> = open_workbook(&x).unwrap();
    assert_eq!(wb.worksheet_range("All answers").unwrap().height(), a.scorecard.questions.len() + 1);
    assert_eq!(wb.worksheet_range("Findings").unwrap().height(), a.scorecard.findings.len() + 1);
}
