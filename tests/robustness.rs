//! Issue 14, "nothing lost, ever": the library under concurrent writers, relative library paths,
//! files that are not Quire libraries, and damaged libraries. Each test failed on the main of
//! before the fix (what it failed with is said at the test).

use quire::library::{open_plain, Library, NewEvidence};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

fn quire_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_quire"));
    c.current_dir(dir).args(args).env_remove("QUIRE_DB").env_remove("QUIRE_PASSPHRASE").env_remove("QUIRE_NEW_PASSPHRASE");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run quire")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A CSV questionnaire of `n` answered questions whose texts start with `tag`.
fn answered_csv(dir: &Path, tag: &str, n: usize) -> PathBuf {
    let path = dir.join(format!("{tag}.csv"));
    let mut out = String::from("ID,Question,Answer,Comment\n");
    for i in 0..n {
        out.push_str(&format!("{tag}-{i},Does the {tag} team review control number {i} of the {tag} programme every year?,Yes,reviewed by {tag}\n"));
    }
    std::fs::write(&path, out).expect("write csv");
    path
}

const PASS: &str = "correct horse battery staple";

/// Failed before: with `--db lib.sqlite` run from the library's folder, `decrypt` found no
/// kept documents (the library had no folder), left them encrypted and dropped their key, so
/// `evidence export` could never read them again; `encrypt` left them plain and said nothing.
#[test]
fn a_bare_file_name_library_keeps_its_documents_through_encrypt_and_decrypt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let policy = "Access reviews happen every quarter; MFA everywhere.\n";
    std::fs::write(d.join("policy.txt"), policy).expect("write");
    let add = quire_in(d, &["--db", "lib.sqlite", "evidence", "add", "policy.txt"], &[]);
    assert!(add.status.success(), "{}", text(&add.stderr));
    let kept: PathBuf = std::fs::read_dir(d.join("evidence")).expect("evidence folder").flatten().map(|e| e.path()).next().expect("a kept copy");

    let enc = quire_in(d, &["--db", "lib.sqlite", "library", "encrypt"], &[("QUIRE_NEW_PASSPHRASE", PASS)]);
    assert!(enc.status.success(), "{}", text(&enc.stderr));
    let sealed = std::fs::read(&kept).expect("read");
    assert!(sealed.starts_with(b"age-encryption.org/v1"), "the kept document was left plain by encrypt");

    let dec = quire_in(d, &["--db", "lib.sqlite", "library", "decrypt"], &[("QUIRE_PASSPHRASE", PASS)]);
    assert!(dec.status.success(), "{}", text(&dec.stderr));
    assert_eq!(std::fs::read_to_string(&kept).expect("read"), policy, "decrypt left the document encrypted");
    let export = quire_in(d, &["--db", "lib.sqlite", "evidence", "export", "1", "-o", "copy.txt"], &[]);
    assert!(export.status.success(), "{}", text(&export.stderr));
    assert_eq!(std::fs::read_to_string(d.join("copy.txt")).expect("read"), policy);
}

/// A library copied elsewhere without its documents still records them in the first folder:
/// decrypting the copy must not drop the key those (encrypted) documents need.
#[test]
fn the_key_is_not_dropped_while_a_document_still_needs_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir_all(&b).expect("mkdir");
    let pass = quire::library::Passphrase::new(PASS).expect("pass");
    {
        let mut lib = Library::open(&a.join("lib.sqlite")).expect("open");
        std::fs::write(a.join("soc2.txt"), "SOC 2 Type II report text").expect("write");
        lib.add_evidence(&a.join("soc2.txt"), &NewEvidence::default()).expect("add");
    }
    Library::encrypt(&a.join("lib.sqlite"), &pass).expect("encrypt");
    std::fs::copy(a.join("lib.sqlite"), b.join("lib.sqlite")).expect("copy the library file alone");
    let before = std::fs::read(b.join("lib.sqlite")).expect("read");
    let e = Library::decrypt(&b.join("lib.sqlite"), &pass).expect_err("must refuse").to_string();
    assert!(e.contains("still encrypted") && e.contains("nothing was changed"), "{e}");
    assert_eq!(std::fs::read(b.join("lib.sqlite")).expect("read"), before);
}

/// Failed before: all importers but one exited within 0.4 s with "database is locked" (deferred
/// transactions cannot wait for the write lock), and their imports were lost. Now four
/// importers and the app's writes, started while another writer holds the lock, all wait and
/// all land; a waiting importer says that it waits.
#[test]
fn four_importers_and_the_apps_writes_all_land() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let db = d.join("library.sqlite");
    drop(Library::open(&db).expect("create"));
    let files: Vec<PathBuf> = ["alpha", "bravo", "charlie", "delta"].iter().map(|t| answered_csv(d, t, 400)).collect();

    // Someone else is writing: the lock is held for three seconds.
    let holder = open_plain(&db).expect("raw");
    holder.execute_batch("BEGIN IMMEDIATE; INSERT INTO settings(key, value) VALUES ('held', 'yes');").expect("hold the write lock");

    let children: Vec<std::process::Child> = files
        .iter()
        .map(|f| {
            Command::new(env!("CARGO_BIN_EXE_quire"))
                .arg("--db")
                .arg(&db)
                .args(["library", "import", s(f)])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    // The app: its own connection, saving an evidence document and a vendor meanwhile.
    let app_db = db.clone();
    let app_dir = d.to_path_buf();
    let app = std::thread::spawn(move || {
        let mut lib = Library::open(&app_db).expect("app opens");
        std::fs::write(app_dir.join("pen-test.txt"), "Annual penetration test summary").expect("write");
        lib.add_evidence(&app_dir.join("pen-test.txt"), &NewEvidence::default()).expect("the app's evidence lands");
        lib.add_vendor(quire::assess::vendor::Vendor::new("Acme Imaging")).expect("the app's vendor lands");
        lib.set_setting("review_cadence_months", "6").expect("the app's setting lands");
    });
    std::thread::sleep(Duration::from_secs(3));
    holder.execute_batch("COMMIT;").expect("release");

    let outputs: Vec<Output> = children.into_iter().map(|c| c.wait_with_output().expect("wait")).collect();
    app.join().expect("app thread");
    for o in &outputs {
        assert!(o.status.success(), "an importer failed: {}", text(&o.stderr));
    }
    assert!(outputs.iter().any(|o| text(&o.stderr).contains("waiting")), "no importer said that it waited");
    let lib = Library::open(&db).expect("open");
    assert_eq!(lib.entry_count().expect("count"), 4 * 400, "an import was lost");
    assert_eq!(lib.evidence_list().expect("evidence").len(), 1);
    assert_eq!(lib.vendor_summaries().expect("vendors").len(), 1);
    assert_eq!(lib.review_cadence_months().expect("setting"), 6);
    assert!(lib.verify_audit().expect("audit").ok());
}

/// Failed before: `--db` pointing at another program's SQLite file added Quire's 27 tables to
/// it and exited 0.
#[test]
fn another_programs_database_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let other = dir.path().join("notes.db");
    {
        let raw = open_plain(&other).expect("create");
        raw.execute_batch("PRAGMA journal_mode = DELETE; CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('groceries');").expect("seed");
    }
    let before = std::fs::read(&other).expect("read");
    let out = quire_in(dir.path(), &["--db", s(&other), "library", "list"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("another program") && err.contains("notes"), "{err}");
    assert_eq!(std::fs::read(&other).expect("read"), before, "the file was changed");
    assert!(!dir.path().join("notes.db-wal").exists());
    // One with a foreign application id too.
    open_plain(&other).expect("raw").execute_batch("PRAGMA application_id = 42;").expect("id");
    let out = quire_in(dir.path(), &["--db", s(&other), "library", "list"], &[]);
    assert!(text(&out.stderr).contains("application id 0x2a"), "{}", text(&out.stderr));
}

/// Failed before: a library refused as "made by a newer Quire" was still switched to WAL mode.
#[test]
fn a_newer_library_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("library.sqlite");
    drop(Library::open(&db).expect("create"));
    open_plain(&db).expect("raw").execute_batch("PRAGMA journal_mode = DELETE; PRAGMA user_version = 99;").expect("future");
    let before = std::fs::read(&db).expect("read");
    let out = quire_in(dir.path(), &["--db", s(&db), "library", "list"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("newer Quire"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(&db).expect("read"), before, "the file was changed (WAL switch)");
}

/// Failed before: `library import` committed into a library whose pages were damaged.
#[test]
fn a_damaged_library_is_not_written_and_the_error_names_the_newest_backup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("library.sqlite");
    let first = answered_csv(dir.path(), "first", 3_000);
    let out = quire_in(dir.path(), &["--db", s(&db), "library", "import", s(&first)], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    {
        let lib = Library::open(&db).expect("open");
        lib.rolling_backup("test").expect("backup");
        open_plain(&db).expect("raw").execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").expect("fold");
    }
    // Scribble over a page in the middle of the file (an entries table page).
    let mut bytes = std::fs::read(&db).expect("read");
    let page = 4096;
    let at = (bytes.len() / page / 2) * page;
    for b in &mut bytes[at + 100..at + 1500] {
        *b = 0x5a;
    }
    std::fs::write(&db, &bytes).expect("damage");
    let second = answered_csv(dir.path(), "second", 10);
    let out = quire_in(dir.path(), &["--db", s(&db), "library", "import", s(&second)], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(err.contains("damaged") && err.contains("backups") && err.contains("nothing was written"), "{err}");
    let after = std::fs::read(&db).expect("read");
    assert_eq!(after, bytes, "the damaged library was written to");
}
