//! Word questionnaires: reading the three styles (generated fixtures and the real documents in
//! ../shared/questionnaires/word), bad inputs, filling in place with every other part of the
//! package untouched, and a round trip fill → read. PDF questionnaires are tested in tests/pdf.rs.

mod common;

use common::docx::{self as fx, DocxFixture};
use quire::answer::AnswerKind;
use quire::sheet::grid::Format;
use quire::sheet::{read_questionnaire, Questionnaire};
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("quire-docx-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Every question of the fixture was found, in order, with its text, ref, section and (in
/// the answered variant) its answer and comment.
fn check_read(f: &DocxFixture, q: &Questionnaire) {
    let found: Vec<_> = q.questions().collect();
    assert_eq!(found.len(), f.questions.len(), "{}: {:#?}", f.path.display(), q.report());
    for (want, got) in f.questions.iter().zip(&found) {
        assert_eq!(got.text, want.text);
        if !want.reference.is_empty() {
            assert_eq!(got.reference, want.reference);
        }
        assert_eq!(got.domain, want.section, "section of {}", want.text);
        if f.answered {
            assert_eq!(got.answer, want.answer, "answer of {}", want.text);
            assert_eq!(got.comment, want.comment, "comment of {}", want.text);
            assert!(got.is_answered());
        } else {
            assert_eq!(got.answer, "", "{} should be unanswered", want.text);
            assert!(!got.is_answered());
            assert!(got.answer_cell.is_some(), "{} has no answer place", want.text);
        }
    }
}

#[test]
fn reads_the_three_generated_styles_blank_and_answered() {
    let dir = tmp("styles");
    for answered in [false, true] {
        let f = fx::tables(&dir, answered).unwrap();
        let q = read_questionnaire(&f.path).unwrap();
        assert_eq!(q.format, Format::Docx);
        check_read(&f, &q);
        let used: Vec<&str> = q.sheets.iter().filter(|s| s.used).map(|s| s.name.as_str()).collect();
        assert_eq!(used, ["Table 1", "Table 2"]);
        let letters = q.sheets[0].columns.as_ref().unwrap().letters();
        assert_eq!((letters["ref"].as_str(), letters["question"].as_str(), letters["answer"].as_str(), letters["comment"].as_str()), ("A", "B", "C", "D"));
        // Row 1 is the header; the merged title row (5) is not a question.
        let first = q.questions().next().unwrap();
        assert_eq!((first.sheet.as_str(), first.row, first.answer_cell.as_deref(), first.comment_cell.as_deref()), ("Table 1", 2, Some("C2"), Some("D2")));
        assert_eq!(q.questions().nth(3).unwrap().row, 6);

        for f in [fx::numbered_paragraphs(&dir, answered).unwrap(), fx::checkboxes(&dir, answered).unwrap()] {
            let q = read_questionnaire(&f.path).unwrap();
            check_read(&f, &q);
            let p = q.sheets.iter().find(|s| s.name == "Paragraphs").unwrap();
            assert!(p.used);
            let refs: Vec<&str> = q.questions().map(|x| x.reference.as_str()).collect();
            assert_eq!(refs[..3], ["1", "2", "3"]);
        }
    }
}

#[test]
fn docm_is_read_and_says_so() {
    let dir = tmp("docm");
    let f = fx::docm(&dir).unwrap();
    let q = read_questionnaire(&f.path).unwrap();
    assert_eq!(q.format, Format::Docm);
    assert_eq!(q.report().format, "docm");
    assert_eq!(q.question_count(), f.questions.len());
}

#[test]
fn bad_word_inputs_say_what_is_wrong() {
    let dir = tmp("bad");
    // A zip of something else, named .docx.
    let e = read_questionnaire(&fx::zip_not_word(&dir).unwrap()).unwrap_err().to_string();
    assert!(e.contains("photos.docx") && e.contains("without a Word document"), "{e}");
    // An encrypted Word document is an OLE compound file with an EncryptedPackage stream.
    let enc = common::fixtures::encrypted_like(&dir).unwrap();
    let as_docx = dir.join("secret.docx");
    std::fs::rename(&enc, &as_docx).unwrap();
    let e = read_questionnaire(&as_docx).unwrap_err().to_string();
    assert!(e.contains("Word document is encrypted") && e.contains("save a copy without a password"), "{e}");
    // A Word document without questions.
    let p = dir.join("letter.docx");
    fx::write_package(&p, r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Dear customer, thank you.</w:t></w:r></w:p></w:body></w:document>"#, false).unwrap();
    let q = read_questionnaire(&p).unwrap();
    let e = q.require_questions().unwrap_err().to_string();
    assert!(e.contains("Word document") && e.contains("numbered"), "{e}");
    // Malformed XML in the document part.
    let p = dir.join("broken.docx");
    fx::write_package(&p, r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Do you?</w:r></w:p></w:body></w:document>"#, false).unwrap();
    let e = read_questionnaire(&p).unwrap_err().to_string();
    assert!(e.contains("damaged") && e.contains("word/document.xml"), "{e}");
}

fn shared_word() -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/questionnaires/word");
    if d.is_dir() {
        Some(d)
    } else {
        eprintln!("SKIPPED: {} is absent", d.display());
        None
    }
}

#[test]
fn real_word_questionnaires_match_the_manifest() {
    let Some(dir) = shared_word() else { return };
    // (file, questions, answered, Yes/No/N/A counts of the answered one)
    let cases = [
        ("caiq-lite-v3-octopus-answered-tables.docx", 71, 71),
        ("hecvat-4.1.4-product-blank-table-checkboxes.docx", 21, 0),
        ("hecvat-4.1.4-organization-blank-numbered.docx", 31, 0),
    ];
    for (name, questions, answered) in cases {
        let q = read_questionnaire(&dir.join(name)).unwrap();
        assert_eq!((q.question_count(), q.answered_count()), (questions, answered), "{name}: {:#?}", q.report());
        for x in q.questions() {
            assert!(x.answer_cell.is_some(), "{name}: {} has no answer place: {:#?}", x.text, q.report().sheets);
        }
    }
    let q = read_questionnaire(&dir.join("caiq-lite-v3-octopus-answered-tables.docx")).unwrap();
    let count = |a: AnswerKind| q.questions().filter(|x| x.answer_kind == Some(a)).count();
    assert_eq!((count(AnswerKind::Yes), count(AnswerKind::No), count(AnswerKind::NotApplicable)), (59, 4, 8));
    assert!(q.questions().all(|x| !x.domain.is_empty()));
    let q = read_questionnaire(&dir.join("hecvat-4.1.4-product-blank-table-checkboxes.docx")).unwrap();
    assert_eq!(q.questions().next().unwrap().reference, "REQU-01");
}

// ---------------------------------------------------------------------------
// Filling
// ---------------------------------------------------------------------------

use quire::fill::{fill_workbook, FillOptions};
use quire::review::{Review, ReviewStatus, ReviewedQuestion};
use quire::sheet::docx::model::{self, Block, Body};

fn reviewed(q: &quire::sheet::model::Question, answer: &str, comment: &str) -> ReviewedQuestion {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    ReviewedQuestion { question: q.clone(), answer: opt(answer), comment: opt(comment), status: ReviewStatus::Reviewed, confidence: None, source: None, evidence: Vec::new(), alternatives: Vec::new(), changed_by: None, changed_at: None }
}

/// The fixture's answers (and comments where the question has a comment place) as a review.
fn review_of(f: &DocxFixture, q: &Questionnaire) -> Review {
    let questions = q.questions().zip(&f.questions).map(|(x, want)| reviewed(x, &want.answer, if x.comment_cell.is_some() { &want.comment } else { "" })).collect();
    Review { questionnaire: q.file.clone(), questions }
}

fn document_xml(path: &Path) -> String {
    String::from_utf8(fx::read_entry(path, "word/document.xml").unwrap()).unwrap()
}

/// Every paragraph of the body in document order (table cells row by row), with its XML.
fn all_paragraphs<'a>(xml: &'a str, body: &'a Body) -> Vec<(&'a model::Para, &'a str)> {
    let mut out = Vec::new();
    for b in &body.blocks {
        match *b {
            Block::Para(i) => out.push(&body.paragraphs[i]),
            Block::Table(t) => out.extend(body.tables[t].rows.iter().flat_map(|r| r.cells.iter().flat_map(|c| c.paras.iter()))),
        }
    }
    out.into_iter().map(|p| (p, &xml[p.span.0..p.span.1])).collect()
}

/// Every zip entry but the document part is byte-identical (same compressed bytes, same CRC,
/// same order); in the document part, only paragraphs that now hold one of `written` differ,
/// and the XML between paragraphs is unchanged.
fn assert_only_answer_places_changed(before: &Path, after: &Path, written: &[String]) -> usize {
    let a = fx::raw_entries(before).unwrap();
    let b = fx::raw_entries(after).unwrap();
    assert_eq!(a.iter().map(|e| &e.0).collect::<Vec<_>>(), b.iter().map(|e| &e.0).collect::<Vec<_>>(), "entries and their order");
    for (x, y) in a.iter().zip(&b) {
        if x.0 != "word/document.xml" {
            assert!(x.1 == y.1 && x.2 == y.2, "{} changed", x.0);
        }
    }
    let (xa, xb) = (document_xml(before), document_xml(after));
    let (ba, bb) = (model::parse(&xa).unwrap(), model::parse(&xb).unwrap());
    let (pa, pb) = (all_paragraphs(&xa, &ba), all_paragraphs(&xb, &bb));
    assert_eq!(pa.len(), pb.len(), "paragraph count");
    let mut changed = 0;
    let (mut ga, mut gb) = (0, 0);
    for ((p, a), (q, b)) in pa.iter().zip(&pb) {
        assert_eq!(&xa[ga.min(p.span.0)..p.span.0], &xb[gb.min(q.span.0)..q.span.0], "XML between paragraphs changed");
        (ga, gb) = (p.span.1, q.span.1);
        if a != b {
            changed += 1;
            let text = quire::sheet::docx::answer_text(q, &["response", "comments"]);
            assert!(written.iter().any(|w| text == *w || text.ends_with(w.as_str())), "paragraph changed to {text:?}, which is none of the answers written: {a} → {b}");
        }
    }
    assert_eq!(&xa[ga..], &xb[gb..], "XML after the last paragraph changed");
    changed
}

fn libreoffice_text(path: &Path) -> Option<String> {
    let writer = Path::new("/usr/lib/libreoffice/program/libswlo.so");
    if std::process::Command::new("soffice").arg("--version").output().is_err() || !writer.exists() {
        eprintln!("SKIPPED: LibreOffice Writer (soffice + libreoffice-writer-nogui) is not installed; the filled document was not opened");
        return None;
    }
    let out = path.parent().unwrap().join("lo");
    let profile = format!("-env:UserInstallation=file://{}", path.parent().unwrap().join("lo-profile").display());
    let status = std::process::Command::new("soffice").args([profile.as_str(), "--headless", "--convert-to", "txt:Text", "--outdir"]).arg(&out).arg(path).output().expect("soffice runs");
    let txt = out.join(path.with_extension("txt").file_name().unwrap());
    assert!(txt.exists(), "LibreOffice could not open {}: {}", path.display(), String::from_utf8_lossy(&status.stderr));
    Some(std::fs::read_to_string(txt).unwrap())
}

#[test]
fn fill_writes_only_the_answer_places_and_reads_back_the_same() {
    let dir = tmp("fill");
    for f in [fx::tables(&dir, false).unwrap(), fx::numbered_paragraphs(&dir, false).unwrap(), fx::checkboxes(&dir, false).unwrap()] {
        let q = read_questionnaire(&f.path).unwrap();
        let review = review_of(&f, &q);
        let out = dir.join(format!("{}.filled.docx", f.path.file_stem().unwrap().to_string_lossy()));
        let report = fill_workbook(&q, &review, &out, &FillOptions::default()).unwrap();
        assert_eq!(report.written, f.questions.len(), "{}: {:#?}", f.path.display(), report.skipped);
        assert!(report.skipped.is_empty(), "{:#?}", report.skipped);
        let comments = review.questions.iter().filter(|r| r.comment.is_some()).count();
        assert_eq!(report.comments_written, comments);
        let written: Vec<String> = review.questions.iter().flat_map(|r| r.answer.iter().chain(r.comment.iter()).cloned()).collect();
        let changed = assert_only_answer_places_changed(&f.path, &out, &written);
        assert_eq!(changed, f.questions.len() + comments, "{}", f.path.display());
        // Read as answered: the same answers, in the same places.
        let back = read_questionnaire(&out).unwrap();
        let mut answered = f.clone();
        answered.answered = true;
        for (x, want) in answered.questions.iter_mut().zip(q.questions()) {
            if want.comment_cell.is_none() {
                x.comment.clear();
            }
        }
        check_read(&answered, &back);
        if let Some(text) = libreoffice_text(&out) {
            for w in &written {
                assert!(text.contains(w.lines().next().unwrap()), "{}: LibreOffice does not show {w:?}:\n{text}", out.display());
            }
        }
    }
}

#[test]
fn fill_keeps_what_is_there_and_escapes_what_it_writes() {
    let dir = tmp("keep");
    // An answered document is not overwritten without asking.
    let f = fx::tables(&dir, true).unwrap();
    let q = read_questionnaire(&f.path).unwrap();
    let review = Review { questionnaire: q.file.clone(), questions: q.questions().map(|x| reviewed(x, "No", "")).collect() };
    let out = dir.join("kept.docx");
    let report = fill_workbook(&q, &review, &out, &FillOptions::default()).unwrap();
    assert_eq!(report.written, 0);
    assert_eq!(report.skipped.len(), f.questions.len());
    assert!(report.skipped[0].reason.contains("already answered"), "{}", report.skipped[0].reason);
    assert_eq!(document_xml(&out), document_xml(&f.path));
    // With overwrite, the answers are replaced and the comments stay.
    let report = fill_workbook(&q, &review, &dir.join("over.docx"), &FillOptions { overwrite_answered: true }).unwrap();
    assert_eq!(report.written, f.questions.len());
    let back = read_questionnaire(&dir.join("over.docx")).unwrap();
    assert!(back.questions().all(|x| x.answer == "No"));
    assert_eq!(back.questions().map(|x| x.comment.clone()).collect::<Vec<_>>(), f.questions.iter().map(|x| x.comment.clone()).collect::<Vec<_>>());

    // Hostile text stays text: markup, a field instruction, entities, control characters.
    let f = fx::numbered_paragraphs(&dir, false).unwrap();
    let q = read_questionnaire(&f.path).unwrap();
    let evil = r#"</w:t></w:r><w:fldSimple w:instr="INCLUDETEXT c:\\x"/> & DDEAUTO "calc" ]]> <!-- x"#;
    let review = Review { questionnaire: q.file.clone(), questions: q.questions().map(|x| reviewed(x, &format!("{evil}\u{7}"), "")).collect() };
    let out = dir.join("evil.docx");
    fill_workbook(&q, &review, &out, &FillOptions::default()).unwrap();
    let xml = document_xml(&out);
    assert!(!xml.contains("<w:fldSimple") && !xml.contains('\u{7}'));
    let back = read_questionnaire(&out).unwrap();
    assert!(back.questions().all(|x| x.answer == evil), "{:?}", back.questions().map(|x| &x.answer).collect::<Vec<_>>());

    // A check box takes only the answers it has a box for.
    let f = fx::checkboxes(&dir, false).unwrap();
    let q = read_questionnaire(&f.path).unwrap();
    let review = Review { questionnaire: q.file.clone(), questions: q.questions().map(|x| reviewed(x, "We are working on it", "")).collect() };
    let report = fill_workbook(&q, &review, &dir.join("boxes.docx"), &FillOptions::default()).unwrap();
    assert_eq!(report.written, 0);
    assert!(report.skipped[0].reason.contains("check boxes (Yes / No / N/A)"), "{}", report.skipped[0].reason);
}

#[test]
fn docm_stays_a_docm_with_its_macros() {
    let dir = tmp("docm-fill");
    let f = fx::docm(&dir).unwrap();
    let q = read_questionnaire(&f.path).unwrap();
    let review = review_of(&f, &q);
    let report = fill_workbook(&q, &review, &dir.join("out.docx"), &FillOptions::default()).unwrap();
    assert_eq!(report.output, dir.join("out.docm"));
    assert!(report.format_note.as_deref().unwrap_or("").contains("macros"));
    assert_eq!(fx::read_entry(&f.path, "word/vbaProject.bin").unwrap(), fx::read_entry(&report.output, "word/vbaProject.bin").unwrap());
    assert_eq!(report.written, f.questions.len());
}

#[test]
fn real_word_questionnaires_fill_and_read_back() {
    let Some(dir) = shared_word() else { return };
    let out_dir = tmp("real-fill");
    for name in ["hecvat-4.1.4-product-blank-table-checkboxes.docx", "hecvat-4.1.4-organization-blank-numbered.docx"] {
        let path = dir.join(name);
        let q = read_questionnaire(&path).unwrap();
        let answers: Vec<String> = q.questions().enumerate().map(|(i, _)| if name.contains("checkboxes") { ["Yes", "No", "N/A"][i % 3].to_string() } else { format!("Answer {i} & <more>") }).collect();
        let review = Review { questionnaire: q.file.clone(), questions: q.questions().zip(&answers).map(|(x, a)| reviewed(x, a, "")).collect() };
        let out = out_dir.join(name);
        let report = fill_workbook(&q, &review, &out, &FillOptions::default()).unwrap();
        assert_eq!(report.written, answers.len(), "{name}: {:#?}", report.skipped);
        let changed = assert_only_answer_places_changed(&path, &out, &answers);
        assert_eq!(changed, answers.len());
        let back = read_questionnaire(&out).unwrap();
        assert_eq!(back.questions().map(|x| x.answer.clone()).collect::<Vec<_>>(), answers, "{name}");
        if let Some(text) = libreoffice_text(&out) {
            if !name.contains("checkboxes") {
                assert!(answers.iter().all(|a| text.contains(a.as_str())), "{name}:\n{text}");
            } else {
                assert!(text.contains('☒'), "{name}: no ticked box in LibreOffice's text:\n{text}");
            }
        }
    }
}

#[test]
fn a_300_question_document_reads_and_fills_in_time() {
    let dir = tmp("large");
    let f = fx::large_tables(&dir, 300).unwrap();
    let t = std::time::Instant::now();
    let q = read_questionnaire(&f.path).unwrap();
    let read = t.elapsed();
    assert_eq!(q.question_count(), 300);
    assert_eq!(q.sheets.iter().filter(|s| s.used).count(), 12);
    let review = review_of(&f, &q);
    let t = std::time::Instant::now();
    let report = fill_workbook(&q, &review, &dir.join("large.filled.docx"), &FillOptions::default()).unwrap();
    let fill = t.elapsed();
    assert_eq!(report.written, 300);
    let back = read_questionnaire(&dir.join("large.filled.docx")).unwrap();
    assert_eq!(back.answered_count(), 300);
    eprintln!("300-question .docx ({} KB): read {read:?}, fill {fill:?} (this build's profile)", std::fs::metadata(&f.path).unwrap().len() / 1024);
    // Generous bounds for an unoptimised build on a shared machine; release figures are in docs/benchmarks.md.
    assert!(read.as_secs() < 10 && fill.as_secs() < 10);
}

#[test]
fn the_app_path_imports_reviews_and_exports_word_documents() {
    use quire::library::Library;
    use quire::workflow;
    let dir = tmp("workflow");
    let quiet = |_: workflow::Progress| {};
    let mut lib = Library::open(&dir.join("library.sqlite")).unwrap();
    // An answered Word questionnaire into the library, with its tables and rows as provenance.
    let answered = fx::tables(dir.join("past"), true).unwrap();
    let results = workflow::import_answered(&mut lib, std::slice::from_ref(&answered.path), &[], &quiet);
    let report = results[0].report.as_ref().unwrap_or_else(|| panic!("{:?}", results[0].error));
    assert_eq!(report.added, answered.questions.len());
    // A blank copy of it: reviewed from the library and exported as the filled document.
    let blank = fx::tables(dir.join("new"), false).unwrap();
    let summary = workflow::start_review(&mut lib, &blank.path, &[], 0.5, &quiet).unwrap();
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let r = workflow::export_review(&lib, summary.id, &out, false, &quiet).unwrap();
    assert_eq!(r.workbook.extension().unwrap(), "docx");
    assert_eq!(r.written, answered.questions.len(), "{:#?}", r.skipped);
    let back = read_questionnaire(&r.workbook).unwrap();
    let got: Vec<String> = back.questions().map(|x| x.answer.clone()).collect();
    let want: Vec<String> = answered.questions.iter().map(|x| x.answer.clone()).collect();
    assert_eq!(got, want);
}

#[test]
fn a_2000_page_document_is_read_in_bounded_time() {
    // About 2,000 pages: 40,000 numbered questions, each followed by an empty answer paragraph,
    // plus one paragraph of 200,000 runs (long paragraphs must not be counted again and again).
    let dir = tmp("huge");
    let mut body = String::new();
    for i in 0..40_000 {
        body.push_str(&format!(r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Do you review control number {i} every year?</w:t></w:r></w:p><w:p/>"#));
    }
    body.push_str("<w:p>");
    for _ in 0..200_000 {
        body.push_str("<w:r><w:t>word </w:t></w:r>");
    }
    body.push_str("</w:p>");
    let path = dir.join("huge.docx");
    fx::write_package(&path, &format!(r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#), false).unwrap();
    let t = std::time::Instant::now();
    let q = read_questionnaire(&path).unwrap();
    assert_eq!(q.question_count(), 40_000);
    assert_eq!(q.questions().last().unwrap().answer_cell.as_deref(), Some("P80000"));
    eprintln!("2,000-page .docx ({} KB): read in {:?}", std::fs::metadata(&path).unwrap().len() / 1024, t.elapsed());
    assert!(t.elapsed().as_secs() < 20);
}

/// A legacy form-field check box (Word 97–2003 style) followed by its label.
fn legacy_box(label: &str) -> String {
    format!(
        r#"<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check_{label}"/><w:enabled/><w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/><w:default w:val="0"/></w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> {label}   </w:t></w:r>"#
    )
}

fn tc(text: &str) -> String {
    if text.is_empty() {
        "<w:tc><w:p/></w:tc>".into()
    } else {
        format!("<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>", fx::esc(text))
    }
}

/// Tracked changes, a comment on an answer cell, a vertically merged ref, a nested table, a
/// table continued without a header, a text box, and legacy form-field check boxes.
fn edge_document(dir: &Path) -> PathBuf {
    let header = format!("<w:tr>{}{}{}{}</w:tr>", tc("Ref"), tc("Question"), tc("Answer"), tc("Comments"));
    let grid = r#"<w:tblGrid><w:gridCol w:w="1000"/><w:gridCol w:w="4000"/><w:gridCol w:w="1500"/><w:gridCol w:w="2500"/></w:tblGrid>"#;
    let tracked = r#"<w:tc><w:p><w:r><w:t xml:space="preserve">Is data encrypted </w:t></w:r><w:del w:id="1" w:author="Customer" w:date="2026-01-01T00:00:00Z"><w:r><w:delText>in transit and </w:delText></w:r></w:del><w:ins w:id="2" w:author="Customer" w:date="2026-01-01T00:00:00Z"><w:r><w:t>at rest</w:t></w:r></w:ins><w:r><w:t>?</w:t></w:r></w:p></w:tc>"#;
    let commented = r#"<w:tc><w:p><w:commentRangeStart w:id="0"/><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p></w:tc>"#;
    let nested = format!(r#"<w:tc><w:p><w:r><w:t>Which of these logs do you keep for a year?</w:t></w:r></w:p><w:tbl><w:tblGrid><w:gridCol w:w="2000"/></w:tblGrid><w:tr>{}</w:tr><w:tr>{}</w:tr></w:tbl><w:p/></w:tc>"#, tc("Access logs"), tc("Audit logs"));
    let merged_ref = r#"<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>LOG-01</w:t></w:r></w:p></w:tc>"#;
    let merged_cont = r#"<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"#;
    let t1 = format!(
        "<w:tbl>{grid}{header}<w:tr>{}{tracked}{commented}{}</w:tr><w:tr>{merged_ref}{nested}{}{}</w:tr><w:tr>{merged_cont}{}{}{}</w:tr></w:tbl>",
        tc("ENC-01"), tc(""), tc(""), tc(""), tc("Do you alert on failed log-ins to administrative accounts?"), tc(""), tc("")
    );
    // The same table continued on the next page: no header row of its own.
    let t2 = format!("<w:tbl>{grid}<w:tr>{}{}{}{}</w:tr><w:tr>{}{}{}{}</w:tr></w:tbl>", tc("BCP-01"), tc("Do you test your disaster recovery plan every year?"), tc(""), tc(""), tc("BCP-02"), tc("Is there a documented recovery time objective for the service?"), tc(""), tc(""));
    let textbox = r#"<w:p><w:r><w:t>See the note.</w:t></w:r><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent><w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Do you read text boxes as questions?</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"#;
    let numbered = |t: &str| format!(r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"#);
    let legacy = format!("{}<w:p>{}{}</w:p>{}<w:p>{}{}</w:p>", numbered("Do you carry cyber insurance?"), legacy_box("Yes"), legacy_box("No"), numbered("Have you had a reportable breach in the last three years?"), legacy_box("Yes"), legacy_box("No"));
    let body = format!(r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Security controls</w:t></w:r></w:p>{t1}<w:p/>{t2}{textbox}<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Insurance</w:t></w:r></w:p>{legacy}"#);
    let path = dir.join("edges.docx");
    let xml = format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}<w:sectPr/></w:body></w:document>"#);
    fx::write_package(&path, &xml, false).unwrap();
    path
}

#[test]
fn tracked_changes_merges_nested_and_continued_tables_text_boxes_and_legacy_boxes() {
    let dir = tmp("edges");
    let path = edge_document(&dir);
    let q = read_questionnaire(&path).unwrap();
    let got: Vec<(&str, &str, &str)> = q.questions().map(|x| (x.sheet.as_str(), x.reference.as_str(), x.text.as_str())).collect();
    assert_eq!(got.len(), 7, "{:#?}\n{:#?}", got, q.report());
    assert_eq!(got[0], ("Table 1", "ENC-01", "Is data encrypted at rest?"), "deleted text is not question text");
    assert_eq!((got[1].1, got[1].2), ("LOG-01", "Which of these logs do you keep for a year? Access logs Audit logs"));
    assert_eq!(got[2].2, "Do you alert on failed log-ins to administrative accounts?");
    assert_eq!((got[3].0, got[3].1), ("Table 2", "BCP-01"));
    assert!(q.sheets[1].notes.iter().any(|n| n.contains("continued across pages")), "{:?}", q.sheets[1].notes);
    assert_eq!((got[5].0, got[5].2), ("Paragraphs", "Do you carry cyber insurance?"));
    assert!(q.questions().all(|x| !x.text.contains("text boxes")));
    assert!(q.questions().take(5).all(|x| x.domain == "Security controls"));
    assert_eq!(q.questions().nth(5).unwrap().domain, "Insurance");

    let answers = ["Yes", "Access and audit logs, 13 months", "No", "Yes", "N/A", "Yes", "No"];
    let review = Review { questionnaire: q.file.clone(), questions: q.questions().zip(answers).map(|(x, a)| reviewed(x, a, "")).collect() };
    let out = dir.join("edges.filled.docx");
    let report = fill_workbook(&q, &review, &out, &FillOptions::default()).unwrap();
    assert_eq!(report.written, 7, "{:#?}", report.skipped);
    let back = read_questionnaire(&out).unwrap();
    assert_eq!(back.questions().map(|x| x.answer.as_str()).collect::<Vec<_>>(), answers);
    let xml = document_xml(&out);
    for kept in [r#"<w:commentRangeStart w:id="0"/>"#, r#"<w:commentReference w:id="0"/>"#, "<w:delText>in transit and </w:delText>", "<w:txbxContent>", "FORMCHECKBOX"] {
        assert!(xml.contains(kept), "{kept} lost");
    }
    // The legacy box's state goes last in w:checkBox, where the schema wants it.
    assert_eq!(xml.matches(r#"<w:default w:val="0"/><w:checked/></w:checkBox>"#).count(), 2);
    let changed = assert_only_answer_places_changed(&path, &out, &answers.map(String::from));
    assert_eq!(changed, 7);
    if let Some(text) = libreoffice_text(&out) {
        assert!(text.contains("Access and audit logs, 13 months"), "{text}");
    }
}
