//! What several benchmarks share: real questionnaire question texts to measure on.

use std::collections::BTreeSet;
use std::path::Path;

/// Every distinct question text (longer than 15 bytes) of the ground-truth files in
/// ../shared/matching, sorted, and whether they came from there; Quire's own sample questions
/// when that folder is absent.
pub fn question_texts() -> (Vec<String>, bool) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/matching");
    let mut set = BTreeSet::new();
    if let Ok(rd) = std::fs::read_dir(&dir) {
        for f in rd.flatten().filter(|f| f.path().extension().is_some_and(|e| e == "csv")) {
            let Ok(mut r) = csv::Reader::from_path(f.path()) else { continue };
            let Ok(h) = r.headers().cloned() else { continue };
            let cols: Vec<usize> = h.iter().enumerate().filter(|(_, n)| n.ends_with("question") || n.ends_with("_text")).map(|(i, _)| i).collect();
            for rec in r.records().flatten() {
                for &c in &cols {
                    if let Some(t) = rec.get(c).filter(|t| t.len() > 15) {
                        set.insert(t.trim().to_string());
                    }
                }
            }
        }
    }
    let from_shared = !set.is_empty();
    if !from_shared {
        for (_, _, q, _, _) in quire::samples::answered_questions() {
            set.insert(q.to_string());
        }
    }
    (set.into_iter().collect(), from_shared)
}
