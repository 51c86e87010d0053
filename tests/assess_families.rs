//! Scoring the questionnaires analysts really receive: every real filled questionnaire in
//! ../shared/questionnaires (skipped with a notice without it) and generated variants of each
//! family — version cells and sheet names changed, sections reordered, IDs renumbered as another
//! generation would, scoping questions answered No with their sections left blank. Each must get
//! the right rubric (or an honest fallback), no finding on an out-of-scope section, and no
//! critical finding from a scoping answer.

mod common;

use common::families::{self, HecvatStyle};
use quire::assess::catalogue::Criticality;
use quire::assess::score::{FindingKind, Outcome, Placement};
use quire::assess::vendor::{PhiActivities, Vendor};
use quire::assess::{Assessment, Assessor};
use quire::sheet::read_questionnaire;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use time::macros::date;

const TODAY: time::Date = date!(2026 - 11 - 24);

fn shared(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/questionnaires").join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("SKIPPED: {} not found (../shared/questionnaires is not beside the project)", p.display());
        None
    }
}

/// A vendor whose record says it handles no PHI.
fn no_phi_vendor() -> Vendor {
    Vendor::new("Acme Learning")
}

/// A vendor recorded as a business associate (receives and maintains PHI).
fn phi_vendor() -> Vendor {
    let mut v = Vendor::new("Acme Health");
    v.phi = PhiActivities::parse("receive,maintain").expect("phi");
    v
}

fn assess(path: &Path, vendor: &Vendor, rubric: Option<&str>) -> Assessment {
    let q = read_questionnaire(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    Assessor::new().expect("assessor").assess(&q, vendor, rubric, None, TODAY).unwrap_or_else(|e| panic!("assess {}: {e}", path.display()))
}

/// The rules every assessment must keep, whatever the file.
fn check_invariants(a: &Assessment) {
    let s = &a.scorecard;
    for f in &s.findings {
        let q = s.questions.iter().find(|q| q.sheet == f.sheet && q.row == f.row).unwrap_or_else(|| panic!("finding without question: {f:?}"));
        assert_ne!(q.outcome, Outcome::NotInScope, "a finding on an out-of-scope question: {f:?}");
        if q.outcome == Outcome::Scoping {
            assert!(f.kind != FindingKind::Control, "a scoping question is not a control: {f:?}");
            assert!(f.severity < Criticality::Critical, "no critical finding from a scoping answer: {f:?}");
        }
        if q.placement == Placement::Guessed && f.kind == FindingKind::Control {
            assert!(f.severity <= Criticality::Low, "guesswork is at most low: {f:?}");
        }
    }
    let c = &a.choice;
    assert_eq!(c.by_id + c.by_text + c.classified + c.guessed, s.questions.len(), "every question is placed one way");
    assert_eq!(c.rubric, s.rubric);
    assert!(!c.reason.is_empty());
}

fn by_ref<'a>(a: &'a Assessment, r: &str) -> &'a quire::assess::score::QuestionScore {
    a.scorecard.questions.iter().find(|q| q.reference == r).unwrap_or_else(|| panic!("{r} not found"))
}

fn findings_on<'a>(a: &'a Assessment, r: &str) -> Vec<&'a quire::assess::score::Finding> {
    a.scorecard.findings.iter().filter(|f| f.reference == r).collect()
}

// ---- Real files ----------------------------------------------------------------------------

#[test]
fn real_hecvat_full_3_00_uses_the_hecvat_3_rubric_and_honours_its_qualifiers() {
    let Some(file) = shared("hecvat-3.00-filled-opendsa.xlsx") else { return };
    let a = assess(&file, &no_phi_vendor(), None);
    check_invariants(&a);
    let r = a.choice.recognition.as_ref().expect("recognised");
    assert_eq!((r.family.as_str(), r.version.as_deref(), r.edition.as_deref()), ("hecvat", Some("3.00"), Some("full")), "{r:?}");
    assert_eq!(r.certainty, "certain");
    assert_eq!(a.scorecard.rubric, "hecvat-3");
    assert_eq!(a.choice.how, "version");
    assert!(a.choice.id_check.as_ref().is_some_and(|c| c.trusted && c.agreed > 100), "{:?}", a.choice.id_check);
    // QUAL-01 (PHI) No: the HIPAA section is out of scope, not unanswered; the qualifier is not scored.
    assert_eq!(by_ref(&a, "QUAL-01").outcome, Outcome::Scoping);
    assert!(a.scorecard.questions.iter().filter(|q| q.reference.starts_with("HIPA-")).all(|q| q.outcome == Outcome::NotInScope));
    assert!(a.scorecard.questions.iter().filter(|q| q.reference.starts_with("PCID-")).all(|q| q.outcome == Outcome::NotInScope), "QUAL-05 No");
    assert!(findings_on(&a, "QUAL-01").is_empty(), "no PHI, recorded as none: nothing to say");
    // QUAL-06 Yes (professional services) keeps the blank consulting section in scope.
    assert_eq!(by_ref(&a, "CONS-01").outcome, Outcome::Unanswered);
    // A real "No" to a control stays a finding.
    assert!(findings_on(&a, "QUAL-03").iter().any(|f| f.severity >= Criticality::High), "BCP not tested is a finding");
}

#[test]
fn a_vendor_recorded_with_phi_who_answers_no_phi_is_a_contradiction_not_a_missing_baa() {
    let Some(file) = shared("hecvat-3.00-filled-opendsa.xlsx") else { return };
    let a = assess(&file, &phi_vendor(), None);
    check_invariants(&a);
    let f = findings_on(&a, "QUAL-01");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].kind, FindingKind::Contradiction);
    assert_eq!(f[0].severity, Criticality::High);
    assert!(f[0].why.contains("handles PHI"), "{}", f[0].why);
    assert!(!a.scorecard.findings.iter().any(|f| f.reference.starts_with("HIPA-")), "the HIPAA section stays out of scope pending the answer");
}

#[test]
fn real_hecvat_lite_3_01_is_recognised_and_placed_on_the_hecvat_3_rubric_by_text() {
    let Some(file) = shared("hecvat-lite-3.01-filled-instructure-impact.xlsx") else { return };
    let a = assess(&file, &no_phi_vendor(), None);
    check_invariants(&a);
    let r = a.choice.recognition.as_ref().expect("recognised");
    assert_eq!((r.family.as_str(), r.version.as_deref(), r.edition.as_deref()), ("hecvat", Some("3.01"), Some("lite")), "{r:?}");
    assert_eq!(a.scorecard.rubric, "hecvat-3");
    assert!(a.choice.newer_than_rubric, "3.01 is newer than 3.00");
    assert!(a.choice.by_text >= 30, "Lite's own IDs (HLAP, HLDA…) are placed by their text: {:?}", a.choice);
    // COMP-05 / COMP-06 are Lite's PHI and card-data qualifiers (the Full 3.00 COMP-05 is another
    // question): scoping, not controls.
    assert_eq!(by_ref(&a, "COMP-05").outcome, Outcome::Scoping);
    assert_eq!(by_ref(&a, "COMP-06").outcome, Outcome::Scoping);
    assert!(findings_on(&a, "COMP-05").is_empty() && findings_on(&a, "COMP-06").is_empty());
    // Encryption at rest (HLDA-03, Yes) is placed on the rubric's encryption-at-rest entry.
    let hlda3 = by_ref(&a, "HLDA-03");
    assert_eq!((hlda3.placement, hlda3.placed_as.as_deref()), (Placement::Text, Some("DATA-04")), "{hlda3:?}");
    assert_eq!(hlda3.outcome, Outcome::Met);
    assert!(a.scorecard.overall.is_some_and(|o| o > 60.0), "{:?}", a.scorecard.overall);
    // What the rubric could not place is listed, not hidden.
    assert_eq!(a.choice.unplaced.len(), a.scorecard.questions.iter().filter(|q| matches!(q.placement, Placement::Classified | Placement::Guessed) && !matches!(q.outcome, Outcome::Scoping | Outcome::NotInScope)).count());
}

#[test]
fn real_caiq_files_get_caiq_recognition_and_never_v4_ids_for_v3() {
    if let Some(file) = shared("caiq-v3.0.1-testfill.xlsx") {
        let a = assess(&file, &no_phi_vendor(), None);
        check_invariants(&a);
        let r = a.choice.recognition.as_ref().expect("recognised");
        assert_eq!((r.family.as_str(), r.version.as_deref(), r.generation.as_deref()), ("caiq", Some("3.0.1"), Some("3")));
        assert_ne!(a.choice.how, "version", "no CAIQ v3 rubric: never the v4 one as if it were");
        if a.scorecard.rubric == "caiq-v4" {
            assert!(a.choice.id_check.as_ref().is_some_and(|c| !c.trusted), "v3 IDs mean other things in v4: {:?}", a.choice.id_check);
            assert_eq!(a.choice.by_id, 0);
        }
        assert!(a.scorecard.overall.is_some_and(|o| o >= 85.0), "every answer is Yes: {:?}", a.scorecard.overall);
    }
    if let Some(file) = shared("caiq-lite-v3-filled-octopus.csv") {
        let a = assess(&file, &no_phi_vendor(), None);
        check_invariants(&a);
        let r = a.choice.recognition.as_ref().expect("recognised");
        assert_eq!((r.family.as_str(), r.edition.as_deref(), r.generation.as_deref()), ("caiq", Some("lite"), Some("3")), "{r:?}");
        assert_ne!(a.choice.how, "version");
    }
}

#[test]
fn caiq_4_1_renumbering_is_caught_by_the_texts_and_placed_on_the_4_0_3_entries() {
    // CAIQ v4.1.0 inserted questions (DCS-01, LOG-08…) and renamed IVS to I&S: the same ID asks
    // another question, which only the texts show.
    let Some(file) = shared("caiq-v4.1.0-noisy-export.xlsx") else { return };
    let a = assess(&file, &no_phi_vendor(), None);
    check_invariants(&a);
    assert_eq!(a.scorecard.rubric, "caiq-v4");
    assert!(a.choice.newer_than_rubric);
    let placed = |r: &str| {
        let q = by_ref(&a, r);
        (q.placement, q.placed_as.clone())
    };
    assert_eq!(placed("DCS-03.1"), (Placement::Text, Some("DCS-02.1".into())));
    assert_eq!(placed("LOG-10.1"), (Placement::Text, Some("LOG-09.1".into())));
    assert_eq!(placed("I&S-01.1"), (Placement::Text, Some("IVS-01.1".into())));
    assert_eq!(placed("A&A-01.1").0, Placement::Rubric, "unchanged questions keep their IDs");
}

#[test]
fn exports_without_answers_are_recognised_and_fall_back_honestly() {
    if let Some(file) = shared("sig-questions-export.xlsx") {
        let q = read_questionnaire(&file).expect("read");
        let r = q.recognition.as_ref().expect("SIG recognised by its IDs and domains");
        assert_eq!(r.family, "sig");
        let a = assess(&file, &no_phi_vendor(), None);
        check_invariants(&a);
        assert_eq!(a.scorecard.rubric, "default");
        assert_eq!(a.choice.how, "default");
        assert!(a.choice.reason.contains("no rubric for its family"), "{}", a.choice.reason);
    }
    if let Some(dir) = shared("vsaq") {
        let q = read_questionnaire(&dir.join("webapp.json")).expect("read");
        assert_eq!(q.recognition.as_ref().map(|r| r.family.as_str()), Some("vsaq"));
    }
}

// ---- Variants of the real files ------------------------------------------------------------

#[test]
fn a_renamed_reordered_newer_hecvat_3_scores_as_its_original() {
    let Some(file) = shared("hecvat-3.00-filled-opendsa.xlsx") else { return };
    let original = assess(&file, &no_phi_vendor(), None);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut grids = families::read_grids(&file).expect("grids");
    families::set_version(&mut grids, "3.00", "3.06");
    let g = grids.iter_mut().find(|g| g.name == "HECVAT - Full").expect("response sheet");
    families::move_section(g, "HIPAA", "Documentation");
    families::move_section(g, "PCI DSS", "Documentation");
    families::rename_sheet(&mut grids, "HECVAT - Full", "Vendor Response");
    let variant = dir.path().join("vendor-hecvat-3.06.xlsx");
    families::write_grids(&variant, &grids).expect("write");
    let a = assess(&variant, &no_phi_vendor(), None);
    check_invariants(&a);
    let r = a.choice.recognition.as_ref().expect("recognised without its sheet name");
    assert_eq!((r.family.as_str(), r.version.as_deref()), ("hecvat", Some("3.06")));
    assert_eq!(a.scorecard.rubric, "hecvat-3");
    assert!(a.choice.newer_than_rubric && a.choice.reason.contains("newer"), "{}", a.choice.reason);
    assert!(a.scorecard.questions.iter().filter(|q| q.reference.starts_with("HIPA-")).all(|q| q.outcome == Outcome::NotInScope));
    // Same answers, same score (sections moved, sheet renamed, analyst views still beside it).
    assert_eq!(a.scorecard.questions.len(), original.scorecard.questions.len());
    assert_eq!(a.scorecard.overall, original.scorecard.overall);
    assert_eq!(a.finding_counts, original.finding_counts);
}

#[test]
fn another_generation_whose_ids_mean_other_things_is_placed_by_text_not_by_id() {
    let Some(file) = shared("hecvat-3.00-filled-opendsa.xlsx") else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut grids = families::read_grids(&file).expect("grids");
    families::set_version(&mut grids, "3.00", "2.11");
    // Renumber: within each prefix, every ID moves to the next number (DOCU-01 becomes DOCU-02…),
    // as another generation's numbering would. Remember what each row really asks.
    let g = grids.iter_mut().find(|g| g.name == "HECVAT - Full").expect("response sheet");
    let mut truth: BTreeMap<String, String> = BTreeMap::new();
    for row in g.rows.iter_mut() {
        let Some(id) = row.first().cloned() else { continue };
        let Some((prefix, n)) = id.split_once('-') else { continue };
        let Ok(n) = n.parse::<u32>() else { continue };
        if prefix.len() != 4 || prefix == "GNRL" || prefix == "DATE" {
            continue;
        }
        let new = format!("{prefix}-{:02}", n + 1);
        truth.insert(new.clone(), id.clone());
        row[0] = new;
    }
    let variant = dir.path().join("hecvat-2.11.xlsx");
    families::write_grids(&variant, &grids).expect("write");
    let a = assess(&variant, &no_phi_vendor(), None);
    check_invariants(&a);
    assert_eq!(a.choice.recognition.as_ref().and_then(|r| r.generation.as_deref()), Some("2"));
    let check = a.choice.id_check.as_ref().expect("IDs checked");
    assert!(!check.trusted, "the 3.x rubric's IDs must not be trusted for a file whose IDs mean other things: {check:?}");
    assert!(check.disagreed > check.agreed, "{check:?}");
    // Questions are placed by their text, and mostly back on the entry they really are.
    let placed: Vec<_> = a.scorecard.questions.iter().filter(|q| q.placement == Placement::Text && truth.contains_key(&q.reference)).collect();
    let right = placed.iter().filter(|q| q.placed_as.as_deref() == truth.get(&q.reference).map(String::as_str)).count();
    assert!(placed.len() >= 80, "placed by text: {}", placed.len());
    assert!(right as f32 >= 0.8 * placed.len() as f32, "{right} of {} placed back on their own entry", placed.len());
    let wrong: Vec<String> = a.scorecard.questions.iter().filter(|q| q.placement == Placement::Rubric && truth.get(&q.reference).is_some_and(|t| *t != q.reference)).map(|q| format!("{} (really {}): {}", q.reference, truth[&q.reference], q.question)).collect();
    // Only near-duplicate topics (network vs host intrusion detection, network vs physical
    // off-site backups) can tie; never more than 2% of the questions.
    assert!(wrong.len() * 50 <= truth.len(), "scored by another question's ID: {wrong:#?}");
}

#[test]
fn a_renamed_lite_and_a_k12cvat_are_still_the_hecvat_family() {
    let Some(file) = shared("hecvat-lite-3.01-filled-instructure-impact.xlsx") else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut grids = families::read_grids(&file).expect("grids");
    families::set_version(&mut grids, "3.01", "3.06");
    families::rename_sheet(&mut grids, "HECVAT - Lite", "Lite questionnaire");
    let variant = dir.path().join("lite-3.06.xlsx");
    families::write_grids(&variant, &grids).expect("write");
    let a = assess(&variant, &no_phi_vendor(), None);
    check_invariants(&a);
    let r = a.choice.recognition.as_ref().expect("recognised");
    assert_eq!((r.family.as_str(), r.version.as_deref(), r.edition.as_deref()), ("hecvat", Some("3.06"), Some("lite")), "{r:?}");
    assert_eq!(a.scorecard.rubric, "hecvat-3");

    // K-12CVAT: the school-sector sibling, same layout, its own title.
    let mut grids = families::read_grids(&file).expect("grids");
    for g in grids.iter_mut() {
        for row in g.rows.iter_mut().take(3) {
            for c in row.iter_mut() {
                *c = c.replace("Higher Education Community Vendor Assessment Toolkit (HECVAT)", "K-12 Community Vendor Assessment Tool (K-12CVAT)").replace("HECVAT - Lite", "K-12CVAT");
            }
        }
    }
    families::rename_sheet(&mut grids, "HECVAT - Lite", "K-12CVAT");
    let variant = dir.path().join("k12cvat.xlsx");
    families::write_grids(&variant, &grids).expect("write");
    let a = assess(&variant, &no_phi_vendor(), None);
    check_invariants(&a);
    let r = a.choice.recognition.as_ref().expect("recognised");
    assert_eq!((r.family.as_str(), r.edition.as_deref()), ("hecvat", Some("k-12")), "{r:?}");
    assert_eq!(a.scorecard.rubric, "hecvat-3");
    assert_eq!(by_ref(&a, "COMP-05").outcome, Outcome::Scoping);
}

#[test]
fn a_filled_hecvat_4_with_phi_no_leaves_the_hipaa_section_out_of_scope() {
    let Some(file) = shared("hecvat-4.1.4.xlsx") else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut grids = families::read_grids(&file).expect("grids");
    let response = ["START HERE", "Organization", "Product", "Infrastructure", "IT Accessibility", "Case-Specific", "AI", "Privacy"];
    for g in grids.iter_mut().filter(|g| response.contains(&g.name.as_str())) {
        for row in g.rows.iter_mut() {
            let id = row.first().map(|c| c.trim().to_string()).unwrap_or_default();
            if id.len() == 7 && id.as_bytes()[4] == b'-' && !id.starts_with("GNRL") {
                if row.len() < 3 {
                    row.resize(3, String::new());
                }
                row[2] = if id.starts_with("HIPA") { String::new() } else { "Yes".into() };
            }
        }
        families::set_answer(g, "REQU-05", "No");
    }
    let variant = dir.path().join("hecvat-4-filled.xlsx");
    families::write_grids(&variant, &grids).expect("write");
    let a = assess(&variant, &no_phi_vendor(), None);
    check_invariants(&a);
    assert_eq!(a.scorecard.rubric, "hecvat");
    assert_eq!(a.choice.how, "version");
    assert_eq!(by_ref(&a, "REQU-05").outcome, Outcome::Scoping);
    let hipa: Vec<_> = a.scorecard.questions.iter().filter(|q| q.reference.starts_with("HIPA-")).collect();
    assert!(!hipa.is_empty() && hipa.iter().all(|q| q.outcome == Outcome::NotInScope));
}

#[test]
fn a_filled_caiq_v4_and_a_newer_point_release_use_the_caiq_v4_rubric() {
    let Some(file) = shared("caiq-v4.0.3.xlsx") else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut grids = families::read_grids(&file).expect("grids");
    for g in grids.iter_mut().filter(|g| g.name.starts_with("CAIQv4")) {
        for (i, row) in g.rows.iter_mut().enumerate().skip(2) {
            if row.first().is_some_and(|c| c.contains('-') && c.contains('.')) {
                if row.len() < 3 {
                    row.resize(3, String::new());
                }
                row[2] = if i % 10 == 0 { "No".into() } else { "Yes".into() };
            }
        }
    }
    let filled = dir.path().join("caiq-v4.0.3-filled.xlsx");
    families::write_grids(&filled, &grids).expect("write");
    let a = assess(&filled, &no_phi_vendor(), None);
    check_invariants(&a);
    assert_eq!((a.scorecard.rubric.as_str(), a.choice.how.as_str()), ("caiq-v4", "version"));
    assert!(a.choice.id_check.as_ref().is_some_and(|c| c.trusted));
    families::set_version(&mut grids, "4.0.3", "4.0.4");
    families::rename_sheet(&mut grids, "CAIQv4.0.3", "CAIQv4.0.4");
    let newer = dir.path().join("caiq-newer.xlsx");
    families::write_grids(&newer, &grids).expect("write");
    let b = assess(&newer, &no_phi_vendor(), None);
    check_invariants(&b);
    assert_eq!(b.scorecard.rubric, "caiq-v4");
    assert!(b.choice.newer_than_rubric, "{:?}", b.choice);
    assert_eq!(b.scorecard.overall, a.scorecard.overall);
}

// ---- Generated HECVAT-3.0x-style files (no ../shared needed) -------------------------------

#[test]
fn a_generated_3_0x_file_with_phi_no_and_its_section_blank_has_no_finding_there() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = families::hecvat_style(dir.path(), "hecvat-3.06.xlsx", &HecvatStyle::default()).expect("fixture");
    let a = assess(&file, &no_phi_vendor(), None);
    check_invariants(&a);
    let r = a.choice.recognition.as_ref().expect("recognised");
    assert_eq!((r.family.as_str(), r.version.as_deref(), r.edition.as_deref()), ("hecvat", Some("3.06"), Some("full")));
    assert_eq!(a.scorecard.rubric, "hecvat-3");
    for p in ["HIPA-", "PCID-", "CONS-", "THRD-"] {
        let qs: Vec<_> = a.scorecard.questions.iter().filter(|q| q.reference.starts_with(p)).collect();
        assert!(!qs.is_empty() && qs.iter().all(|q| q.outcome == Outcome::NotInScope), "{p}: {:?}", qs.iter().map(|q| q.outcome).collect::<Vec<_>>());
    }
    for q in ["QUAL-01", "QUAL-02", "QUAL-05", "QUAL-06"] {
        assert_eq!(by_ref(&a, q).outcome, Outcome::Scoping, "{q}");
        assert!(findings_on(&a, q).is_empty(), "{q}");
    }
    // The one real gap: no web application firewall yet.
    let waf = findings_on(&a, "APPL-04");
    assert_eq!(waf.len(), 1);
    assert_eq!(a.scorecard.findings.len(), 1, "{:?}", a.scorecard.findings);
    assert!(a.scorecard.overall.is_some_and(|o| o > 85.0));
}

#[test]
fn generated_variants_renamed_reordered_numbered_score_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = assess(&families::hecvat_style(dir.path(), "base.xlsx", &HecvatStyle::default()).expect("fixture"), &no_phi_vendor(), None);
    let variants = [
        HecvatStyle { sheet: "Vendor Response".into(), version: "Version 3.04".into(), ..HecvatStyle::default() },
        HecvatStyle { reorder: true, ..HecvatStyle::default() },
        HecvatStyle { numbered: true, ..HecvatStyle::default() },
        HecvatStyle { title: "HECVAT Full".into(), version: "v3.05".into(), sheet: "Full".into(), ..HecvatStyle::default() },
    ];
    for (i, v) in variants.iter().enumerate() {
        let a = assess(&families::hecvat_style(dir.path(), &format!("v{i}.xlsx"), v).expect("fixture"), &no_phi_vendor(), None);
        check_invariants(&a);
        assert_eq!(a.scorecard.rubric, "hecvat-3", "{v:?}");
        assert_eq!(a.scorecard.overall, base.scorecard.overall, "{v:?}");
        assert_eq!(a.finding_counts, base.finding_counts, "{v:?}");
    }
}

#[test]
fn an_unanswered_qualifier_caps_its_section_at_low_and_asks_the_vendor() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = families::hecvat_style(dir.path(), "unanswered.xlsx", &HecvatStyle { phi: String::new(), ..HecvatStyle::default() }).expect("fixture");
    let a = assess(&file, &no_phi_vendor(), None);
    check_invariants(&a);
    let q = findings_on(&a, "QUAL-01");
    assert_eq!(q.len(), 1);
    assert_eq!((q[0].kind, q[0].severity), (FindingKind::Scoping, Criticality::Low));
    let hipa: Vec<_> = a.scorecard.findings.iter().filter(|f| f.reference.starts_with("HIPA-")).collect();
    assert_eq!(hipa.len(), 3);
    assert!(hipa.iter().all(|f| f.severity == Criticality::Low && f.why.contains("ask the vendor")), "{hipa:?}");
}

#[test]
fn the_default_rubric_honours_scoping_too_and_guesswork_stays_low() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = families::hecvat_style(dir.path(), "named-default.xlsx", &HecvatStyle::default()).expect("fixture");
    let a = assess(&file, &phi_vendor(), Some("default"));
    check_invariants(&a);
    assert_eq!((a.scorecard.rubric.as_str(), a.choice.how.as_str()), ("default", "named"));
    assert_eq!(by_ref(&a, "QUAL-01").outcome, Outcome::Scoping);
    assert!(a.scorecard.questions.iter().filter(|q| q.reference.starts_with("HIPA-")).all(|q| q.outcome == Outcome::NotInScope));
    assert!(!a.scorecard.findings.iter().any(|f| f.severity == Criticality::Critical), "{:?}", a.scorecard.findings);
    let c = findings_on(&a, "QUAL-01");
    assert_eq!(c.len(), 1, "the record says PHI, the answer says none: one contradiction");
    assert_eq!(c[0].kind, FindingKind::Contradiction);

    // A questionnaire of no known family, with a question nothing in the rubric speaks to.
    let csv = dir.path().join("custom.csv");
    std::fs::write(
        &csv,
        "ID,Question,Answer,Comment\n\
         C-1,Does your product process protected health information (PHI)?,No,\n\
         C-2,Is PHI encrypted at rest in your HIPAA environment?,,\n\
         C-3,Is the blue widget calibrated every fortnight?,No,\n\
         C-4,Is multi-factor authentication enforced for administrators?,Yes,\n",
    )
    .expect("csv");
    let b = assess(&csv, &no_phi_vendor(), None);
    check_invariants(&b);
    assert_eq!(b.choice.how, "default");
    assert_eq!(by_ref(&b, "C-1").outcome, Outcome::Scoping);
    let widget = by_ref(&b, "C-3");
    assert_eq!(widget.placement, Placement::Guessed);
    assert!(findings_on(&b, "C-3").iter().all(|f| f.severity == Criticality::Low && f.why.contains("guesswork")));
    assert!(b.choice.guessed >= 1);
}

#[test]
fn the_cli_says_what_it_recognised_and_why_it_chose_the_rubric() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = families::hecvat_style(dir.path(), "vendor-3.06.xlsx", &HecvatStyle { sheet: "Responses".into(), ..HecvatStyle::default() }).expect("fixture");
    let bin = env!("CARGO_BIN_EXE_quire");
    let out = std::process::Command::new(bin).args(["inspect"]).arg(&file).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("questionnaire: EDUCAUSE HECVAT Full 3.06 (certain"), "{text}");
    let json = std::process::Command::new(bin).args(["inspect", "--json"]).arg(&file).output().expect("run");
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v["family"]["family"], "hecvat");
    assert_eq!(v["family"]["version"], "3.06");
    let db = dir.path().join("lib.db");
    let run = |args: &[&str]| std::process::Command::new(bin).arg("--db").arg(&db).args(args).output().expect("run");
    let add = run(&["vendor", "add", "Acme Learning", "--phi", "none"]);
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
    let out = run(&["assess", file.to_str().expect("utf-8 path"), "--vendor", "Acme Learning"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("rubric: EDUCAUSE HECVAT Full 3.06 is scored with EDUCAUSE HECVAT 3") || text.contains("closest"), "{text}");
    assert!(text.contains("placed:") && text.contains("by guesswork"), "{text}");
    assert!(text.contains("scoping QUAL-01"), "{text}");
}

/// Prints the table of docs/assessment.md (run with --nocapture) and checks its invariants on
/// every real file present.
#[test]
fn table_of_families_and_versions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rows: Vec<(String, PathBuf)> = Vec::new();
    for (label, name) in [
        ("HECVAT Full 3.00 (real, OpenDSA)", "hecvat-3.00-filled-opendsa.xlsx"),
        ("HECVAT Lite 3.01 (real, Instructure)", "hecvat-lite-3.01-filled-instructure-impact.xlsx"),
        ("CAIQ v3.0.1 (test fill, all Yes)", "caiq-v3.0.1-testfill.xlsx"),
        ("CAIQ-Lite v3 (real, Octopus)", "caiq-lite-v3-filled-octopus.csv"),
        ("SIG export (no answers)", "sig-questions-export.xlsx"),
        ("CAIQ v4.1.0 export (no answers)", "caiq-v4.1.0-noisy-export.xlsx"),
    ] {
        if let Some(p) = shared(name) {
            rows.push((label.to_string(), p));
        }
    }
    let style = |s: HecvatStyle, name: &str| families::hecvat_style(dir.path(), name, &s).expect("fixture");
    rows.push(("HECVAT Full 3.06 style (generated, PHI No, HIPAA blank)".into(), style(HecvatStyle::default(), "g1.xlsx")));
    rows.push(("HECVAT 3.04 style, renamed sheet, numbered answers (generated)".into(), style(HecvatStyle { version: "Version 3.04".into(), sheet: "Vendor Response".into(), numbered: true, ..HecvatStyle::default() }, "g2.xlsx")));
    rows.push(("HECVAT 2.11 style, IDs renumbered (generated)".into(), style(HecvatStyle { version: "Version 2.11".into(), renumber: true, ..HecvatStyle::default() }, "g3.xlsx")));
    println!("| questionnaire | recognised as | rubric (how) | placed ID/text/keywords/guess | score | residual tier | findings C/H/M/L |");
    println!("|---|---|---|---|---|---|---|");
    for (label, p) in rows {
        let a = assess(&p, &no_phi_vendor(), None);
        check_invariants(&a);
        let c = &a.choice;
        let rec = c.recognition.as_ref().map(|r| format!("{} ({})", r.label(), r.certainty)).unwrap_or_else(|| "—".into());
        let n = |s: &str| a.finding_counts.get(s).copied().unwrap_or(0);
        println!(
            "| {label} | {rec} | {} ({}) | {}/{}/{}/{} | {} | {} | {}/{}/{}/{} |",
            a.scorecard.rubric,
            c.how,
            c.by_id,
            c.by_text,
            c.classified,
            c.guessed,
            a.scorecard.overall.map(|x| format!("{x:.1}")).unwrap_or_else(|| "–".into()),
            a.residual_tier.as_str(),
            n("critical"),
            n("high"),
            n("medium"),
            n("low")
        );
    }
}
