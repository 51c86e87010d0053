//! Fuzz target: any text as a question, both in the library and asked of it (text analysis:
//! words, stems, thesaurus phrases, run-together splitting, typo correction; the index's
//! search and explanations). Added for issue 14, where one long word took hours: run with
//! libFuzzer's `-timeout` so a slow input counts as a crash.
#![no_main]
use libfuzzer_sys::fuzz_target;
use quire::suggest::index::Matcher;
use quire::analysis::Analyzer;
use quire::analysis::thesaurus::Thesaurus;
use std::sync::OnceLock;

const LIBRARY: &[&str] = &[
    "Is customer data encrypted at rest?",
    "Is data encrypted in transit using TLS 1.2 or higher?",
    "Are access rights reviewed and updated at least annually?",
    "Is multi-factor authentication required for administrators?",
    "Do you have a third-party risk management programme?",
];

fn thesaurus() -> &'static Thesaurus {
    static T: OnceLock<Thesaurus> = OnceLock::new();
    T.get_or_init(|| Thesaurus::embedded().expect("embedded thesaurus"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The input as a library question beside real ones, then asked as a question.
    let mut qs: Vec<(&str, &str)> = LIBRARY.iter().map(|q| (*q, "")).collect();
    qs.push((&text, ""));
    let m = Matcher::build(Analyzer::new(thesaurus()), &qs);
    let q = m.prepare(&text, "");
    let mut scores = Vec::new();
    for hit in m.search(&q, 3, &mut scores) {
        let _ = m.explain(&q, hit.doc);
    }
});
