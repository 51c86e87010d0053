//! Inputs the fuzzers (scripts/fuzz.sh) found crashing, replayed forever: each must now give a
//! questionnaire or a clear error, never a panic. Files live in tests/fuzz-regressions/<target>/
//! exactly as the fuzzer saved them (the workbook target's first byte picks the extension).

use quire::sheet::profile::Profiles;
use quire::sheet::{read_questionnaire_with, ReadOptions};
use std::path::Path;

fn replay(target: &str, name_for: impl Fn(&[u8]) -> (&'static str, Vec<u8>)) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions").join(target);
    let profiles = Profiles::load().expect("profiles");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let data = std::fs::read(e.path()).expect("read");
        let (name, bytes) = name_for(&data);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_questionnaire_with(std::path::Path::new(name), ReadOptions { profiles: Some(&profiles), bytes: Some(bytes), ..ReadOptions::default() }).map(|q| q.report())));
        match result {
            Ok(Ok(_)) => {}
            Ok(Err(err)) => assert!(err.to_string().contains(name), "{}: the error must name the file: {err}", e.path().display()),
            Err(_) => panic!("{} still panics", e.path().display()),
        }
        n += 1;
    }
    n
}

#[test]
fn workbook_crashes_stay_fixed() {
    let n = replay("workbook", |d| match d.split_first() {
        Some((&pick, rest)) => (["fuzz.xlsx", "fuzz.xlsm", "fuzz.xls", "fuzz.ods"][pick as usize % 4], rest.to_vec()),
        None => ("fuzz.xlsx", Vec::new()),
    });
    assert!(n >= 1);
}

#[test]
fn csv_and_vsaq_crashes_stay_fixed() {
    replay("csv", |d| match d.split_first() {
        Some((&pick, rest)) => (if pick % 2 == 0 { "fuzz.csv" } else { "fuzz.tsv" }, rest.to_vec()),
        None => ("fuzz.csv", Vec::new()),
    });
    replay("vsaq", |d| ("fuzz.json", d.to_vec()));
}
