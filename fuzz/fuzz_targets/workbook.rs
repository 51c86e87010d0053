//! Fuzz target: any bytes as an .xlsx/.xlsm/.xls/.ods workbook, through the reader and layout
//! detection (profiles included). Errors are fine; panics, hangs and runaway memory are not.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn profiles() -> &'static quire::sheet::profile::Profiles {
    static P: OnceLock<quire::sheet::profile::Profiles> = OnceLock::new();
    P.get_or_init(|| quire::sheet::profile::Profiles::load().expect("embedded profiles"))
}

/// libfuzzer-sys aborts on any panic, even one Quire catches: `sheet::read` turns a panic inside
/// a third-party parser into a "damaged file" error on purpose (see docs/robustness.md), so the
/// default hook is restored. A panic that escapes the target still aborts (libfuzzer-sys
/// catches it at the boundary) and is reported as a crash.
fn allow_caught_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| drop(std::panic::take_hook()));
}

fuzz_target!(|data: &[u8]| {
    allow_caught_panics();
    // The first byte picks the extension the reader is told, the rest is the file.
    let Some((&pick, rest)) = data.split_first() else { return };
    let name = ["fuzz.xlsx", "fuzz.xlsm", "fuzz.xls", "fuzz.ods"][pick as usize % 4];
    if let Ok(q) = quire::sheet::read_questionnaire_bytes(name, rest.to_vec(), profiles()) {
        let _ = q.report();
        let _ = q.require_questions();
    }
});
