//! Crash safety: the `quire` process is killed (SIGKILL) at random moments during a large import
//! and during a fill, many times. After each kill the library must pass SQLite's integrity check
//! and hold all or none of the interrupted import; the fill must leave no partial output and an
//! unchanged input (a killed write's temporary part is removed by the next write there).
//! Encrypting and decrypting a library are killed the same way: afterwards the library opens
//! either as it was or converted, whole, with every entry, its audit chain and its documents,
//! and running the command again finishes the job.

mod common;

use common::fixtures;
use quire::library::{is_encrypted, Library, NewEvidence, Passphrase};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KILLS: usize = 25;

/// A small deterministic generator; the seed is printed so a failure can be replayed.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

fn seed() -> u64 {
    let s = std::env::var("QUIRE_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(7)
    });
    eprintln!("crash test seed {s} (QUIRE_CRASH_SEED={s} replays it)");
    s
}

fn quire(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_quire"));
    c.arg("--db").arg(db).stdout(Stdio::null()).stderr(Stdio::null());
    // Words only: these runs are about the import's and fill's transactions. With the model,
    // an import of 20,000 rows goes on to embed them (minutes in a test build, each chunk its
    // own transaction, tested in tests/meaning.rs), and most kills would land there.
    c.env("QUIRE_MODEL_DIR", db.with_extension("no-model"));
    c
}

/// Runs the command to the end and returns how long it took.
fn timed(mut c: Command) -> Duration {
    let t = Instant::now();
    let st = c.status().expect("run quire");
    assert!(st.success(), "the uninterrupted run must succeed");
    t.elapsed()
}

/// Starts the command and kills it after `after` (if it is still running). True if killed.
fn kill_after(mut c: Command, after: Duration) -> bool {
    let mut child = c.spawn().expect("spawn quire");
    std::thread::sleep(after);
    let killed = matches!(child.try_wait(), Ok(None));
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
    killed
}

#[test]
fn a_killed_import_leaves_all_or_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let book = fixtures::large(dir.path(), 20_000).expect("fixture");
    let full_db = dir.path().join("full.sqlite");
    let mut c = quire(&full_db);
    c.args(["library", "import"]).arg(&book);
    let took = timed(c);
    let full = Library::open(&full_db).expect("open").entry_count().expect("count");
    assert!(full > 1000);
    let mut rng = Lcg(seed());
    let (mut killed, mut none, mut all) = (0, 0, 0);
    for i in 0..KILLS {
        let db = dir.path().join(format!("kill-{i}.sqlite"));
        let mut c = quire(&db);
        c.args(["library", "import"]).arg(&book);
        let at = Duration::from_micros(rng.below(took.as_micros() as u64 * 4 / 5 + 1));
        killed += kill_after(c, at) as usize;
        let lib = Library::open(&db).expect("a killed import leaves a library that opens");
        assert_eq!(lib.integrity_check().expect("check"), "ok", "kill {i} at {at:?}");
        let n = lib.entry_count().expect("count");
        assert!(n == 0 || n == full, "kill {i} at {at:?}: {n} entries, expected 0 or {full}");
        if n == 0 { none += 1 } else { all += 1 }
    }
    eprintln!("import of 20,000 rows ({took:?}): {KILLS} runs, {killed} killed mid-way; {none} left nothing, {all} complete");
    assert!(killed >= KILLS / 3, "runs must really be interrupted ({killed} of {KILLS})");
}

#[test]
fn a_killed_fill_leaves_no_partial_output_and_the_input_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let book = fixtures::large(dir.path(), 20_000).expect("fixture");
    let before = std::fs::read(&book).expect("read");
    let db = dir.path().join("lib.sqlite");
    let mut c = quire(&db);
    c.args(["library", "import"]).arg(&book);
    timed(c);
    let out_dir = dir.path().join("out");
    std::fs::create_dir_all(&out_dir).expect("mkdir");
    let fill = |out: &Path| {
        let mut c = quire(&db);
        c.arg("fill").arg(&book).arg("-o").arg(out).args(["--overwrite", "--min-confidence", "0"]);
        c
    };
    let took = timed(fill(&out_dir.join("reference.xlsx")));
    let reference = quire::sheet::read_questionnaire(&out_dir.join("reference.xlsx")).expect("read reference");
    std::fs::remove_file(out_dir.join("reference.xlsx")).expect("rm");
    let mut rng = Lcg(seed());
    let mut killed = 0;
    for i in 0..KILLS {
        let out = out_dir.join(format!("filled-{i}.xlsx"));
        let at = Duration::from_micros(rng.below(took.as_micros() as u64 * 4 / 5 + 1));
        killed += kill_after(fill(&out), at) as usize;
        assert_eq!(std::fs::read(&book).expect("read"), before, "kill {i}: the input changed");
        if out.exists() {
            // Renamed into place only when complete: it reads like the uninterrupted output.
            let q = quire::sheet::read_questionnaire(&out).expect("a complete workbook");
            assert_eq!(q.answered_count(), reference.answered_count(), "kill {i} at {at:?}");
        }
    }
    // A killed write's temporary part is cleaned up by the next write into the folder.
    timed(fill(&out_dir.join("after.xlsx")));
    let leftovers: Vec<String> = std::fs::read_dir(&out_dir)
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "partial files left: {leftovers:?}");
    eprintln!("fill of 20,000 rows ({took:?}): {KILLS} runs, {killed} killed mid-way; no partial output, input unchanged");
    assert!(killed >= KILLS / 3, "runs must really be interrupted ({killed} of {KILLS})");
}

/// Each conversion run copies a library and derives keys several times: fewer runs than above.
const CONVERSION_KILLS: usize = 20;
const PASSPHRASE: &str = "correct horse battery staple";

/// Copies a closed library folder (database and kept documents) to `to`.
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("ls").flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_folder(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

/// Opens a library in whichever state a killed conversion left it and checks it is whole.
fn check_whole(db: &Path, entries: usize, doc: &[u8], what: &str) -> bool {
    let encrypted = is_encrypted(db).expect("state");
    let key = Passphrase::new(PASSPHRASE).expect("passphrase");
    let lib = Library::open_with(db, encrypted.then_some(&key)).unwrap_or_else(|e| panic!("{what}: the library does not open: {e}"));
    assert_eq!(lib.integrity_check().expect("check"), "ok", "{what}");
    assert_eq!(lib.entry_count().expect("count"), entries, "{what}");
    assert!(lib.verify_audit().expect("audit").ok(), "{what}: audit chain broken");
    let ev = lib.evidence_list().expect("evidence").remove(0);
    assert_eq!(lib.read_kept_file(Path::new(&ev.stored_path)).expect("document reads"), doc, "{what}");
    encrypted
}

#[test]
fn a_killed_encryption_or_decryption_leaves_a_whole_library() {
    let dir = tempfile::tempdir().expect("tempdir");
    let book = fixtures::large(dir.path(), 20_000).expect("fixture");
    let base = dir.path().join("base");
    let base_db = base.join("library.sqlite");
    let mut c = quire(&base_db);
    c.args(["library", "import"]).arg(&book);
    timed(c);
    let doc = b"Incident response plan: notify customers within 72 hours.".to_vec();
    std::fs::write(dir.path().join("irp.txt"), &doc).expect("write");
    let entries = {
        let mut lib = Library::open(&base_db).expect("open");
        lib.add_evidence(&dir.path().join("irp.txt"), &NewEvidence::default()).expect("evidence");
        lib.entry_count().expect("count")
    };
    let run = |db: &Path, verb: &str| {
        let mut c = quire(db);
        c.args(["library", verb]).env("QUIRE_NEW_PASSPHRASE", PASSPHRASE).env("QUIRE_PASSPHRASE", PASSPHRASE);
        c
    };
    // The encrypted starting point for the decryption runs.
    let sealed = dir.path().join("sealed");
    copy_folder(&base, &sealed);
    let took_encrypt = timed(run(&sealed.join("library.sqlite"), "encrypt"));
    let spare = dir.path().join("spare");
    copy_folder(&sealed, &spare);
    let took_decrypt = timed(run(&spare.join("library.sqlite"), "decrypt"));

    let mut rng = Lcg(seed());
    for (verb, from, took) in [("encrypt", &base, took_encrypt), ("decrypt", &sealed, took_decrypt)] {
        let (mut killed, mut before, mut after) = (0, 0, 0);
        for i in 0..CONVERSION_KILLS {
            let folder = dir.path().join(format!("{verb}-{i}"));
            copy_folder(from, &folder);
            let db = folder.join("library.sqlite");
            // Early kills all land in the export; weight the late part, where the file is swapped
            // and the documents are converted.
            let span = took.as_micros() as u64;
            let at = Duration::from_micros(span / 3 + rng.below(span * 3 / 4 + 1));
            killed += kill_after(run(&db, verb), at) as usize;
            let encrypted = check_whole(&db, entries, &doc, &format!("{verb} killed at {at:?} (run {i})"));
            if encrypted == (verb == "encrypt") { after += 1 } else { before += 1 }
            // Running the command again finishes the job, documents included.
            timed(run(&db, verb));
            assert_eq!(check_whole(&db, entries, &doc, &format!("{verb} rerun {i}")), verb == "encrypt");
            let kept = std::fs::read_dir(folder.join("evidence")).expect("ls").flatten().next().expect("doc").path();
            assert_eq!(std::fs::read(&kept).expect("read").starts_with(b"age-encryption.org/v1"), verb == "encrypt", "run {i}: the document's state after the rerun");
            std::fs::remove_dir_all(&folder).expect("clean");
        }
        eprintln!("{verb} of a {entries}-entry library ({took:?}): {CONVERSION_KILLS} runs, {killed} killed mid-way; {before} left as they were, {after} converted; every one whole");
        assert!(killed >= CONVERSION_KILLS / 3, "{verb} runs must really be interrupted ({killed} of {CONVERSION_KILLS})");
    }
}
