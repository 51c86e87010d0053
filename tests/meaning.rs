//! Matching by meaning (issue 15), end to end on a real library file: embeddings computed at
//! import and kept in the library, recomputed for an edited question, found again after
//! encryption; questions in other words answered by meaning and said so; near misses never
//! confident; without the model, words only and a reason to show.
//!
//! These need the sentence-embedding model (scripts/model.sh, which `make test` runs); without
//! it each prints SKIPPED. They are kept few: each loads the model once per process.

use quire::library::{Library, Passphrase};
use quire::sheet::read_questionnaire;
use quire::suggest::meaning::{embed_missing, Meaning};
use quire::suggest::Suggester;
use std::path::Path;

fn model() -> Option<Meaning> {
    let m = Meaning::shared();
    if let Some(reason) = m.absent_reason() {
        println!("SKIPPED (no sentence-embedding model): {reason}");
        return None;
    }
    Some(m)
}

fn write_csv(path: &Path, rows: &[(&str, &str, &str)]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(["ID", "Question", "Answer", "Comment"]).unwrap();
    for (id, q, a) in rows {
        w.write_record([*id, *q, *a, ""]).unwrap();
    }
    w.flush().unwrap();
}

const LIBRARY: &[(&str, &str, &str)] = &[
    ("A-1", "Is customer data encrypted at rest in all production databases?", "Yes"),
    ("A-2", "Is customer data encrypted in transit over public networks?", "Yes"),
    ("A-3", "Can you provide your most recent SOC 2 Type II audit report?", "Yes"),
    ("A-4", "Do you perform background checks on employees before hiring them?", "Yes"),
    ("A-5", "Is there a documented incident response plan that is tested annually?", "Yes"),
    ("A-6", "Do you carry cyber liability insurance?", "Yes"),
    ("A-7", "Are backups stored in a geographically separate location?", "No"),
    ("A-8", "Do administrators use multi-factor authentication to access production systems?", "Yes"),
];

fn library(dir: &Path) -> Library {
    let csv = dir.join("past.csv");
    write_csv(&csv, LIBRARY);
    let mut lib = Library::open(&dir.join("lib.sqlite")).unwrap();
    let results = quire::workflow::import_answered(&mut lib, &[csv], &[], &|_| {});
    assert!(results.iter().all(|r| r.error.is_none()), "{:?}", results.iter().map(|r| &r.error).collect::<Vec<_>>());
    lib
}

#[test]
fn imports_embed_and_suggestions_match_by_meaning() {
    let Some(m) = model() else { return };
    let embedder = m.embedder().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path());
    // The import embedded every entry and kept the vectors in the library.
    assert_eq!(lib.embedding_coverage(embedder.model_id()).unwrap(), (LIBRARY.len(), LIBRARY.len()));
    assert!(lib.entries_to_embed(embedder.model_id()).unwrap().is_empty());

    let s = Suggester::from_library(&lib).unwrap();
    assert_eq!(s.load_report().embedded, 0, "nothing left to embed at load");
    assert_eq!(s.load_report().embeddings_missing, 0);
    let mut scratch = Vec::new();
    // Few shared words, same meaning.
    let top = &s.suggest_text("Have you got an insurance policy that covers losses from hacking and data breaches?", "", 3, &mut scratch)[0];
    assert!(top.question.contains("cyber liability"), "{}", top.question);
    assert!(top.why.meaning.is_some(), "the explanation says it matched by meaning: {:?}", top.why);
    assert!(top.why.summary().contains("similar meaning"), "{}", top.why.summary());
    let top = &s.suggest_text("Prior to onboarding, are new staff members screened (criminal record, references)?", "", 3, &mut scratch)[0];
    assert!(top.question.contains("background checks"), "{}", top.question);
    // Identical wording stays the strongest evidence there is.
    let same = &s.suggest_text(LIBRARY[0].1, "", 1, &mut scratch)[0];
    assert_eq!(same.question, LIBRARY[0].1);
    assert!(same.confidence >= 0.9 && same.why.same_text, "{same:?}");
}

#[test]
fn near_misses_are_never_confident() {
    if model().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path());
    let s = Suggester::from_library(&lib).unwrap();
    let mut scratch = Vec::new();
    for (asked, differs) in [
        ("Can you provide your most recent SOC 1 Type II audit report?", "report_kind"),
        ("Is customer data encrypted in use in all production databases?", "data_state"),
        ("Do you carry general liability insurance?", "insurance_type"),
        ("Do customers use multi-factor authentication to access the production systems?", "account_type"),
    ] {
        let top = &s.suggest_text(asked, "", 1, &mut scratch)[0];
        assert!(top.confidence < 0.8, "{asked}: confident ({}) from {}", top.confidence, top.question);
        if top.signals.mismatch {
            assert!(top.why.mismatch.as_deref().is_some_and(|m| m.starts_with(differs)), "{asked}: {:?}", top.why);
            assert!(top.why.summary().contains("asks about another"), "{}", top.why.summary());
        }
    }
}

#[test]
fn embeddings_follow_edits_models_and_encryption() {
    let Some(m) = model() else { return };
    let embedder = m.embedder().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path());
    let id = lib.corpus().unwrap()[0].id;
    // A stored embedding from another model does not count, and is replaced.
    lib.store_embeddings("0000000000000000", &[(id, LIBRARY[0].1, vec![0u8; 1536])]).unwrap();
    assert_eq!(lib.entries_to_embed(embedder.model_id()).unwrap().len(), 1);
    // An embedding is stored only for the text it was computed from.
    assert_eq!(lib.store_embeddings(embedder.model_id(), &[(id, "some other text", vec![0u8; 1536])]).unwrap(), 0);
    let done = embed_missing(&lib, embedder, |_, _| true).unwrap();
    assert_eq!((done.missing, done.embedded, done.cancelled), (1, 1, false));

    // A missing embedding (an edited question loses its own: see library::embeddings) is
    // computed by the next load.
    let conn = rusqlite::Connection::open(dir.path().join("lib.sqlite")).unwrap();
    conn.execute("DELETE FROM entry_embeddings WHERE entry_id = ?1", [id]).unwrap();
    drop(conn);
    assert_eq!(lib.entries_to_embed(embedder.model_id()).unwrap().len(), 1);
    let s = Suggester::from_library(&lib).unwrap();
    assert_eq!(s.load_report().embedded, 1);
    assert!(lib.entries_to_embed(embedder.model_id()).unwrap().is_empty());

    // Cancelled before the end: says so, and a later run finishes.
    let conn = rusqlite::Connection::open(dir.path().join("lib.sqlite")).unwrap();
    conn.execute("DELETE FROM entry_embeddings", []).unwrap();
    drop(conn);
    let stopped = embed_missing(&lib, embedder, |_, _| false).unwrap();
    assert!(stopped.cancelled);
    let rest = embed_missing(&lib, embedder, |_, _| true).unwrap();
    assert_eq!(rest.embedded + stopped.embedded, LIBRARY.len());

    // Encrypted: the embeddings move into the encrypted file and still serve suggestions.
    let pass = Passphrase::new("correct horse battery").unwrap();
    drop(lib);
    Library::encrypt(&dir.path().join("lib.sqlite"), &pass).unwrap();
    let raw = std::fs::read(dir.path().join("lib.sqlite")).unwrap();
    let vector = quire::suggest::embed::to_bytes(&embedder.embed_questions(&[LIBRARY[1].1]).unwrap()[0]);
    assert!(!raw.windows(64).any(|w| w == &vector[..64]), "an embedding is readable in the encrypted file");
    let lib = Library::open_with(&dir.path().join("lib.sqlite"), Some(&pass)).unwrap();
    assert_eq!(lib.embedding_coverage(embedder.model_id()).unwrap(), (LIBRARY.len(), LIBRARY.len()));
    let top = &Suggester::from_library(&lib).unwrap().suggest_text("Is data protected with TLS when sent across the internet?", "", 1, &mut Vec::new())[0];
    assert!(top.question.contains("in transit"), "{}", top.question);
}

#[test]
fn without_the_model_words_only_and_the_reason_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let samples = quire::samples::write_samples(dir.path()).unwrap();
    let mut lib = Library::open(&dir.path().join("lib.sqlite")).unwrap();
    lib.import(&read_questionnaire(&samples[0]).unwrap(), &[]).unwrap();
    let s = Suggester::from_library_with(&lib, Meaning::off()).unwrap();
    assert!(s.meaning().absent_reason().is_some());
    let top = &s.suggest_text("Is ePHI encrypted while stored?", "", 1, &mut Vec::new())[0];
    assert!(top.question.contains("at rest") && top.signals.meaning.is_none() && top.why.meaning.is_none());

    // The CLI says once, on stderr, why it matches by words only.
    let empty = dir.path().join("no-model");
    std::fs::create_dir(&empty).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["--db", dir.path().join("lib.sqlite").to_str().unwrap(), "suggest", samples[1].to_str().unwrap()])
        .env("QUIRE_MODEL_DIR", &empty)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("note:").count(), 1, "{err}");
    assert!(err.contains("model.safetensors is missing") || err.contains("no-model"), "{err}");
    assert!(err.contains("shared words only"), "{err}");
}
