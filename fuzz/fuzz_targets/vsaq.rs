//! Fuzz target: any bytes as a VSAQ questionnaire (JavaScript-flavoured JSON).
#![no_main]
use libfuzzer_sys::fuzz_target;
mod common;
use common::{allow_caught_panics, profiles};

fuzz_target!(|data: &[u8]| {
    allow_caught_panics();
    if let Ok(q) = quire::sheet::read_questionnaire_bytes("fuzz.json", data.to_vec(), profiles()) {
        let _ = q.report();
    }
});
