//! Fuzz target: any bytes as a CSV/TSV questionnaire (encoding detection, delimiter sniffing,
//! layout detection).
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
    let Some((&pick, rest)) = data.split_first() else { return };
    let name = if pick % 2 == 0 { "fuzz.csv" } else { "fuzz.tsv" };
    if let Ok(q) = quire::sheet::read_questionnaire_bytes(name, rest.to_vec(), profiles()) {
        let _ = q.report();
    }
});
