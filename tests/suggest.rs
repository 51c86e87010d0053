//! Suggestions end to end: a library filled by importing an answered questionnaire, a new
//! questionnaire in other words, the right answers at the top with honest confidence, evidence
//! suggested and flagged; and, when ../shared is present, HECVAT 3.00 answers carried over to
//! HECVAT 4.1.4.

use quire::library::{Library, NewEvidence};
use quire::sheet::read_questionnaire;
use quire::suggest::Suggester;
use std::collections::HashMap;
use std::path::Path;

fn demo_library(dir: &Path) -> (Library, std::path::PathBuf) {
    let samples = quire::samples::write_samples(dir).unwrap();
    let mut lib = Library::open(&dir.join("lib.sqlite")).unwrap();
    lib.import(&read_questionnaire(&samples[0]).unwrap(), &[]).unwrap();
    (lib, samples[1].clone())
}

#[test]
fn reworded_questions_get_the_right_past_answer() {
    let dir = tempfile::tempdir().unwrap();
    let (lib, fresh) = demo_library(dir.path());
    let s = Suggester::from_library(&lib).unwrap();
    let q = read_questionnaire(&fresh).unwrap();
    let report = s.suggest_all(&q, 3);
    let top: HashMap<&str, &quire::suggest::Suggestion> = report.questions.iter().filter_map(|x| Some((x.question.as_str(), x.suggestions.first()?))).collect();
    // (new question, a phrase of the library question it must find)
    let expect = [
        ("Do you have a current SOC 2 Type 2 attestation report?", "SOC 2 Type II"),
        ("Is your organization ISO 27001 certified?", "ISO/IEC 27001"),
        ("Is 2FA enforced for remote access by your staff?", "multi-factor authentication required for all remote access"),
        ("Can our users sign in through SSO (SAML)?", "single sign-on"),
        ("Are administrative accounts separated from normal user accounts?", "privileged accounts"),
        ("Is ePHI encrypted while stored?", "encrypted at rest"),
        ("Is data encrypted in transit using TLS 1.2 or later?", "encrypted in transit"),
        ("Will you sign our business associate agreement?", "Business Associate Agreement"),
        ("Do you aggregate security logs in a SIEM?", "SIEM"),
        ("Is anti-malware or EDR installed on all endpoints?", "endpoint detection and response"),
    ];
    for (question, phrase) in expect {
        let got = top.get(question).unwrap_or_else(|| panic!("no suggestion for {question}"));
        assert!(got.question.contains(phrase), "{question}\n  got: {}", got.question);
    }
    // The ISO question carries the library's "No", not a Yes.
    assert_eq!(top["Is your organization ISO 27001 certified?"].answer, "No");
    // Every suggestion explains itself and says where it came from.
    let soc2 = top["Do you have a current SOC 2 Type 2 attestation report?"];
    assert!(soc2.why.concepts.contains(&"soc2".to_string()), "{:?}", soc2.why);
    assert_eq!(soc2.source.as_ref().unwrap().file, "northwind-answered-2025.xlsx");
    assert!(soc2.confidence >= 0.8);
}

#[test]
fn at_rest_is_not_in_transit() {
    let dir = tempfile::tempdir().unwrap();
    let (lib, _) = demo_library(dir.path());
    let s = Suggester::from_library(&lib).unwrap();
    let mut scratch = Vec::new();
    let at_rest = s.suggest_text("Is ePHI encrypted while stored?", "", 2, &mut scratch);
    assert!(at_rest[0].question.contains("at rest"), "{:?}", at_rest[0].question);
    // The in-transit entry, if offered at all, is far below and says why.
    if let Some(other) = at_rest.iter().find(|x| x.question.contains("in transit")) {
        assert!(other.confidence < 0.5, "{other:?}");
    }
}

#[test]
fn an_unrelated_question_gets_low_confidence_not_a_guess() {
    let dir = tempfile::tempdir().unwrap();
    let (lib, _) = demo_library(dir.path());
    let s = Suggester::from_library(&lib).unwrap();
    let mut scratch = Vec::new();
    for q in ["What is the capital of France?", "How many parking spaces does your office have?", "Describe your cafeteria menu."] {
        let r = s.suggest_text(q, "", 1, &mut scratch);
        assert!(r.first().is_none_or(|x| x.confidence < 0.5), "{q}: {r:?}");
    }
}

#[test]
fn evidence_is_suggested_linked_and_flagged_when_expired() {
    let dir = tempfile::tempdir().unwrap();
    let (mut lib, _) = demo_library(dir.path());
    let soc2 = dir.path().join("SOC 2 Type II report 2025.txt");
    std::fs::write(&soc2, "Report on controls relevant to security and availability (SOC 2 Type II), examination period 2025.").unwrap();
    let (soc2_ev, _) = lib.add_evidence(&soc2, &NewEvidence { expires: Some("2020-12-31".into()), ..Default::default() }).unwrap();
    let policy = dir.path().join("backup-policy.md");
    std::fs::write(&policy, "# Backup and restore policy\nDaily snapshots; restore tests every quarter.").unwrap();
    let (policy_ev, _) = lib.add_evidence(&policy, &NewEvidence { title: Some("Backup policy".into()), ..Default::default() }).unwrap();
    let mut scratch = Vec::new();
    let s = Suggester::from_library(&lib).unwrap();
    let r = s.suggest_text("Can you share your SOC 2 Type 2 report?", "", 1, &mut scratch);
    let ev = &r[0].evidence;
    assert!(ev.iter().any(|e| e.id == soc2_ev.id && e.expired && !e.confirmed), "{ev:?}");
    assert!(!ev.iter().any(|e| e.id == policy_ev.id), "the backup policy is not SOC 2 evidence: {ev:?}");
    // A person links the backup policy to the backup entry: it is then offered as confirmed.
    let backup_entry = s.suggest_text("Are backups performed daily and tested at least annually?", "", 1, &mut scratch)[0].entry_id;
    lib.link_evidence(backup_entry, policy_ev.id).unwrap();
    let s = Suggester::from_library(&lib).unwrap();
    let r = s.suggest_text("How often are backups tested?", "", 1, &mut scratch);
    assert_eq!(r[0].entry_id, backup_entry);
    assert!(r[0].evidence.iter().any(|e| e.id == policy_ev.id && e.confirmed), "{:?}", r[0].evidence);
    // The link is part of the entry's history.
    assert!(lib.history(backup_entry).unwrap().iter().any(|h| h.field == "evidence"));
}

#[test]
fn empty_library_suggests_nothing() {
    let lib = Library::in_memory().unwrap();
    let s = Suggester::from_library(&lib).unwrap();
    assert!(s.is_empty());
    assert!(s.suggest_text("Is MFA enforced?", "", 3, &mut Vec::new()).is_empty());
}

/// HECVAT 3.00 filled by a real vendor → HECVAT 4.1.4: every 4.1.4 question whose text also
/// appears (answered) in 3.00 gets that vendor's answer on top with confidence ≥ 0.8.
#[test]
fn hecvat_3_answers_carry_over_to_hecvat_4() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/questionnaires");
    let (old, new) = (shared.join("hecvat-3.00-filled-opendsa.xlsx"), shared.join("hecvat-4.1.4.xlsx"));
    if !old.is_file() || !new.is_file() {
        println!("SKIPPED hecvat_3_answers_carry_over_to_hecvat_4: {} not found", shared.display());
        return;
    }
    let mut lib = Library::in_memory().unwrap();
    let old_q = read_questionnaire(&old).unwrap();
    lib.import(&old_q, &[]).unwrap();
    let answers: HashMap<String, String> = old_q
        .questions()
        .filter(|x| x.is_answered())
        .map(|x| (quire::library::question_key(&x.text), x.answer.clone()))
        .collect();
    let s = Suggester::from_library(&lib).unwrap();
    let new_q = read_questionnaire(&new).unwrap();
    let mut scratch = Vec::new();
    let (mut checked, mut failures) = (0, Vec::new());
    for x in new_q.questions() {
        let Some(want) = answers.get(&quire::library::question_key(&x.text)) else { continue };
        checked += 1;
        let top = s.suggest(x, 1, &mut scratch);
        match top.first() {
            Some(t) if t.answer_raw.trim() == want.trim() && t.confidence >= 0.8 => {}
            other => failures.push(format!("{}!{} {:?}: want {want:?}, got {:?}", x.sheet, x.row, x.text, other.map(|t| (&t.answer_raw, t.confidence)))),
        }
    }
    println!("{checked} HECVAT 4.1.4 questions also answered in 3.00");
    assert!(checked >= 20, "only {checked} shared questions: the readers changed?");
    assert!(failures.is_empty(), "{} of {checked} not carried over:\n{}", failures.len(), failures.join("\n"));
}

// ---- The suggestion cache kept in the library (suggest::cache, migration 005) ----

/// Writes an answered CSV questionnaire of `rows` (ref, question, answer, comment).
fn answered_csv(path: &Path, rows: &[(String, String, &str, String)]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(["ID", "Question", "Answer", "Comment"]).unwrap();
    for (r, q, a, c) in rows {
        w.write_record([r.as_str(), q.as_str(), a, c.as_str()]).unwrap();
    }
    w.flush().unwrap();
}

/// Several hundred entries (so analysis runs on all cores): the sample questions with varied
/// openings and scopes, some run together as real exports do.
fn varied_rows(prefix: &str) -> Vec<(String, String, &'static str, String)> {
    let openings = ["", "Do you confirm that", "For the hosted service:", "In production,"];
    let scopes = ["", "for all production systems", "including subcontractors", "at least annually"];
    let answers = ["Yes", "No", "Partial", "N/A"];
    let mut rows = Vec::new();
    for (i, (_, r, q, _, c)) in quire::samples::answered_questions().iter().enumerate() {
        for (j, (o, s)) in openings.iter().zip(scopes.iter().rev()).enumerate() {
            for k in 0..3 {
                let q = format!("{o} {} {s} (site {k})?", q.trim_end_matches('?'));
                let q = if (i + j + k) % 7 == 0 { q.replacen(" and ", " and", 1) } else { q };
                rows.push((format!("{prefix}{r}-{j}{k}"), q.trim().to_string(), answers[(i + j + k) % 4], format!("{c} ({prefix}{j}{k})")));
            }
        }
    }
    rows
}

/// Questions to ask: the new sample questionnaire's, the library's own, reworded ones, typos and
/// run-together words.
fn probe_questions(fresh: &Path) -> Vec<(String, String)> {
    let mut qs: Vec<(String, String)> = read_questionnaire(fresh).unwrap().questions().map(|x| (x.text.clone(), x.reference.clone())).collect();
    for (_, r, q, _, _) in quire::samples::answered_questions() {
        qs.push((q.to_string(), r.to_string()));
        qs.push((format!("Please state whether {}", q.to_lowercase()), String::new()));
        qs.push((q.replace("encrypted", "encryptd").replace(" and ", " and"), String::new()));
    }
    qs.push(("Is ePHI encrypted while stored?".into(), String::new()));
    qs.push(("What is the capital of France?".into(), String::new()));
    qs
}

fn all_suggestions(s: &Suggester, qs: &[(String, String)]) -> Vec<Vec<quire::suggest::Suggestion>> {
    let batch: Vec<(&str, &str)> = qs.iter().map(|(q, r)| (q.as_str(), r.as_str())).collect();
    s.suggest_batch(&batch, 3)
}

/// A library file with the demo import, a few hundred varied entries and an evidence document.
fn cached_library(dir: &Path) -> (Library, std::path::PathBuf) {
    let (mut lib, fresh) = demo_library(dir);
    let csv = dir.join("varied.csv");
    answered_csv(&csv, &varied_rows("V"));
    lib.import(&read_questionnaire(&csv).unwrap(), &[]).unwrap();
    let soc2 = dir.join("SOC 2 Type II report.txt");
    std::fs::write(&soc2, "SOC 2 Type II report on security controls.").unwrap();
    lib.add_evidence(&soc2, &NewEvidence::default()).unwrap();
    (lib, fresh)
}

/// Loads the suggester (by words: the cache is the lexical index's; matching by meaning has its
/// own tests in tests/meaning.rs) and says whether its index came from the cache.
fn load(lib: &Library) -> (Suggester, bool) {
    let s = Suggester::from_library_with(lib, quire::suggest::meaning::Meaning::off()).unwrap();
    let cached = s.load_report().from_cache;
    (s, cached)
}

/// Suggestions with the index built from scratch (no cache involved), with the library's
/// user thesaurus like `from_library`.
fn uncached(lib: &Library, dir: &Path, qs: &[(String, String)]) -> Vec<Vec<quire::suggest::Suggestion>> {
    let thesaurus = quire::analysis::thesaurus::Thesaurus::load(Some(dir)).unwrap();
    let s = Suggester::new(lib.corpus().unwrap(), &thesaurus);
    let strip = |mut v: Vec<Vec<quire::suggest::Suggestion>>| {
        v.iter_mut().flatten().for_each(|x| x.evidence.clear());
        v
    };
    strip(all_suggestions(&s, qs))
}

fn without_evidence(mut v: Vec<Vec<quire::suggest::Suggestion>>) -> Vec<Vec<quire::suggest::Suggestion>> {
    v.iter_mut().flatten().for_each(|x| x.evidence.clear());
    v
}

#[test]
fn the_cached_index_suggests_exactly_what_a_fresh_one_does() {
    let dir = tempfile::tempdir().unwrap();
    let (lib, fresh) = cached_library(dir.path());
    let qs = probe_questions(&fresh);
    let (cold, cached) = load(&lib);
    assert!(!cached);
    let report = cold.load_report();
    assert!(report.cache_written && report.cache_bytes > 0 && report.cache_rejected.is_none(), "{report:?}");
    let (warm, cached) = load(&lib);
    assert!(cached, "{:?}", warm.load_report());
    assert_eq!(warm.len(), cold.len());
    assert!(warm.len() > 300, "{} entries: analysis should run on all cores", warm.len());
    let (a, b) = (all_suggestions(&cold, &qs), all_suggestions(&warm, &qs));
    assert!(a.iter().filter(|x| !x.is_empty()).count() > qs.len() / 2);
    assert!(a.iter().flatten().any(|x| !x.evidence.is_empty()), "the probe should reach evidence too");
    for ((q, x), y) in qs.iter().zip(&a).zip(&b) {
        assert_eq!(x, y, "{q:?}");
    }
    // And both are what the index built directly from the entries gives.
    assert_eq!(without_evidence(b), uncached(&lib, dir.path(), &qs));
    // The questionnaire path too.
    let q = read_questionnaire(&fresh).unwrap();
    let (x, y) = (cold.suggest_all(&q, 3), warm.suggest_all(&q, 3));
    assert_eq!(serde_json::to_string(&x).unwrap(), serde_json::to_string(&y).unwrap());
}

#[test]
fn the_cache_survives_reopening_and_is_rebuilt_after_import_edit_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let (lib, fresh) = cached_library(dir.path());
    let qs = probe_questions(&fresh);
    assert!(!load(&lib).1);
    drop(lib);
    let mut lib = Library::open(&dir.path().join("lib.sqlite")).unwrap();
    assert!(load(&lib).1, "a new connection (a new run) uses the cache");

    // Import: a new entry, findable at once.
    let csv = dir.path().join("more.csv");
    answered_csv(&csv, &[("NEW-1".into(), "Do you offset the carbon footprint of your data centres?".into(), "Yes", "HackerOne since 2023".into())]);
    lib.import(&read_questionnaire(&csv).unwrap(), &[]).unwrap();
    let (s, cached) = load(&lib);
    assert!(!cached, "import must invalidate the cache");
    let top = s.suggest_text("Are carbon emissions of the data centres offset?", "", 1, &mut Vec::new());
    assert_eq!(top[0].comment, "HackerOne since 2023");
    assert!(load(&lib).1);
    assert_eq!(without_evidence(all_suggestions(&load(&lib).0, &qs)), uncached(&lib, dir.path(), &qs));

    // Re-importing the same file changes nothing: the cache stays.
    lib.import(&read_questionnaire(&csv).unwrap(), &[]).unwrap();
    assert!(load(&lib).1, "an import that adds nothing keeps the cache");

    // Edit.
    let id = top[0].entry_id;
    lib.edit(id, &quire::library::EntryEdit { comment: Some("Intigriti since 2025".into()), ..Default::default() }).unwrap();
    let (s, cached) = load(&lib);
    assert!(!cached, "an edit must invalidate the cache");
    assert_eq!(s.suggest_text("Are carbon emissions of the data centres offset?", "", 1, &mut Vec::new())[0].comment, "Intigriti since 2025");
    assert!(load(&lib).1);
    lib.mark_reviewed(id, Some("alice")).unwrap();
    assert!(!load(&lib).1, "marking reviewed changes the entry");

    // Delete.
    lib.delete(id).unwrap();
    let (s, cached) = load(&lib);
    assert!(!cached, "a delete must invalidate the cache");
    assert!(s.suggest_text("Are carbon emissions of the data centres offset?", "", 3, &mut Vec::new()).iter().all(|x| x.entry_id != id));
    let (s, cached) = load(&lib);
    assert!(cached);
    assert_eq!(without_evidence(all_suggestions(&s, &qs)), uncached(&lib, dir.path(), &qs));

    // A change made outside Quire (the sqlite3 shell) is seen too: the triggers live in the file.
    // (Provenance: entries themselves cannot be changed without Quire's audit functions.)
    drop(s);
    drop(lib);
    let path = dir.path().join("lib.sqlite");
    let raw = rusqlite::Connection::open(&path).unwrap();
    let first = "SELECT MIN(id) FROM provenance";
    let question: String = raw.query_row(&format!("SELECT e.question FROM entries e JOIN provenance p ON p.entry_id = e.id WHERE p.id = ({first})"), [], |r| r.get(0)).unwrap();
    raw.execute(&format!("UPDATE provenance SET ref = 'SHELL-1' WHERE id = ({first})"), []).unwrap();
    drop(raw);
    let lib = Library::open(&path).unwrap();
    let (s, cached) = load(&lib);
    assert!(!cached, "a change made in the shell must invalidate the cache");
    let top = &s.suggest_text(&question, "SHELL-1", 1, &mut Vec::new())[0];
    assert!(top.why.same_ref && top.source.as_ref().unwrap().reference == "SHELL-1", "{top:?}");
    assert_eq!(without_evidence(all_suggestions(&s, &qs)), uncached(&lib, dir.path(), &qs));
}

#[test]
fn a_thesaurus_change_rebuilds_the_cache() {
    if std::env::var_os("QUIRE_THESAURUS").is_some() {
        println!("SKIPPED a_thesaurus_change_rebuilds_the_cache: QUIRE_THESAURUS is set");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (lib, fresh) = cached_library(dir.path());
    let qs = probe_questions(&fresh);
    assert!(!load(&lib).1);
    assert!(load(&lib).1);
    let user = dir.path().join("thesaurus.toml");
    std::fs::write(&user, "[[concept]]\nname = \"bcp\"\nterms = [\"continuity of operations\", \"coop plan\"]\n").unwrap();
    let (s, cached) = load(&lib);
    assert!(!cached, "a new user thesaurus must invalidate the cache");
    assert!(load(&lib).1);
    assert_eq!(without_evidence(all_suggestions(&s, &qs)), uncached(&lib, dir.path(), &qs));
    // Editing the user's file, then removing it, each rebuild.
    std::fs::write(&user, "[[concept]]\nname = \"bcp\"\nterms = [\"continuity of operations\"]\n").unwrap();
    assert!(!load(&lib).1, "an edited user thesaurus must invalidate the cache");
    std::fs::remove_file(&user).unwrap();
    let (s, cached) = load(&lib);
    assert!(!cached, "removing the user thesaurus must invalidate the cache");
    assert_eq!(without_evidence(all_suggestions(&s, &qs)), uncached(&lib, dir.path(), &qs));
}

#[test]
fn a_damaged_cache_is_ignored_and_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let (lib, fresh) = cached_library(dir.path());
    let qs = probe_questions(&fresh);
    let expected = all_suggestions(&load(&lib).0, &qs);
    let path = dir.path().join("lib.sqlite");
    let damage = |f: &dyn Fn(&mut Vec<u8>)| {
        let raw = rusqlite::Connection::open(&path).unwrap();
        let mut blob: Vec<u8> = raw.query_row("SELECT data FROM suggest_cache", [], |r| r.get(0)).unwrap();
        f(&mut blob);
        raw.execute("UPDATE suggest_cache SET data = ?1", [blob]).unwrap();
    };
    let flip_middle = |b: &mut Vec<u8>| {
        let i = b.len() / 2;
        b[i] ^= 0x20;
    };
    let truncate = |b: &mut Vec<u8>| b.truncate(b.len() / 3);
    let garbage = |b: &mut Vec<u8>| *b = b"this is not a suggestion cache".to_vec();
    let empty = |b: &mut Vec<u8>| b.clear();
    for (name, f) in [("flipped byte", &flip_middle as &dyn Fn(&mut Vec<u8>)), ("truncated", &truncate), ("garbage", &garbage), ("empty", &empty)] {
        damage(f);
        let (s, cached) = load(&lib);
        assert!(!cached, "{name}: a damaged cache was trusted");
        assert!(s.load_report().cache_rejected.is_some() && s.load_report().cache_written, "{name}: {:?}", s.load_report());
        assert!(all_suggestions(&s, &qs) == expected, "{name}: suggestions changed");
        assert!(load(&lib).1, "{name}: the cache was not rewritten");
    }
    // A cache written for another generation is not even read.
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute("UPDATE suggest_cache SET generation = 'an older one'", []).unwrap();
    let (s, cached) = load(&lib);
    assert!(!cached && s.load_report().cache_rejected.is_none(), "{:?}", s.load_report());
    assert!(all_suggestions(&s, &qs) == expected);
}

#[test]
fn a_library_locked_by_another_writer_still_suggests_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let (mut lib, _) = cached_library(dir.path());
    let path = dir.path().join("lib.sqlite");
    let locker = rusqlite::Connection::open(&path).unwrap();
    locker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let t = std::time::Instant::now();
    let (s, cached) = load(&lib);
    assert!(t.elapsed() < std::time::Duration::from_secs(3), "waited for the lock: {:?}", t.elapsed());
    // With the model, the entries' embeddings cannot be stored either: computed and used all
    // the same, without waiting.
    let t = std::time::Instant::now();
    let by_meaning = Suggester::from_library(&lib).unwrap();
    assert!(t.elapsed() < std::time::Duration::from_secs(30), "waited for the lock: {:?}", t.elapsed());
    assert_eq!(by_meaning.load_report().embeddings_missing, 0, "{:?}", by_meaning.load_report());
    assert!(!cached);
    let report = s.load_report();
    assert!(!report.cache_written && report.cache_write_error.is_some(), "{report:?}");
    assert!(s.suggest_text("Is ePHI encrypted while stored?", "", 1, &mut Vec::new())[0].question.contains("at rest"));
    // The library's own writes still wait for a lock as before (the cache's no-wait is undone):
    // the other writer lets go after a moment and the delete goes through.
    let id = s.suggest_text("Is ePHI encrypted while stored?", "", 1, &mut Vec::new())[0].entry_id;
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        locker.execute_batch("COMMIT").unwrap();
    });
    lib.delete(id).unwrap();
    releaser.join().unwrap();
    let (s, cached) = load(&lib);
    assert!(!cached && s.load_report().cache_written, "{:?}", s.load_report());
    assert!(load(&lib).1);
}

