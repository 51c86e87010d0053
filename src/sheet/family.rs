//! Which questionnaire a file is: its family (HECVAT, CAIQ, SIG, VSA, VSAQ), edition (Full,
//! Lite, On-Premise, K-12CVAT, CAIQ-Lite…), version and generation, and how sure Quire is —
//! recognised from the structure as a whole, never from one exact version's sheet names: the
//! names in sheet names, title rows and the file name, the version cells, the shape and prefixes
//! of the question IDs and the section titles are weighed together. The families are data
//! (`questionnaires/families.toml`, embedded). Layout profiles pin columns; rubric choice
//! (src/assess/placement.rs) uses this recognition but checks question texts before trusting IDs.

use crate::display::shorten;
use crate::error::{Error, Result};
use crate::sheet::model::Question;
use crate::sheet::grid::{Format, Grid};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

const EMBEDDED: &str = include_str!("../../questionnaires/families.toml");

/// Rows at the top of each sheet looked at for names and version cells.
const TITLE_ROWS: usize = 5;

#[derive(Debug, Clone, Deserialize)]
pub struct Edition {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub names: Vec<String>,
    /// IDs only this edition uses.
    #[serde(default)]
    pub prefixes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Generation {
    pub id: String,
    /// Sheets that, all present, mark this generation when no version cell says it.
    #[serde(default)]
    pub sheets: Vec<String>,
    /// ID prefixes that mark this generation.
    #[serde(default)]
    pub prefixes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Family {
    pub id: String,
    pub title: String,
    pub names: Vec<String>,
    pub id_pattern: String,
    #[serde(default)]
    pub prefixes: Vec<String>,
    #[serde(default)]
    pub sections: Vec<String>,
    #[serde(default, rename = "edition")]
    pub editions: Vec<Edition>,
    #[serde(default, rename = "generation")]
    pub generations: Vec<Generation>,
}

#[derive(Debug, Deserialize)]
struct FamiliesFile {
    #[serde(rename = "family")]
    families: Vec<Family>,
}

/// Every family Quire knows, with their ID patterns compiled.
pub struct Families {
    pub families: Vec<(Family, Regex)>,
}

impl Families {
    pub fn parse(text: &str) -> Result<Families> {
        let f: FamiliesFile = toml::from_str(text).map_err(|e| Error::invalid("sheet.family.questionnaires_families_toml_valid", format!("questionnaires/families.toml is not valid: {e}")))?;
        let mut families = Vec::new();
        for fam in f.families {
            let re = Regex::new(&fam.id_pattern).map_err(|e| Error::invalid("sheet.family.family_id_pattern_regular", format!("family {}: id_pattern is not a regular expression: {e}", fam.id)))?;
            families.push((fam, re));
        }
        Ok(Families { families })
    }

    /// The embedded families (parsed once).
    pub fn embedded() -> Result<&'static Families> {
        static F: OnceLock<std::result::Result<Families, String>> = OnceLock::new();
        F.get_or_init(|| Families::parse(EMBEDDED).map_err(|e| e.to_string())).as_ref().map_err(|e| Error::invalid("sheet.family.invalid", e.clone()))
    }
}

/// What Quire recognised a questionnaire as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Recognition {
    /// Family id ("hecvat", "caiq", "sig", "vsa", "vsaq").
    pub family: String,
    pub family_title: String,
    /// Edition id and title ("lite" / "Lite"), when one is seen.
    pub edition: Option<String>,
    pub edition_title: Option<String>,
    /// The version as the file states it ("3.01", "4.0.3"), when it does.
    pub version: Option<String>,
    /// The major version the version (or, without one, the structure) points to ("3").
    pub generation: Option<String>,
    /// 0–1: how sure the recognition is.
    pub confidence: f32,
    /// "certain", "likely" or "possible".
    #[cfg_attr(feature = "ts", ts(type = "\"certain\" | \"likely\" | \"possible\""))]
    pub certainty: String,
    /// What was seen, for the analyst ("version cell \"Version 3.01\" on sheet HECVAT - Lite").
    pub evidence: Vec<String>,
}

impl Recognition {
    /// "EDUCAUSE HECVAT Lite 3.01".
    pub fn label(&self) -> String {
        let mut s = self.family_title.clone();
        if let Some(e) = &self.edition_title {
            s.push(' ');
            s.push_str(e);
        }
        match (&self.version, &self.generation) {
            (Some(v), _) => s.push_str(&format!(" {v}")),
            (None, Some(g)) => s.push_str(&format!(" {g}.x (no version cell)")),
            _ => s.push_str(" (version not stated)"),
        }
        s
    }
}

fn version_cell_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"(?i)(?:\bversion\s*[:#]?\s*v?\s*|(?:\b|caiq|cai|hecvat|cvat|sig|vsa)v\s?)(\d{1,2}(?:\.\d{1,3}){1,2})\b").expect("static regex"))
}

fn file_version_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"(?i)(?:^|[^0-9.])v?(\d{1,2}[._]\d{1,3}(?:[._]\d{1,3})?)(?:[^0-9]|$)").expect("static regex"))
}

/// A version in a text ("Version 3.01", "CAIQv4.0.3", "v1.1").
pub fn version_in(text: &str) -> Option<String> {
    version_cell_re().captures(text).map(|c| c[1].to_string())
}

fn contains_name(hay: &str, name: &str) -> bool {
    let h = hay.to_lowercase();
    let n = name.to_lowercase();
    // Short names ("CAIQ", "HECVAT") must stand as a word or run into a version ("CAIQv4").
    let mut start = 0;
    while let Some(pos) = h[start..].find(&n) {
        let at = start + pos;
        let before = h[..at].chars().next_back();
        let after = h[at + n.len()..].chars().next();
        let ok_before = before.is_none_or(|c| !c.is_alphanumeric());
        let ok_after = after.is_none_or(|c| !c.is_alphabetic() || c == 'v' || c == '_');
        if ok_before && ok_after {
            return true;
        }
        start = at + n.len().max(1);
        if start >= h.len() {
            break;
        }
    }
    false
}

/// The letters before the first "-" (or the whole ID).
pub fn id_prefix(reference: &str) -> &str {
    reference.split('-').next().unwrap_or(reference).trim()
}

struct Texts<'a> {
    /// (where, text): sheet names and title-row cells.
    titles: Vec<(String, &'a str)>,
    file: &'a str,
}

fn title_texts<'a>(file: &'a str, sheets: &'a [Grid]) -> Texts<'a> {
    let mut titles = Vec::new();
    for g in sheets {
        titles.push((format!("sheet name \"{}\"", g.name), g.name.as_str()));
        for r in g.rows.iter().take(TITLE_ROWS) {
            for c in r.iter().filter(|c| !c.trim().is_empty() && c.len() <= 300) {
                titles.push((format!("sheet \"{}\"", g.name), c.as_str()));
            }
        }
    }
    Texts { titles, file }
}

/// Recognises the family of a questionnaire from its file name, format, sheets and questions.
pub fn recognise(families: &Families, file: &str, format: Format, sheets: &[Grid], questions: &[&Question]) -> Option<Recognition> {
    let texts = title_texts(file, sheets);
    let refs: Vec<&str> = questions.iter().map(|q| q.reference.trim()).filter(|r| !r.is_empty()).collect();
    let mut best: Option<Recognition> = None;
    for (fam, id_re) in &families.families {
        let r = if fam.id == "vsaq" && format == Format::Vsaq {
            Some(Recognition {
                family: fam.id.clone(),
                family_title: fam.title.clone(),
                edition: None,
                edition_title: None,
                version: None,
                generation: None,
                confidence: 0.95,
                certainty: "certain".into(),
                evidence: vec!["a VSAQ JSON questionnaire".into()],
            })
        } else if fam.id == "vsaq" {
            None
        } else {
            recognise_one(fam, id_re, &texts, sheets, questions, &refs)
        };
        if let Some(r) = r {
            if best.as_ref().is_none_or(|b| r.confidence > b.confidence) {
                best = Some(r);
            }
        }
    }
    best
}

fn recognise_one(fam: &Family, id_re: &Regex, texts: &Texts<'_>, sheets: &[Grid], questions: &[&Question], refs: &[&str]) -> Option<Recognition> {
    let mut evidence = Vec::new();
    let mut confidence = 0.0f32;
    // Names in sheet names and title rows (strong), or only in the file name (weak).
    let named = texts.titles.iter().find(|(_, t)| fam.names.iter().any(|n| contains_name(t, n)));
    let file_named = fam.names.iter().any(|n| contains_name(texts.file, n));
    if let Some((at, t)) = named {
        confidence += 0.45;
        evidence.push(format!("{} in {at}: \"{}\"", fam.title, shorten(t, 80)));
    } else if file_named {
        confidence += 0.2;
        evidence.push(format!("{} in the file name", fam.title));
    }
    // Question IDs of the family's shape and prefixes.
    let shaped: Vec<&str> = refs.iter().copied().filter(|r| id_re.is_match(r)).collect();
    let shape_share = if refs.is_empty() { 0.0 } else { shaped.len() as f32 / refs.len() as f32 };
    let ids_fit = shaped.len() >= 5 && shape_share >= 0.6;
    let known: BTreeSet<String> = fam.prefixes.iter().map(|p| p.to_uppercase()).collect();
    let prefixed = shaped.iter().filter(|r| known.contains(&id_prefix(r).to_uppercase())).count();
    let prefix_share = if shaped.is_empty() { 0.0 } else { prefixed as f32 / shaped.len() as f32 };
    if ids_fit {
        confidence += 0.2;
        let sample: Vec<&str> = shaped.iter().take(3).copied().collect();
        evidence.push(format!("{} of {} question IDs have the family's shape ({})", shaped.len(), refs.len(), sample.join(", ")));
        if !known.is_empty() && prefix_share >= 0.5 {
            confidence += 0.2;
            evidence.push(format!("{:.0}% of them use the family's ID prefixes", 100.0 * prefix_share));
        }
    }
    // Section titles the family uses.
    let section_titles: BTreeSet<String> = questions.iter().map(|q| q.domain.trim().to_lowercase()).filter(|d| !d.is_empty()).chain(sheets.iter().map(|g| g.name.trim().to_lowercase())).collect();
    let sections_seen = fam.sections.iter().filter(|s| {
        let s = s.to_lowercase();
        section_titles.iter().any(|t| t.contains(&s))
    });
    let sections_seen: Vec<&String> = sections_seen.collect();
    if sections_seen.len() >= 3 {
        // Families without distinctive ID prefixes (SIG, VSA) are told by their sections.
        confidence += if known.is_empty() { 0.25 } else { 0.15 };
        evidence.push(format!("{} of its section titles ({})", sections_seen.len(), sections_seen.iter().take(3).map(|s| s.as_str()).collect::<Vec<_>>().join(", ")));
    }
    let structural = ids_fit && (prefix_share >= 0.5 || sections_seen.len() >= 3);
    if named.is_none() && !(structural || (file_named && ids_fit)) {
        return None;
    }
    if confidence < 0.4 {
        return None;
    }
    // Version: a cell near the top of a sheet that names the family or holds questions, else the
    // file name.
    let mut version = None;
    let question_sheets: BTreeSet<&str> = questions.iter().map(|q| q.sheet.as_str()).collect();
    let mut cands: Vec<(u8, String, String)> = Vec::new();
    for g in sheets {
        let lname = g.name.to_lowercase();
        if lname.contains("change") || lname.contains("history") {
            continue;
        }
        let rank = if question_sheets.contains(g.name.as_str()) { 0 } else if fam.names.iter().any(|n| contains_name(&g.name, n)) { 1 } else { 2 };
        if let Some(v) = version_in(&g.name) {
            cands.push((rank, v, format!("sheet name \"{}\"", g.name)));
        }
        for r in g.rows.iter().take(TITLE_ROWS) {
            for c in r.iter().filter(|c| c.len() <= 200) {
                if let Some(v) = version_in(c) {
                    cands.push((rank, v, format!("version cell \"{}\" on sheet {}", shorten(c, 80), g.name)));
                }
            }
        }
    }
    cands.sort_by_key(|(rank, _, _)| *rank);
    if let Some((_, v, at)) = cands.into_iter().next() {
        confidence += 0.1;
        evidence.push(at);
        version = Some(v);
    } else if let Some(c) = file_version_re().captures(texts.file).filter(|_| named.is_some() || file_named) {
        let v = c[1].replace('_', ".");
        evidence.push(format!("version {v} from the file name"));
        version = Some(v);
    }
    // Edition.
    let prefix_set: BTreeMap<String, usize> = refs.iter().fold(BTreeMap::new(), |mut m, r| {
        *m.entry(id_prefix(r).to_uppercase()).or_insert(0) += 1;
        m
    });
    let mut edition = None;
    for e in &fam.editions {
        let by_name = texts.titles.iter().find(|(_, t)| e.names.iter().any(|n| contains_name(t, n))).map(|(at, t)| format!("edition {} from {at}: \"{}\"", e.title, shorten(t, 80)));
        let by_file = || e.names.iter().any(|n| contains_name(texts.file, n)).then(|| format!("edition {} from the file name", e.title));
        let by_ids = || {
            let n: usize = e.prefixes.iter().filter_map(|p| prefix_set.get(&p.to_uppercase())).sum();
            (n >= 3).then(|| format!("edition {} from its ID prefixes ({n} questions)", e.title))
        };
        if let Some(why) = by_name.or_else(by_file).or_else(by_ids) {
            evidence.push(why);
            edition = Some(e);
            break;
        }
    }
    // Generation: the version's major number, else structure.
    let generation = match &version {
        Some(v) => v.split('.').next().map(|s| s.trim_start_matches('0').to_string()).map(|s| if s.is_empty() { "0".into() } else { s }),
        None => fam
            .generations
            .iter()
            .find(|g| {
                let by_sheets = !g.sheets.is_empty() && g.sheets.iter().all(|s| sheets.iter().any(|x| x.name.trim().eq_ignore_ascii_case(s)));
                let by_ids = g.prefixes.iter().filter(|p| prefix_set.contains_key(&p.to_uppercase())).count() >= 2;
                by_sheets || by_ids
            })
            .map(|g| {
                evidence.push(format!("generation {} from its structure (sheets or ID prefixes)", g.id));
                g.id.clone()
            }),
    };
    let confidence = confidence.min(0.99);
    let certainty = if confidence >= 0.8 { "certain" } else if confidence >= 0.6 { "likely" } else { "possible" };
    Some(Recognition {
        family: fam.id.clone(),
        family_title: fam.title.clone(),
        edition: edition.map(|e| e.id.clone()),
        edition_title: edition.map(|e| e.title.clone()),
        version,
        generation,
        confidence: (confidence * 100.0).round() / 100.0,
        certainty: certainty.into(),
        evidence,
    })
}


/// Compares dotted versions numerically ("3.06" > "3.1" is false: 3.06 < 3.10 is how EDUCAUSE
/// numbers; each part compares as a number).
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let parts = |s: &str| s.split('.').map(|p| p.trim().parse::<u32>().unwrap_or(0)).collect::<Vec<_>>();
    let (pa, pb) = (parts(a), parts(b));
    let n = pa.len().max(pb.len());
    for i in 0..n {
        let (x, y) = (pa.get(i).copied().unwrap_or(0), pb.get(i).copied().unwrap_or(0));
        if x != y {
            return x.cmp(&y);
        }
    }
    std::cmp::Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(sheet: &str, reference: &str, domain: &str) -> Question {
        Question {
            sheet: sheet.into(),
            row: 1,
            reference: reference.into(),
            text: "Do you?".into(),
            domain: domain.into(),
            answer: String::new(),
            answer_kind: None,
            comment: String::new(),
            answer_cell: None,
            choice_cells: Vec::new(),
            comment_cell: None,
        }
    }

    #[test]
    fn embedded_families_parse() {
        let f = Families::embedded().expect("families");
        assert!(f.families.iter().any(|(f, _)| f.id == "hecvat"));
        assert!(f.families.iter().any(|(f, _)| f.id == "caiq"));
    }

    #[test]
    fn versions() {
        assert_eq!(version_in("Version 3.06").as_deref(), Some("3.06"));
        assert_eq!(version_in("CAIQv4.0.3").as_deref(), Some("4.0.3"));
        assert_eq!(version_in("csa-cai v1.1").as_deref(), Some("1.1"));
        assert_eq!(version_in("HECVAT 2026 edition"), None);
        assert_eq!(compare_versions("3.06", "3.00"), std::cmp::Ordering::Greater);
        assert_eq!(compare_versions("3.1", "3.01"), std::cmp::Ordering::Equal);
        assert_eq!(compare_versions("4.0.3", "4.1"), std::cmp::Ordering::Less);
        assert!(contains_name("CAIQv4.0.3", "CAIQ"));
        assert!(!contains_name("caiques", "CAIQ"));
        assert!(contains_name("Higher Education Community Vendor Assessment Toolkit (HECVAT) - Lite", "HECVAT"));
    }

    #[test]
    fn a_renamed_hecvat_is_recognised_by_its_title_version_and_ids() {
        let fams = Families::embedded().expect("families");
        let mut g = Grid::new("Vendor Response");
        g.set(0, 0, "Higher Education Community Vendor Assessment Toolkit - Lite".into());
        g.set(0, 4, "Version 3.06".into());
        let qs: Vec<Question> = ["GNRL-01", "COMP-01", "HLAP-01", "HLAP-02", "HLAA-01", "HLDA-01"].iter().map(|r| q("Vendor Response", r, "")).collect();
        let refs: Vec<&Question> = qs.iter().collect();
        let r = recognise(fams, "answers.xlsx", Format::Xlsx, &[g], &refs).expect("recognised");
        assert_eq!(r.family, "hecvat");
        assert_eq!(r.version.as_deref(), Some("3.06"));
        assert_eq!(r.generation.as_deref(), Some("3"));
        assert_eq!(r.edition.as_deref(), Some("lite"));
        assert_eq!(r.certainty, "certain", "{r:?}");
    }

    #[test]
    fn ids_alone_make_a_possible_recognition_and_unrelated_files_none() {
        let fams = Families::embedded().expect("families");
        let g = Grid::new("Sheet1");
        let qs: Vec<Question> = ["A&A-01.1", "A&A-02.1", "CEK-01.1", "DSP-02.1", "GRC-01.1", "LOG-03.1"].iter().map(|r| q("Sheet1", r, "")).collect();
        let refs: Vec<&Question> = qs.iter().collect();
        let r = recognise(fams, "export.xlsx", Format::Xlsx, &[g.clone()], &refs).expect("CAIQ by its IDs");
        assert_eq!(r.family, "caiq");
        assert_eq!(r.generation.as_deref(), Some("4"));
        assert!(r.confidence < 0.8, "{r:?}");
        let qs: Vec<Question> = ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"].iter().map(|r| q("Sheet1", r, "")).collect();
        let refs: Vec<&Question> = qs.iter().collect();
        assert!(recognise(fams, "our-questions.xlsx", Format::Xlsx, &[g], &refs).is_none());
    }
}
