//! Fuzz target: any bytes as a CSV/TSV questionnaire (encoding detection, delimiter sniffing,
//! layout detection).
#![no_main]
use libfuzzer_sys::fuzz_target;
mod common;
use common::{allow_caught_panics, profiles};

fuzz_target!(|data: &[u8]| {
    allow_caught_panics();
    let Some((&pick, rest)) = data.split_first() else { return };
    let name = if pick % 2 == 0 { "fuzz.csv" } else { "fuzz.tsv" };
    if let Ok(q) = quire::sheet::read_questionnaire_with(std::path::Path::new(name), quire::sheet::ReadOptions { profiles: Some(profiles()), bytes: Some(rest.to_vec()), ..Default::default() }) {
        let _ = q.report();
    }
});
