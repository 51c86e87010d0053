//! Reviews as the desktop app drives them, through the core only: first-run demo seeding,
//! starting a review with layout corrections, changes saved at once with who and when, bulk
//! accept, export of the filled workbook and PDF, saving answers back to the library, removing
//! the demo, and everything surviving a reopen of the library file.

use quire::library::Library;
use quire::review::{ReviewChange, ReviewStatus};
use quire::sheet::overrides::{ColumnLetters, SheetOverride};
use quire::sheet::read_questionnaire;
use quire::workflow::{self, Progress};
use std::path::Path;
use std::sync::Mutex;

fn quiet(_: Progress) {}

fn seeded(dir: &Path) -> (Library, Vec<std::path::PathBuf>) {
    let mut lib = Library::open(&dir.join("library.sqlite")).expect("open");
    let seed = workflow::seed_demo_on_first_run(&mut lib, &dir.join("demo")).expect("seed").expect("first run seeds");
    (lib, seed.samples)
}

#[test]
fn first_run_seeds_the_demo_once_and_it_can_be_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut lib, samples) = seeded(dir.path());
    assert!(samples.iter().all(|p| p.is_file()));
    let n = lib.count_tagged(workflow::DEMO_TAG).expect("count");
    assert!(n >= 30, "demo entries: {n}");
    assert!(workflow::seed_demo_on_first_run(&mut lib, &dir.path().join("demo")).expect("again").is_none());
    assert_eq!(lib.remove_tagged(workflow::DEMO_TAG).expect("remove"), n);
    assert_eq!(lib.entry_count().expect("count"), 0);
    // Removed once, never seeded again, even though the library is now empty.
    assert!(workflow::seed_demo_on_first_run(&mut lib, &dir.path().join("demo")).expect("after removal").is_none());
}

#[test]
fn a_review_is_saved_change_by_change_and_exports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut lib, samples) = seeded(dir.path());
    let events = Mutex::new(Vec::new());
    let on = |p: Progress| events.lock().expect("lock").push(p);
    let summary = workflow::start_review(&mut lib, &samples[1], &[], 0.5, &on).expect("start");
    let events = events.into_inner().expect("events");
    assert_eq!(events.last().map(|p| (p.done, p.total)), Some((4, 4)), "{events:?}");
    let fresh = read_questionnaire(&samples[1]).expect("read");
    assert_eq!(summary.questions, fresh.question_count());
    assert!(summary.counts["suggested"] > 10, "{:?}", summary.counts);

    let session = lib.review_session(summary.id).expect("session");
    let first = session.items.iter().find(|i| i.item.status == ReviewStatus::Suggested).expect("a suggestion");
    assert!(!first.item.alternatives.is_empty() && first.item.alternatives.len() <= 3);
    assert_eq!(first.item.alternatives[0].answer, first.item.answer.clone().expect("answer"));

    // Typing makes a draft; a status without an answer is refused with a reason.
    let typed = lib
        .update_review_item(summary.id, first.index, &ReviewChange { answer: Some("No".into()), ..Default::default() }, "alice")
        .expect("type");
    assert_eq!(typed.item.status, ReviewStatus::Draft);
    assert_eq!(typed.item.changed_by.as_deref(), Some("alice"));
    assert!(typed.item.changed_at.is_some());
    let blank = session.items.iter().find(|i| i.item.status == ReviewStatus::Blank && i.item.answer.is_none());
    if let Some(b) = blank {
        let e = lib
            .update_review_item(summary.id, b.index, &ReviewChange { status: Some(ReviewStatus::Approved), ..Default::default() }, "alice")
            .expect_err("no answer");
        assert!(e.to_string().contains("has no answer yet"), "{e}");
    }
    // Picking alternative 1 takes its answer as reviewed; an alternative that is not there is explained.
    let picked = lib.update_review_item(summary.id, first.index, &ReviewChange { pick: Some(0), ..Default::default() }, "bob").expect("pick");
    assert_eq!(picked.item.status, ReviewStatus::Reviewed);
    assert_eq!(picked.item.answer, Some(first.item.alternatives[0].answer.clone()));
    let e = lib.update_review_item(summary.id, first.index, &ReviewChange { pick: Some(7), ..Default::default() }, "bob").expect_err("no 8th");
    assert!(e.to_string().contains("no suggestion 8"), "{e}");
    let approved = lib
        .update_review_item(summary.id, first.index, &ReviewChange { status: Some(ReviewStatus::Approved), ..Default::default() }, "carol")
        .expect("approve");
    assert_eq!(approved.item.status, ReviewStatus::Approved);

    // Bulk accept: every suggestion at or above the threshold, and nothing else.
    let before = lib.review_session(summary.id).expect("session");
    let expected = before.items.iter().filter(|i| i.item.status == ReviewStatus::Suggested && i.item.confidence.unwrap_or(0.0) >= 0.8).count();
    assert!(expected > 0);
    assert_eq!(lib.accept_suggestions(summary.id, 0.8, "dave").expect("accept"), expected);
    assert!(lib.accept_suggestions(summary.id, 1.5, "dave").is_err());
    let after = lib.review_summary(summary.id).expect("summary");
    assert_eq!(after.counts["reviewed"], before.summary.counts["reviewed"] + expected);

    // Everything survives closing and reopening the library.
    drop(lib);
    let mut lib = Library::open(&dir.path().join("library.sqlite")).expect("reopen");
    let again = lib.review_session(summary.id).expect("session");
    assert_eq!(again.items[first.index].item.status, ReviewStatus::Approved);
    assert_eq!(again.items[first.index].item.changed_by.as_deref(), Some("carol"));

    // Export: the filled workbook holds the answers; a second export does not overwrite the first.
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    let r = workflow::export_review(&lib, summary.id, &out, true, &quiet).expect("export");
    assert!(r.workbook.is_file() && r.pdf.as_ref().is_some_and(|p| p.is_file()));
    assert!(r.unapproved > 0, "most answers are reviewed, not approved");
    let filled = read_questionnaire(&r.workbook).expect("read filled");
    let answered: Vec<_> = filled.questions().filter(|q| q.is_answered()).collect();
    assert_eq!(answered.len(), r.written);
    let item = &again.items[first.index].item;
    let row = filled.questions().find(|q| q.row == item.question.row && q.sheet == item.question.sheet).expect("row");
    assert_eq!(Some(row.answer.clone()), item.answer);
    let r2 = workflow::export_review(&lib, summary.id, &out, false, &quiet).expect("export again");
    assert_ne!(r2.workbook, r.workbook);
    let e = workflow::export_review(&lib, summary.id, &out.join("missing"), false, &quiet).expect_err("no folder");
    assert!(e.to_string().contains("not a folder"), "{e}");

    // Saving to the library: the accepted answers become entries; saving again adds nothing.
    let before = lib.entry_count().expect("count");
    let saved = lib.save_review_answers(summary.id).expect("save");
    assert!(saved.saved >= expected);
    assert_eq!(saved.report.answered, saved.saved);
    assert!(lib.entry_count().expect("count") >= before);
    let again = lib.save_review_answers(summary.id).expect("save again");
    assert!(again.report.already_imported.is_some());
    assert_eq!(again.report.added, 0);

    lib.delete_review(summary.id).expect("delete");
    assert!(lib.review_session(summary.id).is_err());
    assert!(lib.review_summaries().expect("list").is_empty());
}

#[test]
fn layout_corrections_are_kept_for_export() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut lib, samples) = seeded(dir.path());
    let q = read_questionnaire(&samples[1]).expect("read");
    let sheet = q.sheets.iter().find(|s| s.used).expect("a used sheet");
    let cols = sheet.columns.clone().expect("columns");
    let letters = cols.letters();
    // Swap the answer and comment columns: answers then land in the comment column.
    let answer = letters.get("answer").cloned().expect("answer column");
    let comment = letters.get("comment").cloned().expect("comment column");
    let swap = SheetOverride {
        sheet: sheet.name.clone(),
        include: true,
        header_row: None,
        columns: Some(ColumnLetters {
            reference: letters.get("ref").cloned(),
            question: letters["question"].clone(),
            answer: Some(comment.clone()),
            comment: Some(answer.clone()),
            domain: letters.get("domain").cloned(),
        }),
    };
    let report = workflow::inspect(&samples[1], std::slice::from_ref(&swap)).expect("inspect");
    let s = report.sheets.iter().find(|s| s.name == sheet.name).expect("sheet");
    assert_eq!(s.columns.get("answer"), Some(&comment));
    assert!(s.notes.iter().any(|n| n.contains("set by you")));
    let summary = workflow::start_review(&mut lib, &samples[1], std::slice::from_ref(&swap), 0.5, &quiet).expect("start");
    let session = lib.review_session(summary.id).expect("session");
    let item = session.items.iter().find(|i| i.item.answer.is_some()).expect("an answer");
    assert_eq!(item.item.question.answer_cell.as_deref().map(|c| c.trim_end_matches(char::is_numeric).to_string()), Some(comment.clone()));

    let skip = SheetOverride { sheet: sheet.name.clone(), include: false, header_row: None, columns: None };
    let e = workflow::start_review(&mut lib, &samples[1], &[skip], 0.5, &quiet).expect_err("nothing left");
    assert!(e.to_string().contains("skipped by you"), "{e}");
    let typo = SheetOverride { sheet: "No such sheet".into(), include: false, header_row: None, columns: None };
    let e = workflow::inspect(&samples[1], &[typo]).expect_err("typo");
    assert!(e.to_string().contains("no sheet named"), "{e}");
}

#[test]
fn importing_several_files_reports_each_and_goes_on_after_a_bad_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut lib, samples) = seeded(dir.path());
    let bad = dir.path().join("broken.xlsx");
    std::fs::write(&bad, b"not a workbook").expect("write");
    let results = workflow::import_answered(&mut lib, &[bad.clone(), samples[0].clone()], &[], &quiet);
    assert_eq!(results.len(), 2);
    assert!(results[0].report.is_none() && results[0].error.as_deref().is_some_and(|e| e.contains("broken.xlsx")), "{:?}", results[0]);
    let ok = results[1].report.as_ref().expect("second file imported");
    assert!(ok.already_imported.is_some(), "the demo seeded the same file");
}

#[test]
fn a_conflict_is_resolved_by_keeping_one_answer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut lib, _) = seeded(dir.path());
    let entry = lib.recent(1).expect("recent").pop().expect("an entry");
    // Create the conflict: the same question answered differently in another file.
    let csv = dir.path().join("other.csv");
    let other = if entry.answer == "Yes" { "No" } else { "Yes" };
    std::fs::write(&csv, format!("Question,Answer\n\"{}\",{other}\n", entry.question.replace('"', "\"\""))).expect("write");
    let q = read_questionnaire(&csv).expect("read csv");
    lib.import(&q, &[]).expect("import");
    let conflicts = lib.list(quire::library::EntryFilter { conflicts_only: true, stale_only: false }).expect("list");
    assert_eq!(conflicts.len(), 2, "{conflicts:?}");
    assert_eq!(lib.conflict_count().expect("count"), 2);
    assert_eq!(lib.resolve_conflict(entry.id).expect("resolve"), 1);
    assert!(lib.list(quire::library::EntryFilter { conflicts_only: true, stale_only: false }).expect("list").is_empty());
    assert_eq!(lib.conflict_count().expect("count"), 0);
    assert!(lib.history(entry.id).expect("history").iter().any(|h| h.field == "conflict resolved"));
    assert!(lib.resolve_conflict(entry.id).is_err());
}

#[test]
fn the_shipped_samples_are_what_the_generator_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let written = quire::samples::write_samples(dir.path()).expect("write");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("questionnaires/samples");
    for w in written {
        let name = w.file_name().expect("name");
        let committed = std::fs::read(shipped.join(name)).expect("questionnaires/samples has the file");
        assert!(std::fs::read(&w).expect("read") == committed, "{name:?} differs from the generator's output: regenerate with `quire demo --dir questionnaires/samples`");
    }
}

#[test]
fn importing_in_the_app_makes_a_rolling_backup_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut lib, samples) = seeded(dir.path());
    let before = lib.entry_count().expect("count");
    workflow::import_answered(&mut lib, &[samples[1].clone()], &[], &quiet);
    let backups: Vec<_> = std::fs::read_dir(dir.path().join("backups")).expect("backups folder").flatten().collect();
    assert_eq!(backups.len(), 1);
    let copy = Library::open(&backups[0].path()).expect("open backup");
    assert_eq!(copy.entry_count().expect("count"), before, "the backup is the library as it was before the import");
}

#[test]
fn a_csv_review_exports_a_clean_workbook() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut lib, _) = seeded(dir.path());
    let csv = dir.path().join("customer.csv");
    std::fs::write(&csv, "ID,Question,Answer\nC-1,Is customer data encrypted at rest?,\nC-2,\"=HYPERLINK(\"\"http://x.invalid\"\",\"\"Is MFA required?\"\")\",\n").expect("write");
    let summary = workflow::start_review(&mut lib, &csv, &[], 0.5, &quiet).expect("start");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    let r = workflow::export_review(&lib, summary.id, &out, false, &quiet).expect("a CSV review exports");
    assert!(r.notes.iter().any(|n| n.contains("cannot be edited in place")));
    let back = read_questionnaire(&r.workbook).expect("read export");
    assert!(back.questions().any(|q| q.text.starts_with("=HYPERLINK(")), "formula-like text stays text");
    lib.delete_review(summary.id).expect("delete");
    assert!(!dir.path().join("questionnaires").read_dir().expect("ls").any(|e| e.is_ok()), "the copy and its folder are gone");
}
