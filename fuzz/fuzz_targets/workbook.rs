//! Fuzz target: any bytes as an .xlsx/.xlsm/.xls/.ods workbook, through the reader and layout
//! detection (profiles included). Errors are fine; panics, hangs and runaway memory are not.
#![no_main]
use libfuzzer_sys::fuzz_target;
mod common;
use common::{allow_caught_panics, profiles};

fuzz_target!(|data: &[u8]| {
    allow_caught_panics();
    // The first byte picks the extension the reader is told, the rest is the file.
    let Some((&pick, rest)) = data.split_first() else { return };
    let name = ["fuzz.xlsx", "fuzz.xlsm", "fuzz.xls", "fuzz.ods"][pick as usize % 4];
    if let Ok(q) = quire::sheet::read_questionnaire_with(std::path::Path::new(name), quire::sheet::ReadOptions { profiles: Some(profiles()), bytes: Some(rest.to_vec()), ..Default::default() }) {
        let _ = q.report();
        let _ = q.require_questions();
    }
});
