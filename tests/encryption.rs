//! Encryption at rest, through the core as the CLI and the app use it: a seeded library with a
//! document and a review in progress is encrypted; nothing readable is left in its files; it
//! opens only with the passphrase (a wrong one changes nothing); everything still works
//! (search, audit chain, review export, document export, backups); rekey and decrypt; and the
//! conversions refuse to run while the library is open elsewhere.

use quire::library::{is_encrypted, Library, NewEvidence, Passphrase};
use quire::workflow::{self, Progress};
use quire::Error;
use std::path::{Path, PathBuf};

fn quiet(_: Progress) {}

fn pass(s: &str) -> Passphrase {
    Passphrase::new_for_encryption(s).expect("passphrase")
}

const POLICY: &str = "Encryption policy: customer data is encrypted at rest with AES-256 (Zanzibar-7).";

/// A library with the demo answers, one document and one review; returns (library path, the
/// review's questionnaire copy, review id).
fn seeded(dir: &Path) -> (PathBuf, PathBuf, i64) {
    let path = dir.join("lib").join("library.sqlite");
    let mut lib = Library::open(&path).expect("open");
    let seed = workflow::seed_demo_on_first_run(&mut lib, &dir.join("demo")).expect("seed").expect("first run");
    let doc = dir.join("policy.txt");
    std::fs::write(&doc, POLICY).expect("write");
    lib.add_evidence(&doc, &NewEvidence { title: Some("Encryption policy".into()), ..Default::default() }).expect("evidence");
    let review = workflow::start_review(&mut lib, &seed.samples[1], &[], 0.5, &quiet).expect("review");
    lib.rolling_backup("test").expect("backup").expect("on disk");
    let stored = std::fs::read_dir(dir.join("lib").join("questionnaires")).expect("copies").flatten().next().expect("one").path();
    let stored = std::fs::read_dir(stored).expect("ls").flatten().next().expect("copy").path();
    (path, stored, review.id)
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn an_encrypted_library_keeps_nothing_readable_and_still_works() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, copy, review) = seeded(dir.path());
    let (entries, question) = {
        let lib = Library::open(&path).expect("open");
        let e = lib.recent(1).expect("recent").remove(0);
        (lib.entry_count().expect("count"), e.question)
    };
    let plain_copy = std::fs::read(&copy).expect("copy");
    assert!(contains(&std::fs::read(&path).expect("db"), &question), "the plain library holds the question text");

    let r = Library::encrypt(&path, &pass("correct horse battery")).expect("encrypt");
    assert!(r.encrypted && !r.unchanged);
    assert_eq!((r.entries, r.files, r.backups), (entries, 2, 1), "{r:?}");
    assert!(is_encrypted(&path).expect("state"));

    // Nothing readable on disk: the database, its document, the questionnaire copy, the backup.
    let db = std::fs::read(&path).expect("db");
    assert!(!contains(&db, &question) && !contains(&db, "SQLite format 3"));
    let evidence = std::fs::read_dir(dir.path().join("lib").join("evidence")).expect("ls").flatten().next().expect("doc").path();
    let sealed = std::fs::read(&evidence).expect("doc");
    assert!(!contains(&sealed, "Zanzibar-7") && sealed.starts_with(b"age-encryption.org/v1"));
    assert!(std::fs::read(&copy).expect("copy").starts_with(b"age-encryption.org/v1"));
    for b in std::fs::read_dir(dir.path().join("lib").join("backups")).expect("backups").flatten() {
        assert!(is_encrypted(&b.path()).expect("backup state"), "{}", b.path().display());
    }
    for side in std::fs::read_dir(dir.path().join("lib")).expect("ls").flatten() {
        let name = side.file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".part") && !name.ends_with("-wal"), "left behind: {name}");
    }

    // Locked without the passphrase; a wrong one changes nothing.
    assert!(matches!(Library::open(&path), Err(Error::Locked { .. })));
    let before = std::fs::read(&path).expect("db");
    let wrong = Library::open_with(&path, Some(&Passphrase::new("Correct horse battery").expect("p"))).err().expect("a wrong passphrase fails");
    assert!(matches!(wrong, Error::WrongPassphrase { .. }), "{wrong}");
    assert!(wrong.to_string().contains("passphrase is wrong"));
    assert_eq!(std::fs::read(&path).expect("db"), before, "a wrong passphrase wrote to the library");

    // Everything works with it.
    let lib = Library::open_with(&path, Some(&pass("correct horse battery"))).expect("unlock");
    assert!(lib.is_encrypted());
    assert_eq!(lib.entry_count().expect("count"), entries);
    assert_eq!(lib.integrity_check().expect("check"), "ok");
    assert!(lib.verify_audit().expect("audit").ok());
    assert!(!lib.search("encrypted", 5).expect("search").is_empty());
    let out = dir.path().join("policy-copy.txt");
    lib.export_evidence(1, &out).expect("export document");
    assert_eq!(std::fs::read_to_string(&out).expect("read"), POLICY);
    let folder = dir.path().join("out");
    std::fs::create_dir(&folder).expect("mkdir");
    let exported = workflow::export_review(&lib, review, &folder, false, &quiet).expect("export review");
    assert!(exported.written > 0);
    assert!(std::fs::read(&copy).expect("copy").starts_with(b"age"), "export must not leave a plain copy");
    // New documents are encrypted as they are added; backups are written encrypted.
    let doc2 = dir.path().join("bcp.md");
    std::fs::write(&doc2, "# Business continuity plan (Xylophone-3)").expect("write");
    let mut lib = lib;
    let (ev, _) = lib.add_evidence(&doc2, &NewEvidence::default()).expect("add");
    assert!(!contains(&std::fs::read(&ev.stored_path).expect("kept"), "Xylophone-3"));
    let backup = dir.path().join("manual-backup.sqlite");
    lib.backup_to(&backup).expect("backup");
    assert!(is_encrypted(&backup).expect("state"));
    drop(lib);

    // Restore of an encrypted backup needs its passphrase.
    assert!(matches!(Library::restore(&path, &backup, None), Err(Error::Locked { .. })));
    let restored = Library::restore(&path, &backup, Some(&pass("correct horse battery"))).expect("restore");
    assert_eq!(restored.entries, entries);

    // Rekey: the old passphrase stops working, the documents need no rewrite.
    let r = Library::rekey(&path, &pass("correct horse battery"), &pass("a different passphrase")).expect("rekey");
    assert_eq!(r.files, 0);
    assert!(matches!(Library::open_with(&path, Some(&pass("correct horse battery"))), Err(Error::WrongPassphrase { .. })));
    let lib = Library::open_with(&path, Some(&pass("a different passphrase"))).expect("new passphrase");
    assert_eq!(lib.read_kept_file(Path::new(&ev.stored_path)).expect("read"), b"# Business continuity plan (Xylophone-3)");
    drop(lib);

    // Decrypt for good: plain database and files again, the audit chain intact.
    let r = Library::decrypt(&path, &pass("a different passphrase")).expect("decrypt");
    assert!(!r.encrypted && r.files >= 3, "{r:?}");
    assert!(!is_encrypted(&path).expect("state"));
    let lib = Library::open(&path).expect("plain again");
    assert_eq!(lib.entry_count().expect("count"), entries);
    assert!(lib.verify_audit().expect("audit").ok());
    assert_eq!(std::fs::read(&copy).expect("copy"), plain_copy);
    assert!(lib.setting("file_key").expect("setting").is_none(), "the file key must not stay in a plain library");
}

#[test]
fn conversions_refuse_while_the_library_is_open_and_finish_interrupted_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, copy, _) = seeded(dir.path());
    let before = std::fs::read(&path).expect("db");
    let open = Library::open(&path).expect("open elsewhere");
    let e = Library::encrypt(&path, &pass("correct horse battery")).err().expect("busy");
    assert!(e.to_string().contains("close that first"), "{e}");
    drop(open);
    assert_eq!(std::fs::read(&path).expect("db"), before);
    assert!(!is_encrypted(&path).expect("state"));

    // A too-short passphrase is refused before anything happens.
    assert!(Passphrase::new_for_encryption("abc").is_err());

    Library::encrypt(&path, &pass("correct horse battery")).expect("encrypt");
    // As if a run had been killed between the database and the files: a plain file again.
    let plain = {
        let lib = Library::open_with(&path, Some(&pass("correct horse battery"))).expect("open");
        lib.read_kept_file(&copy).expect("read")
    };
    std::fs::write(&copy, &plain).expect("write plain");
    let lib = Library::open_with(&path, Some(&pass("correct horse battery"))).expect("open");
    assert_eq!(lib.read_kept_file(&copy).expect("plain still reads"), plain);
    drop(lib);
    let r = Library::encrypt(&path, &pass("correct horse battery")).expect("again");
    assert!(r.unchanged && r.files == 1, "{r:?}");
    assert!(std::fs::read(&copy).expect("copy").starts_with(b"age"));
    // Encrypting again with another passphrase is a wrong passphrase, not a second layer.
    assert!(matches!(Library::encrypt(&path, &pass("some other passphrase")), Err(Error::WrongPassphrase { .. })));
}
