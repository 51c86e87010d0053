//! Layout profiles: data files under `questionnaires/profiles/` that recognise a known
//! questionnaire format (by sheet names and header text) and pin its sheets and columns.
//! `generic.toml` is special: it carries the header vocabulary and the sheet names to skip that
//! detection uses everywhere. Profiles are embedded in the binary; a folder named by
//! `QUIRE_PROFILES` adds (or, by name, replaces) profiles at run time.

use crate::answer::AnswerKind;
use crate::error::{Error, Result};
use crate::sheet::grid::{col_index, Grid};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

const EMBEDDED: &[(&str, &str)] = &[
    ("generic.toml", include_str!("../../questionnaires/profiles/generic.toml")),
    ("caiq-v4.toml", include_str!("../../questionnaires/profiles/caiq-v4.toml")),
    ("caiq-v3.toml", include_str!("../../questionnaires/profiles/caiq-v3.toml")),
    ("hecvat-4.toml", include_str!("../../questionnaires/profiles/hecvat-4.toml")),
    ("hecvat-3.toml", include_str!("../../questionnaires/profiles/hecvat-3.toml")),
];

/// Header words per column role, from `generic.toml`.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct HeaderWords {
    #[serde(rename = "ref")]
    pub reference: Vec<String>,
    pub question: Vec<String>,
    pub answer: Vec<String>,
    pub comment: Vec<String>,
    pub domain: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct SkipRules {
    #[serde(default)]
    pub sheet_names: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct DetectRules {
    /// At least one sheet matches one of these names (globs with `*`).
    #[serde(default)]
    pub sheets_any: Vec<String>,
    /// Every one of these sheets exists.
    #[serde(default)]
    pub sheets_all: Vec<String>,
    /// One of these texts appears in the first rows of some sheet.
    #[serde(default)]
    pub text_any: Vec<String>,
    /// Sheets the profile does not list are skipped.
    #[serde(default)]
    pub only_listed: bool,
}

/// A sheet pinned by a profile. Columns are letters as in the spreadsheet.
#[derive(Debug, Clone, Deserialize)]
pub struct SheetPin {
    pub name: String,
    /// 1-based header row; absent for sheets without one.
    pub header_row: Option<usize>,
    /// 1-based first data row; defaults to the row after the header (or row 1).
    pub data_row: Option<usize>,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub question: String,
    pub answer: Option<String>,
    pub comment: Option<String>,
    pub domain: Option<String>,
    /// Answers-by-columns: answer label → column letter.
    #[serde(default)]
    pub choices: BTreeMap<String, String>,
}

/// Pinned columns resolved to indexes.
#[derive(Debug, Clone)]
pub struct PinnedColumns {
    pub header_row: Option<usize>,
    pub data_row: Option<usize>,
    pub reference: Option<usize>,
    pub question: usize,
    pub answer: Option<usize>,
    pub comment: Option<usize>,
    pub domain: Option<usize>,
    pub choices: Vec<(usize, AnswerKind)>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Profile {
    pub name: String,
    pub title: String,
    #[serde(default)]
    pub detect: DetectRules,
    #[serde(default, rename = "sheet")]
    pub sheets: Vec<SheetPin>,
    #[serde(default)]
    pub headers: Option<HeaderWords>,
    #[serde(default)]
    pub skip: Option<SkipRules>,
}

/// All profiles: the generic vocabulary plus the known formats.
#[derive(Debug, Clone)]
pub struct Profiles {
    pub headers: HeaderWords,
    pub skip: SkipRules,
    pub formats: Vec<Profile>,
}

impl Profiles {
    /// The embedded profiles, plus those in `QUIRE_PROFILES` when set.
    pub fn load() -> Result<Profiles> {
        let mut texts: Vec<(String, String)> =
            EMBEDDED.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        if let Some(dir) = std::env::var_os("QUIRE_PROFILES") {
            texts.extend(read_dir_profiles(Path::new(&dir))?);
        }
        Profiles::from_texts(&texts)
    }

    /// Only the generic vocabulary: every sheet is detected from its content.
    pub fn generic_only() -> Result<Profiles> {
        let mut p = Profiles::load()?;
        p.formats.clear();
        Ok(p)
    }

    pub fn from_texts(texts: &[(String, String)]) -> Result<Profiles> {
        let mut by_name: BTreeMap<String, Profile> = BTreeMap::new();
        let mut order = Vec::new();
        for (file, text) in texts {
            let p: Profile = toml::from_str(text)
                .map_err(|e| Error::Profile { name: file.clone(), detail: e.to_string() })?;
            for pin in &p.sheets {
                pin.resolve().map_err(|detail| Error::Profile { name: p.name.clone(), detail })?;
            }
            if !by_name.contains_key(&p.name) {
                order.push(p.name.clone());
            }
            by_name.insert(p.name.clone(), p);
        }
        let generic = by_name.remove("generic").ok_or_else(|| Error::Profile {
            name: "generic".into(),
            detail: "the generic profile is missing".into(),
        })?;
        let headers = generic.headers.ok_or_else(|| Error::Profile {
            name: "generic".into(),
            detail: "it has no [headers] table".into(),
        })?;
        let skip = generic.skip.unwrap_or_default();
        let formats = order.into_iter().filter_map(|n| by_name.remove(&n)).collect();
        Ok(Profiles { headers, skip, formats })
    }

    /// The first known format whose rules match this workbook.
    pub fn recognise(&self, sheets: &[Grid]) -> Option<&Profile> {
        self.formats.iter().find(|p| p.matches(sheets))
    }
}

fn read_dir_profiles(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.extension().and_then(|e| e.to_str()) == Some("toml") {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            out.push((path.display().to_string(), text));
        }
    }
    Ok(out)
}

impl Profile {
    fn matches(&self, sheets: &[Grid]) -> bool {
        let d = &self.detect;
        if d.sheets_any.is_empty() && d.sheets_all.is_empty() && d.text_any.is_empty() {
            return false;
        }
        let has = |pat: &str| sheets.iter().any(|g| glob_match(pat, &g.name));
        if !d.sheets_any.is_empty() && !d.sheets_any.iter().any(|p| has(p)) {
            return false;
        }
        if !d.sheets_all.iter().all(|p| has(p)) {
            return false;
        }
        if !d.text_any.is_empty() {
            let found = sheets.iter().any(|g| {
                g.rows.iter().take(5).flatten().any(|cell| {
                    let lower = cell.to_lowercase();
                    d.text_any.iter().any(|t| lower.contains(&t.to_lowercase()))
                })
            });
            if !found {
                return false;
            }
        }
        true
    }

    /// The pin for a sheet, if the profile lists it.
    pub fn pin_for(&self, sheet: &str) -> Option<&SheetPin> {
        self.sheets.iter().find(|p| glob_match(&p.name, sheet))
    }
}

impl SheetPin {
    pub fn resolve(&self) -> std::result::Result<PinnedColumns, String> {
        let col = |what: &str, s: &str| col_index(s).ok_or_else(|| format!("sheet {}: {what} column {s:?} is not a column letter", self.name));
        let opt = |what: &str, s: &Option<String>| s.as_deref().map(|s| col(what, s)).transpose();
        let mut choices = Vec::new();
        for (label, letter) in &self.choices {
            let kind = AnswerKind::parse_label(label)
                .ok_or_else(|| format!("sheet {}: choice {label:?} is not Yes, No, N/A or Partial", self.name))?;
            choices.push((col("choice", letter)?, kind));
        }
        choices.sort_by_key(|(c, _)| *c);
        Ok(PinnedColumns {
            header_row: self.header_row,
            data_row: self.data_row,
            reference: opt("ref", &self.reference)?,
            question: col("question", &self.question)?,
            answer: opt("answer", &self.answer)?,
            comment: opt("comment", &self.comment)?,
            domain: opt("domain", &self.domain)?,
            choices,
        })
    }
}

/// Case-insensitive match with `*` as "any run of characters".
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p = pattern.to_lowercase();
    let n = name.trim().to_lowercase();
    let parts: Vec<&str> = p.split('*').collect();
    if parts.len() == 1 {
        return p == n;
    }
    let mut rest = n.as_str();
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(pos) => rest = &rest[pos + part.len()..],
                None => return false,
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_profiles_load() {
        let p = Profiles::load().expect("embedded profiles parse");
        assert!(p.headers.question.iter().any(|w| w == "question"));
        let names: Vec<&str> = p.formats.iter().map(|f| f.name.as_str()).collect();
        for want in ["caiq-v4", "caiq-v3", "hecvat-4", "hecvat-3"] {
            assert!(names.contains(&want), "{want} missing from {names:?}");
        }
    }

    #[test]
    fn globs() {
        assert!(glob_match("CAIQv4*", "CAIQv4.0.3"));
        assert!(glob_match("*CAIQ*v3*", "CSA CAIQ v3.0.1"));
        assert!(glob_match("hecvat - *", "HECVAT - Full"));
        assert!(!glob_match("CAIQv4*", "Introduction"));
        assert!(glob_match("AI", "ai"));
        assert!(!glob_match("AI", "AIX"));
    }

    #[test]
    fn bad_profile_is_reported() {
        let texts = vec![
            ("generic.toml".to_string(), include_str!("../../questionnaires/profiles/generic.toml").to_string()),
            ("bad.toml".to_string(), "name='bad'\ntitle='x'\n[[sheet]]\nname='S'\nquestion='1'\n".to_string()),
        ];
        let err = Profiles::from_texts(&texts).unwrap_err().to_string();
        assert!(err.contains("not a column letter"), "{err}");
    }

    #[test]
    fn recognises_by_sheet_and_text() {
        let p = Profiles::load().unwrap();
        let mut g = Grid::new("CAIQv4.0.3");
        g.set(1, 2, "CSP CAIQ Answer".into());
        assert_eq!(p.recognise(&[g.clone()]).map(|p| p.name.as_str()), Some("caiq-v4"));
        g.rows.clear();
        assert!(p.recognise(&[g]).is_none());
    }
}
