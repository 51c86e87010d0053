//! The answer library end to end on generated questionnaires: import, de-duplication, conflicts,
//! freshness, edit history, search, export.

use quire::library::{EntryEdit, EntryFilter, Library};
use quire::report::export_entries;
use quire::sheet::read_questionnaire;
use std::path::{Path, PathBuf};

fn csv(dir: &Path, name: &str, rows: &[[&str; 4]]) -> PathBuf {
    let mut text = String::from("ID,Question,Answer,Comment\n");
    for r in rows {
        let quoted: Vec<String> = r.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
        text.push_str(&quoted.join(","));
        text.push('\n');
    }
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const Q1: &str = "Is multi-factor authentication required for remote access?";
const Q2: &str = "Are backups encrypted at rest?";
const Q3: &str = "Do you run an annual penetration test?";

#[test]
fn reimport_adds_nothing_and_a_different_answer_is_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let a = csv(dir.path(), "acme-2024.csv", &[["AC-1", Q1, "Yes", "Okta"], ["BK-1", Q2, "Yes", "AES-256"], ["PT-1", Q3, "", ""]]);
    let b = csv(dir.path(), "acme-2025.csv", &[["A.1", Q1, "Yes - hardware keys", "Okta + YubiKey"], ["B.1", Q2, "No", "Planned for Q3"]]);
    let mut lib = Library::in_memory().unwrap();

    let r = lib.import(&read_questionnaire(&a).unwrap(), &["acme".into()]).unwrap();
    assert_eq!((r.added, r.merged, r.conflicting, r.unanswered), (2, 0, 0, 1));
    let again = lib.import(&read_questionnaire(&a).unwrap(), &[]).unwrap();
    assert_eq!((again.added, again.merged, again.conflicting, again.unchanged), (0, 0, 0, 2));
    assert!(again.already_imported.is_some());
    assert_eq!(lib.entry_count().unwrap(), 2);

    let r = lib.import(&read_questionnaire(&b).unwrap(), &[]).unwrap();
    assert_eq!((r.added, r.merged, r.conflicting), (0, 1, 1));
    assert_eq!(lib.entry_count().unwrap(), 3);

    // Q1: the same answer (Yes) from both files: one entry, two provenances.
    let all = lib.list(EntryFilter::default()).unwrap();
    let mfa: Vec<_> = all.iter().filter(|e| e.question == Q1).collect();
    assert_eq!(mfa.len(), 1);
    let files: Vec<&str> = mfa[0].provenance.iter().map(|p| p.file.as_str()).collect();
    assert_eq!(files, ["acme-2024.csv", "acme-2025.csv"]);
    assert_eq!(mfa[0].provenance[1].reference, "A.1");
    assert_eq!(mfa[0].provenance[1].answer_raw, "Yes - hardware keys");
    assert_eq!(mfa[0].provenance[0].row, 2);
    assert_eq!(mfa[0].provenance[0].sha256.len(), 64);
    assert_eq!(mfa[0].tags, ["acme"]);

    // Q2: Yes in one file, No in the other: both kept, both flagged.
    let conflicts = lib.list(EntryFilter { conflicts_only: true, stale_only: false }).unwrap();
    assert_eq!(conflicts.len(), 2);
    assert!(conflicts.iter().all(|e| e.question == Q2 && e.conflict));
    let answers: Vec<&str> = conflicts.iter().map(|e| e.answer.as_str()).collect();
    assert_eq!(answers, ["Yes", "No"]);
}

#[test]
fn stale_entries_and_edit_history() {
    let dir = tempfile::tempdir().unwrap();
    let a = csv(dir.path(), "a.csv", &[["1", Q1, "Yes", ""], ["2", Q2, "Partial", "Only prod"]]);
    let mut lib = Library::in_memory().unwrap();
    lib.set_setting("review_cadence_months", "6").unwrap();
    lib.import(&read_questionnaire(&a).unwrap(), &[]).unwrap();
    let entries = lib.list(EntryFilter::default()).unwrap();
    let today = quire::dates::today();
    assert_eq!(entries[0].review_by, quire::dates::add_months(today, 6).to_string());
    assert!(lib.list(EntryFilter { stale_only: true, conflicts_only: false }).unwrap().is_empty());

    let id = entries.iter().find(|e| e.question == Q2).unwrap().id;
    let edited = lib
        .edit(id, &EntryEdit { answer: Some("Yes".into()), owner: Some("Dana (IT)".into()), review_by: Some("2020-01-31".into()), ..Default::default() })
        .unwrap();
    assert_eq!(edited.answer, "Yes");
    assert!(edited.stale);
    let stale = lib.list(EntryFilter { stale_only: true, conflicts_only: false }).unwrap();
    assert_eq!(stale.iter().map(|e| e.id).collect::<Vec<_>>(), [id]);

    let history = lib.history(id).unwrap();
    let fields: Vec<(&str, Option<&str>)> = history.iter().map(|h| (h.field.as_str(), h.old_value.as_deref())).collect();
    assert!(fields.contains(&("answer", Some("Partial"))), "{fields:?}");
    assert!(fields.contains(&("answer_raw", Some("Partial"))));
    assert!(fields.contains(&("owner", Some(""))));

    let reviewed = lib.mark_reviewed(id, None).unwrap();
    assert!(!reviewed.stale);
    assert_eq!(reviewed.last_reviewed, Some(today.to_string()));
    assert!(lib.edit(id, &EntryEdit { review_by: Some("31/01/2020".into()), ..Default::default() }).is_err());
}

#[test]
fn search_uses_the_full_text_index_and_follows_edits() {
    let dir = tempfile::tempdir().unwrap();
    let a = csv(dir.path(), "a.csv", &[["1", Q1, "Yes", "Okta Verify"], ["2", Q2, "Yes", ""], ["3", Q3, "Yes", "By NCC"]]);
    let mut lib = Library::in_memory().unwrap();
    lib.import(&read_questionnaire(&a).unwrap(), &[]).unwrap();
    let hits = lib.search("authentication remote", 10).unwrap();
    assert_eq!(hits.first().map(|e| e.question.as_str()), Some(Q1));
    // Comments are indexed; stemming finds "encryption" for "encrypted".
    assert_eq!(lib.search("okta", 10).unwrap().len(), 1);
    assert_eq!(lib.search("encryption", 10).unwrap().first().map(|e| e.question.as_str()), Some(Q2));
    // Query syntax in user text cannot break the search.
    assert!(lib.search("\"AND OR NOT * (", 10).is_ok());
    let id = hits[0].id;
    lib.edit(id, &EntryEdit { comment: Some("Duo push".into()), ..Default::default() }).unwrap();
    assert!(lib.search("okta", 10).unwrap().is_empty());
    assert_eq!(lib.search("duo", 10).unwrap().len(), 1);
    lib.delete(id).unwrap();
    assert!(lib.search("duo", 10).unwrap().is_empty());
}

#[test]
fn export_writes_xlsx_and_csv_that_read_back() {
    use calamine::{open_workbook, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let a = csv(dir.path(), "a.csv", &[["1", Q1, "Yes", "=HYPERLINK(\"http://x\")"], ["2", Q2, "No", ""]]);
    let mut lib = Library::in_memory().unwrap();
    lib.import(&read_questionnaire(&a).unwrap(), &[]).unwrap();
    let entries = lib.list(EntryFilter::default()).unwrap();

    let x = dir.path().join("library.xlsx");
    export_entries(&entries, &x).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&x).unwrap();
    let range = wb.worksheet_range("Answer library").unwrap();
    assert_eq!(range.get_value((0, 1)).map(|v| v.to_string()), Some("Question".into()));
    let questions: Vec<String> = (1..=2).map(|r| range.get_value((r, 1)).unwrap().to_string()).collect();
    assert!(questions.contains(&Q1.to_string()));
    // The formula-looking comment is stored as text, not as a formula.
    let formulas = wb.worksheet_formula("Answer library").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));

    let c = dir.path().join("library.csv");
    export_entries(&entries, &c).unwrap();
    let text = std::fs::read_to_string(&c).unwrap();
    assert!(text.contains("'=HYPERLINK"), "{text}");
    // Re-import of the exported CSV finds the same questions.
    let back = read_questionnaire(&c).unwrap();
    assert_eq!(back.question_count(), 2);
}

#[test]
fn the_library_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let a = csv(dir.path(), "a.csv", &[["1", Q1, "Yes", ""], ["2", Q2, "No", ""]]);
    let path = dir.path().join("lib").join("library.sqlite");
    {
        let mut lib = Library::open(&path).unwrap();
        lib.import(&read_questionnaire(&a).unwrap(), &[]).unwrap();
    }
    let lib = Library::open(&path).unwrap();
    assert_eq!(lib.entry_count().unwrap(), 2);
    assert_eq!(lib.integrity_check().unwrap(), "ok");
}
