//! The tamper-evident audit log: every change is recorded with who, when, before and after in a
//! hash chain; `verify` names edited, deleted and moved records; other tools cannot change the
//! audited tables; the log exports for auditors.

use quire::assess::vendor::Vendor;
use quire::library::{open_plain, EntryEdit, Library};
use quire::review::ReviewChange;
use quire::workflow::{self, Progress};
use std::process::Command;

fn quiet(_: Progress) {}

fn busy_library(dir: &std::path::Path) -> Library {
    let mut lib = Library::open(&dir.join("library.sqlite")).expect("open");
    lib.set_actor("alice");
    let seed = workflow::seed_demo(&mut lib, &dir.join("demo")).expect("seed");
    let id = lib.recent(1).expect("recent")[0].id;
    lib.edit(id, &EntryEdit { answer: Some("Partial".into()), ..Default::default() }).expect("edit");
    let r = workflow::start_review(&mut lib, &seed.samples[1], &[], 0.5, &quiet).expect("review");
    lib.update_review_item(r.id, 0, &ReviewChange { answer: Some("No".into()), ..Default::default() }, "alice").expect("change");
    lib.add_vendor(Vendor::new("Acme")).expect("vendor");
    lib
}

#[test]
fn every_change_is_recorded_with_who_and_what() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lib = busy_library(dir.path());
    let log = lib.audit_records().expect("log");
    assert!(log.iter().all(|r| r.actor == "alice"));
    let edit = log.iter().find(|r| r.entity == "entry" && r.action == "update").expect("the entry edit");
    assert!(edit.before.as_deref().is_some_and(|b| b.contains("\"answer\"")) && edit.after.as_deref().is_some_and(|a| a.contains("Partial")));
    assert!(log.iter().any(|r| r.entity == "entry" && r.action == "insert"), "imports are recorded");
    assert!(log.iter().any(|r| r.entity == "review" && r.action == "insert"));
    assert!(log.iter().any(|r| r.entity == "review answer" && r.action == "update" && r.after.as_deref().is_some_and(|a| a.contains("\"No\""))));
    assert!(log.iter().any(|r| r.entity == "vendor" && r.action == "insert"));
    let v = lib.verify_audit().expect("verify");
    assert!(v.ok(), "{:?}", v.problems);
    assert_eq!(v.records, log.len());
    assert_eq!(v.head, log.last().expect("records").hash);
}

#[test]
fn edited_deleted_and_reordered_records_are_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lib = busy_library(dir.path());
    let n = lib.audit_records().expect("log").len();
    assert!(n > 10);
    drop(lib);
    let path = dir.path().join("library.sqlite");
    let raw = open_plain(&path).expect("raw");
    // Edited.
    raw.execute("UPDATE audit_log SET after = '{\"answer\":\"Yes\"}' WHERE id = 5", []).expect("tamper");
    drop(raw);
    let v = Library::open(&path).expect("open").verify_audit().expect("verify");
    assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
    assert!(v.problems[0].contains("record 5") && v.problems[0].contains("edited"), "{:?}", v.problems);

    let dir2 = tempfile::tempdir().expect("tempdir");
    let lib = busy_library(dir2.path());
    drop(lib);
    let path = dir2.path().join("library.sqlite");
    let raw = open_plain(&path).expect("raw");
    // Deleted.
    raw.execute("DELETE FROM audit_log WHERE id = 7", []).expect("delete");
    // Moved: records 3 and 4 swap places (contents exchanged, ids kept).
    raw.execute_batch(
        "UPDATE audit_log SET id = -3 WHERE id = 3; UPDATE audit_log SET id = 3 WHERE id = 4; UPDATE audit_log SET id = 4 WHERE id = -3;",
    )
    .expect("swap");
    drop(raw);
    let v = Library::open(&path).expect("open").verify_audit().expect("verify");
    let all = v.problems.join("\n");
    assert!(all.contains("records 7–7 are missing"), "{all}");
    assert!(all.contains("record 8 does not follow"), "{all}");
    assert!(all.contains("record 3 does not follow") || all.contains("record 4 does not follow"), "{all}");
}

#[test]
fn another_tool_cannot_change_audited_tables() {
    let dir = tempfile::tempdir().expect("tempdir");
    drop(busy_library(dir.path()));
    let raw = open_plain(&dir.path().join("library.sqlite")).expect("raw");
    let e = raw.execute("UPDATE entries SET answer = 'No' WHERE id = 1", []).expect_err("trigger needs Quire's functions");
    assert!(e.to_string().contains("quire_"), "{e}");
}

#[test]
fn the_cli_verifies_and_exports() {
    let dir = tempfile::tempdir().expect("tempdir");
    drop(busy_library(dir.path()));
    let db = dir.path().join("library.sqlite");
    let quire = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_quire")).arg("--db").arg(&db).args(args).output().expect("run");
    let ok = quire(&["audit", "verify"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("intact"));
    let csv = dir.path().join("audit.csv");
    assert!(quire(&["audit", "export", csv.to_str().expect("utf-8")]).status.success());
    let rows = csv::Reader::from_path(&csv).expect("csv").records().count();
    let n = Library::open(&db).expect("open").audit_records().expect("log").len();
    assert_eq!(rows, n);
    let xlsx = dir.path().join("audit.xlsx");
    assert!(quire(&["audit", "export", xlsx.to_str().expect("utf-8")]).status.success());
    let wb = quire::sheet::read::read_workbook(&xlsx).expect("xlsx");
    assert_eq!(wb.sheets[0].rows.len(), n + 1);
    open_plain(&db).expect("raw").execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 2", []).expect("tamper");
    let bad = quire(&["audit", "verify"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stdout).contains("record 2"), "{}", String::from_utf8_lossy(&bad.stdout));
}

/// Issue 14: deleting records from the end of the log broke no link, so `verify` still said
/// "intact". The anchored head (migration 008) catches it, however many records went.
#[test]
fn records_deleted_from_the_end_are_caught() {
    for (what, sql) in [
        ("the last record", "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"),
        ("the last 50", "DELETE FROM audit_log WHERE id > (SELECT max(id) - 50 FROM audit_log)"),
        ("all of them", "DELETE FROM audit_log"),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut lib = busy_library(dir.path());
        for i in 0..20 {
            lib.add_vendor(Vendor::new(&format!("Vendor {i}"))).expect("vendor");
        }
        let n = lib.audit_records().expect("log").len();
        assert!(n > 50, "{n}");
        assert!(lib.verify_audit().expect("verify").ok());
        drop(lib);
        let path = dir.path().join("library.sqlite");
        open_plain(&path).expect("raw").execute(sql, []).expect("delete");
        let v = Library::open(&path).expect("open").verify_audit().expect("verify");
        let all = v.problems.join("\n");
        assert!(!v.ok(), "{what}: still intact");
        assert!(all.contains(&format!("–{n} were deleted from the end of the log")), "{what}: {all}");
    }
}

#[test]
fn an_anchor_deleted_or_forged_without_the_key_is_caught() {
    let dir = tempfile::tempdir().expect("tempdir");
    drop(busy_library(dir.path()));
    let path = dir.path().join("library.sqlite");
    let raw = open_plain(&path).expect("raw");
    raw.execute_batch("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log); DELETE FROM audit_anchor;").expect("cover tracks");
    drop(raw);
    let v = Library::open(&path).expect("open").verify_audit().expect("verify");
    assert!(v.problems.join("\n").contains("anchor") && v.problems.join("\n").contains("deleted"), "{:?}", v.problems);

    let dir = tempfile::tempdir().expect("tempdir");
    drop(busy_library(dir.path()));
    let path = dir.path().join("library.sqlite");
    let raw = open_plain(&path).expect("raw");
    // Moves the anchor back by one record, with a made-up MAC.
    raw.execute_batch(
        "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log);
         UPDATE audit_anchor SET records = records - 1, head = (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), mac = 'forged';",
    )
    .expect("forge");
    drop(raw);
    let v = Library::open(&path).expect("open").verify_audit().expect("verify");
    assert!(v.problems.join("\n").contains("anchor was edited"), "{:?}", v.problems);
}

#[test]
fn rows_without_their_creation_record_are_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    drop(busy_library(dir.path()));
    let path = dir.path().join("library.sqlite");
    let raw = open_plain(&path).expect("raw");
    // Removing the record of vendor "Acme"'s creation is caught twice: by the chain and by the
    // cross-check of rows against their creating records.
    let id: i64 = raw.query_row("SELECT id FROM audit_log WHERE entity = 'vendor' AND action = 'insert'", [], |r| r.get(0)).expect("vendor record");
    raw.execute("DELETE FROM audit_log WHERE id = ?1", [id]).expect("delete");
    drop(raw);
    let v = Library::open(&path).expect("open").verify_audit().expect("verify");
    let all = v.problems.join("\n");
    assert!(all.contains("vendor row(s) have no record of their creation"), "{all}");
}

#[test]
fn an_auditor_checks_a_head_noted_earlier() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut lib = busy_library(dir.path());
    let noted = lib.verify_audit().expect("verify").head_mark;
    lib.add_vendor(Vendor::new("Later Inc")).expect("more work after the audit");
    assert!(lib.verify_audit_against(&noted).expect("verify").ok(), "the log grew: still fine");
    assert!(lib.verify_audit_against("12:zz").is_err(), "a malformed head is an input error");
    drop(lib);
    let db = dir.path().join("library.sqlite");
    let quire = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_quire")).arg("--db").arg(&db).args(args).output().expect("run");
    let ok = quire(&["audit", "verify", "--expect", &noted]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stdout));
    // A whole rewrite from the noted record on (here: the record's content changed and every
    // later hash recomputed, as someone with Quire's code could) no longer holds the head.
    let (n, _) = noted.split_once(':').expect("mark");
    let raw = open_plain(&db).expect("raw");
    raw.execute("UPDATE audit_log SET hash = (CASE WHEN substr(hash, 1, 1) = 'a' THEN 'b' ELSE 'a' END) || substr(hash, 2) WHERE id = ?1", [n]).expect("rewrite");
    drop(raw);
    let bad = quire(&["audit", "verify", "--expect", &noted]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stdout).contains("expected hash") || String::from_utf8_lossy(&bad.stdout).contains("expected head"), "{}", String::from_utf8_lossy(&bad.stdout));
}
