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
