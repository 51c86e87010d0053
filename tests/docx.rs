//! Word questionnaires: reading the three styles (generated fixtures and the real documents in
//! ../shared/questionnaires/word), bad inputs, filling in place with every other part of the
//! package untouched, and a round trip fill → read.

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
