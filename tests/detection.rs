//! Layout detection on generated SIG-, HITRUST- and CAIQ-style workbooks: every sheet's verdict,
//! header row, column roles and every question's text, answer, comment and domain are compared
//! with what the generator wrote.

mod common;

use common::fixtures::{self, Fixture};
use quire::sheet::model::Question;
use quire::sheet::{read_questionnaire, Questionnaire};

fn letter(c: usize) -> String {
    quire::sheet::grid::col_letter(c)
}

fn check(fx: &Fixture) -> Questionnaire {
    let q = read_questionnaire(&fx.path).unwrap_or_else(|e| panic!("{}: {e}", fx.path.display()));
    for truth in &fx.sheets {
        let got = q.sheets.iter().find(|s| s.name == truth.name).unwrap_or_else(|| panic!("sheet {} not read", truth.name));
        assert_eq!(got.used, truth.used, "sheet {}: used ({:?})", truth.name, got.reason);
        if !truth.used {
            assert!(got.reason.as_deref().is_some_and(|r| !r.is_empty()), "sheet {} skipped without a reason", truth.name);
            continue;
        }
        let cols = got.columns.as_ref().expect("columns");
        assert_eq!(got.header_row.map(|h| h as u32), truth.header_row, "sheet {}: header row", truth.name);
        assert_eq!(cols.reference.map(letter), truth.ref_col, "sheet {}: ref column", truth.name);
        assert_eq!(Some(letter(cols.question)), truth.question_col, "sheet {}: question column", truth.name);
        assert_eq!(cols.answer.map(letter), truth.answer_col, "sheet {}: answer column", truth.name);
        assert_eq!(cols.comment.map(letter), truth.comment_col, "sheet {}: comment column", truth.name);
        let choices: Vec<(String, String)> = cols.choices.iter().map(|(c, k)| (letter(*c), k.as_str().to_string())).collect();
        assert_eq!(choices, truth.answer_choice_cols, "sheet {}: choice columns", truth.name);
        assert_eq!(got.questions.len(), truth.questions, "sheet {}: questions", truth.name);
        assert_eq!(got.answered(), truth.answered, "sheet {}: answered", truth.name);
        assert!(got.confidence >= 0.8, "sheet {}: confidence {}", truth.name, got.confidence);
    }
    // Every question, in order, as written.
    let found: Vec<&Question> = q.questions().collect();
    assert_eq!(found.len(), fx.items.len());
    for (got, want) in found.iter().zip(&fx.items) {
        let at = format!("{}!{}", want.sheet, want.row);
        assert_eq!((got.sheet.as_str(), got.row as u32), (want.sheet.as_str(), want.row), "{at}");
        assert_eq!(got.reference, want.r#ref, "{at}: ref");
        assert_eq!(got.text, want.question, "{at}: question");
        assert_eq!(got.answer, want.answer, "{at}: answer");
        assert_eq!(got.comment, want.comment, "{at}: comment");
        if !want.domain.is_empty() {
            assert_eq!(got.domain, want.domain, "{at}: domain");
        }
    }
    q
}

#[test]
fn sig_style_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let fx = fixtures::sig_style(dir.path()).unwrap();
    let q = check(&fx);
    assert_eq!(q.question_count(), 36);
    // The formula question uses its cached value.
    let f = fx.items.iter().find(|i| i.question_is_formula).unwrap();
    assert!(q.questions().any(|x| x.text == f.question && x.row as u32 == f.row));
    let lists = q.sheets.iter().find(|s| s.name == "Lists").unwrap();
    assert!(lists.reason.as_deref().unwrap().contains("hidden"));
}

#[test]
fn hitrust_style_workbook_with_vertical_domain_merges() {
    let dir = tempfile::tempdir().unwrap();
    let fx = fixtures::hitrust_style(dir.path()).unwrap();
    check(&fx);
}

#[test]
fn workbook_without_header_row() {
    let dir = tempfile::tempdir().unwrap();
    let fx = fixtures::no_header(dir.path()).unwrap();
    check(&fx);
}

#[test]
fn answers_marked_in_yes_no_na_columns() {
    let dir = tempfile::tempdir().unwrap();
    let fx = fixtures::answers_by_columns(dir.path()).unwrap();
    let q = check(&fx);
    let x = q.questions().find(|x| x.answer_kind.is_some()).unwrap();
    assert_eq!(x.choice_cells.len(), 3);
    assert!(x.answer_cell.is_none());
}

#[test]
fn csv_in_legacy_encodings_reads_like_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let want: Vec<String> = fixtures::CSV_ROWS.iter().map(|r| r[1].to_string()).collect();
    for path in [fixtures::csv_windows1252(dir.path()).unwrap(), fixtures::csv_utf16(dir.path()).unwrap()] {
        let q = read_questionnaire(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let texts: Vec<String> = q.questions().map(|x| x.text.clone()).collect();
        assert_eq!(texts, want, "{}", path.display());
    }
}

#[test]
fn large_sheet_reads_in_full_under_the_row_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixtures::large(dir.path(), 3_000).unwrap();
    let q = read_questionnaire(&path).unwrap();
    assert_eq!(q.question_count(), 3_000);
    assert_eq!(q.answered_count(), 3_000);
    let last = q.questions().last().unwrap();
    assert_eq!(last.reference, fixtures::large_row(3_000).0);
}
