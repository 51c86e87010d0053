//! Fuzz target: any bytes as a VSAQ questionnaire (JavaScript-flavoured JSON).
#![no_main]
use libfuzzer_sys::fuzz_target;
mod common;
use common::{allow_caught_panics, profiles};

fuzz_target!(|data: &[u8]| {
    allow_caught_panics();
    if let Ok(q) = quire::sheet::read_questionnaire_with(std::path::Path::new("fuzz.json"), quire::sheet::ReadOptions { profiles: Some(profiles()), bytes: Some(data.to_vec()), ..Default::default() }) {
        let _ = q.report();
    }
});
