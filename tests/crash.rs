//! Crash safety: the `quire` process is killed (SIGKILL) at random moments during a large import
//! and during a fill, many times. After each kill the library must pass SQLite's integrity check
//! and hold all or none of the interrupted import; the fill must leave no partial output and an
//! unchanged input (a killed write's temporary part is removed by the next write there).

mod common;

use common::fixtures;
use quire::library::Library;
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
