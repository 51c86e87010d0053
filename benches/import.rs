//! Import benchmark: wall time and peak memory of `quire inspect` (read + detect) and
//! `quire library import` (read + detect + write) on real and generated workbooks, each run in
//! a fresh process of the release binary so that its peak RSS is its own (wait4's ru_maxrss).
//! openpyxl is measured in the same run when Python has it, as the reference the issue names.
//!
//!     cargo bench --bench import            (figures recorded in docs/benchmarks.md)

#[path = "../tests/common/fixtures/mod.rs"]
#[allow(dead_code)]
mod fixtures;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const RUNS: usize = 5;

struct Run {
    secs: f64,
    max_rss_mb: f64,
    ok: bool,
}

fn run(cmd: &mut Command) -> Run {
    let start = Instant::now();
    let child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain FFI call; rusage is a POD struct filled by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(r, pid, "wait4 failed");
    Run { secs, max_rss_mb: usage.ru_maxrss as f64 / 1024.0, ok: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn measure(label: &str, make: &dyn Fn(usize) -> Command) -> (f64, f64) {
    let runs: Vec<Run> = (0..RUNS).map(make).map(|mut c| run(&mut c)).collect();
    let ok = runs.iter().all(|r| r.ok);
    let t = median(runs.iter().map(|r| r.secs).collect());
    let m = runs.iter().map(|r| r.max_rss_mb).fold(0.0, f64::max);
    println!("{label:<58} {:>9.3} s {:>9.1} MB{}", t, m, if ok { "" } else { "  (exit status non-zero)" });
    (t, m)
}

fn quire() -> Command {
    Command::new(env!("CARGO_BIN_EXE_quire"))
}

fn openpyxl_available() -> bool {
    Command::new("python3").args(["-c", "import openpyxl"]).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

fn bench_file(name: &str, path: &Path, tmp: &Path, openpyxl: bool) {
    println!("\n{name} ({:.1} MB)", path.metadata().map(|m| m.len() as f64 / 1e6).unwrap_or(0.0));
    let (ours, _) = measure("  quire inspect (read + detect layout)", &|_| {
        let mut c = quire();
        c.arg("inspect").arg(path).arg("--json");
        c
    });
    measure("  quire library import (into a new library)", &|i| {
        let mut c = quire();
        c.arg("--db").arg(tmp.join(format!("bench-{name}-{i}.sqlite"))).args(["library", "import"]).arg(path);
        c
    });
    if openpyxl {
        let (theirs, _) = measure("  openpyxl load_workbook (reference)", &|_| {
            let mut c = Command::new("python3");
            c.args(["-c", "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1])"]).arg(path);
            c
        });
        println!("  → quire reads it {:.1}× faster than openpyxl", theirs / ours);
    }
}

/// Writes the generated workbooks into `dir` (run in a child process: see `main`).
fn generate(dir: &Path) {
    let t = Instant::now();
    let large = fixtures::large(dir, 100_000).expect("generate the 100,000-row workbook");
    let bomb = fixtures::zip_bomb(dir).expect("zip bomb");
    eprintln!("(generated {} in {:.1} s)", large.display(), t.elapsed().as_secs_f64());
    println!("{}\n{}", large.display(), bomb.display());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--generate") {
        generate(Path::new(&args[i + 1]));
        return;
    }
    // Peak RSS is read from wait4 when each measured process ends. Linux counts a child's peak
    // from before its exec too, so this process must stay small: the generated workbooks are
    // written by a child of its own, not here.
    let tmp = tempfile::tempdir().expect("tempdir");
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/questionnaires");
    let openpyxl = openpyxl_available();
    println!("quire import benchmark: median of {RUNS} runs, peak RSS of the slowest-memory run");
    println!("{:<58} {:>11} {:>12}", "", "time", "peak RSS");
    if !openpyxl {
        println!("(openpyxl not installed: reference figure from the issue, measured on this machine class: 1.1 s for hecvat-4.1.4.xlsx)");
    }
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for f in ["hecvat-4.1.4.xlsx", "hecvat-3.00-filled-opendsa.xlsx", "caiq-v4.0.3.xlsx"] {
        let p = shared.join(f);
        if p.is_file() {
            files.push((f.to_string(), p));
        } else {
            println!("SKIPPED {f}: ../shared/questionnaires not found");
        }
    }
    let out = Command::new(std::env::current_exe().expect("own path")).arg("--generate").arg(tmp.path()).stderr(Stdio::inherit()).output().expect("generate fixtures");
    let paths: Vec<PathBuf> = String::from_utf8_lossy(&out.stdout).lines().map(PathBuf::from).collect();
    assert_eq!(paths.len(), 2, "fixture generation failed");
    files.push(("generated 100,000-row workbook".into(), paths[0].clone()));
    files.push(("zip bomb (1.5 GB of sheet XML, 3.6 MB file)".into(), paths[1].clone()));
    for (name, path) in &files {
        bench_file(name, path, tmp.path(), openpyxl && !name.starts_with("zip bomb"));
    }
}
