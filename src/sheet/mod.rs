//! Reading questionnaires: a file in, its questions out, with a per-sheet account of what was
//! used or skipped and why. `read` turns bytes into grids, `profile` recognises known formats,
//! `detect` finds the layout of each grid, `family` says which questionnaire family, edition and
//! version the file is and how sure that is.

pub mod detect;
pub mod model;
pub mod docx;
pub mod family;
pub mod grid;
pub mod overrides;
pub mod pdf;
pub mod profile;
pub mod read;
pub mod delimited;
pub mod vsaq;

use crate::error::{Error, Result};
use detect::{detect_sheet, Plan, LOW_CONFIDENCE};
use model::{Question, SheetLayout};
use grid::{Format, Grid};
use profile::Profiles;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A questionnaire as read from a file.
#[derive(Debug, Clone)]
pub struct Questionnaire {
    pub path: PathBuf,
    /// The file name shown to users and stored as provenance.
    pub file: String,
    pub format: Format,
    pub sha256: String,
    /// The known-format profile that pinned the layout, if any.
    pub profile: Option<String>,
    /// The questionnaire family, edition and version recognised from the whole structure.
    pub recognition: Option<family::Recognition>,
    pub sheets: Vec<SheetLayout>,
    /// For low-confidence sheets: the first rows as seen, so the user can judge.
    pub previews: BTreeMap<String, Vec<Vec<String>>>,
}

impl Questionnaire {
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sheets.iter().flat_map(|s| s.questions.iter())
    }

    pub fn question_count(&self) -> usize {
        self.sheets.iter().map(|s| s.questions.len()).sum()
    }

    pub fn answered_count(&self) -> usize {
        self.sheets.iter().map(|s| s.answered()).sum()
    }

    /// Fails with a message listing every sheet and why it was skipped when nothing was used.
    pub fn require_questions(&self) -> Result<()> {
        if self.question_count() > 0 {
            return Ok(());
        }
        let reasons: Vec<String> = self
            .sheets
            .iter()
            .map(|s| format!("{} \"{}\": {}", if matches!(self.format, Format::Docx | Format::Docm) { "Word document, part" } else { "sheet" }, s.name, s.reason.as_deref().unwrap_or("no questions")))
            .collect();
        if self.format == Format::Pdf {
            let reasons: Vec<&String> = reasons.iter().take(5).collect();
            return Err(Error::NoQuestions {
                path: self.path.clone(),
                detail: format!("{}. In a PDF Quire reads form fields with a question as tooltip, name or printed beside them, numbered questions (\"1.\", \"1.2\", \"A.3\", \"Q12\") and tables with a Question column; otherwise ask the customer for the Word or Excel version of the questionnaire.", reasons.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; ")),
            });
        }
        if matches!(self.format, Format::Docx | Format::Docm) {
            return Err(Error::NoQuestions {
                path: self.path.clone(),
                detail: format!("{}. In a Word document Quire reads tables with a Question column (and Answer / Comments columns) and numbered or bold questions each followed by an answer paragraph.", reasons.join("; ")),
            });
        }
        Err(Error::NoQuestions {
            path: self.path.clone(),
            detail: format!("{}. If this is a questionnaire, make sure the questions sit in one column under a header such as \"Question\", or add a layout profile (see docs/profiles.md).", reasons.join("; ")),
        })
    }

    /// The `inspect` report (its JSON shape is part of the CLI contract).
    pub fn report(&self) -> InspectReport {
        InspectReport {
            file: self.file.clone(),
            format: self.format.as_str().to_string(),
            profile: self.profile.clone(),
            family: self.recognition.clone(),
            sha256: self.sha256.clone(),
            questions: self.question_count(),
            answered: self.answered_count(),
            sheets: self
                .sheets
                .iter()
                .map(|s| SheetReport {
                    name: s.name.clone(),
                    used: s.used,
                    reason: s.reason.clone(),
                    header_row: s.header_row,
                    confidence: s.confidence,
                    low_confidence: s.used && s.confidence < LOW_CONFIDENCE,
                    columns: s.columns.as_ref().map(|c| c.letters()).unwrap_or_default(),
                    questions: s.questions.len(),
                    answered: s.answered(),
                    notes: s.notes.clone(),
                    preview: self.previews.get(&s.name).cloned(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InspectReport {
    pub file: String,
    pub format: String,
    pub profile: Option<String>,
    /// Family, edition, version and certainty (null when no known family was seen).
    pub family: Option<family::Recognition>,
    pub sha256: String,
    pub questions: usize,
    pub answered: usize,
    pub sheets: Vec<SheetReport>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SheetReport {
    pub name: String,
    pub used: bool,
    pub reason: Option<String>,
    pub header_row: Option<usize>,
    pub confidence: f32,
    pub low_confidence: bool,
    pub columns: BTreeMap<String, String>,
    pub questions: usize,
    pub answered: usize,
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub preview: Option<Vec<Vec<String>>>,
}

/// How to read a questionnaire, beyond its path. The default: the embedded and the user's
/// layout profiles, no corrections, the file read from disk.
#[derive(Default)]
pub struct ReadOptions<'a> {
    /// The layout profiles known formats are recognised with (default: `Profiles::load()`).
    pub profiles: Option<&'a Profiles>,
    /// A person's corrections of the detected layout (sheets included or skipped, column roles
    /// pinned). Corrections naming no sheet of the file are an error, so a typo cannot silently
    /// do nothing.
    pub overrides: &'a [overrides::SheetOverride],
    /// The file's bytes when they are already in memory (the library's decrypted copy of a
    /// questionnaire under review, a fuzz input): the path then only names it in messages and
    /// picks the reader by its extension when the bytes do not.
    pub bytes: Option<Vec<u8>>,
}

/// Reads a questionnaire file (workbook, CSV, VSAQ JSON, Word document or PDF form) with the
/// default options.
pub fn read_questionnaire(path: &Path) -> Result<Questionnaire> {
    read_questionnaire_with(path, ReadOptions::default())
}

/// Reads a questionnaire: the one entry point every format goes through. The reader is chosen
/// by the bytes (a Word package, a PDF) and otherwise by the workbook readers' own checks.
pub fn read_questionnaire_with(path: &Path, options: ReadOptions<'_>) -> Result<Questionnaire> {
    let loaded;
    let profiles = match options.profiles {
        Some(p) => p,
        None => {
            loaded = Profiles::load()?;
            &loaded
        }
    };
    let bytes = match options.bytes {
        Some(b) => b,
        None => read::read_file(path)?,
    };
    let overrides = options.overrides;
    let sha256 = read::sha256_hex(&bytes);
    if docx::is_word_package(&bytes) {
        return read_word(path, &bytes, sha256, profiles, overrides);
    }
    if bytes.starts_with(pdf::PDF_MAGIC) {
        return read_pdf(path, &bytes, sha256, profiles);
    }
    let mut wb = read::read_bytes(path, bytes)?;
    wb.sha256 = sha256;
    from_workbook(path, wb, profiles, overrides)
}

/// A PDF questionnaire, with a panic of the parser on a hostile file turned into a "damaged" error.
fn read_pdf(path: &Path, bytes: &[u8], sha256: String, profiles: &Profiles) -> Result<Questionnaire> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pdf::read_pdf(path, bytes, sha256, profiles))) {
        Ok(result) => result,
        Err(_) => Err(Error::corrupt(path, "its structure made the PDF reader fail")),
    }
}

/// A Word document, with a panic of the parser on a hostile file turned into a "damaged" error.
fn read_word(path: &Path, bytes: &[u8], sha256: String, profiles: &Profiles, overrides: &[overrides::SheetOverride]) -> Result<Questionnaire> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| docx::read_document(path, bytes, sha256, profiles, overrides))) {
        Ok(result) => result,
        Err(_) => Err(Error::corrupt(path, "its structure made the Word reader fail")),
    }
}

fn from_workbook(path: &Path, wb: grid::Workbook, profiles: &Profiles, overrides: &[overrides::SheetOverride]) -> Result<Questionnaire> {
    overrides::check_names(overrides, &wb.sheets)?;
    let known = profiles.recognise(&wb.sheets);
    if wb.format == Format::Vsaq {
        return Ok(vsaq_questionnaire(path, wb, profiles));
    }
    let mut sheets = Vec::with_capacity(wb.sheets.len());
    for grid in &wb.sheets {
        if let Some(o) = overrides.iter().find(|o| o.sheet == grid.name) {
            sheets.push(o.apply(grid, profiles, || detect_sheet(grid, profiles, Plan::DetectAnyway))?);
            continue;
        }
        let plan = match known {
            Some(p) => match p.pin_for(&grid.name) {
                Some(pin) => match pin.resolve() {
                    Ok(pins) => Plan::Pinned { profile: &p.name, pins },
                    Err(detail) => return Err(Error::Profile { name: p.name.clone(), detail }),
                },
                None if p.detect.only_listed => Plan::Skip(skip_reason(grid, &p.name)),
                None => Plan::Detect,
            },
            None => Plan::Detect,
        };
        sheets.push(detect_sheet(grid, profiles, plan));
    }
    let previews = wb
        .sheets
        .iter()
        .zip(&sheets)
        .filter(|(_, l)| l.used && l.confidence < LOW_CONFIDENCE)
        .map(|(g, l)| (l.name.clone(), preview(g)))
        .collect();
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let recognition = recognise(&file, wb.format, &wb.sheets, &sheets);
    Ok(Questionnaire { path: path.to_path_buf(), file, format: wb.format, sha256: wb.sha256, profile: known.map(|p| p.name.clone()), recognition, sheets, previews })
}

/// The family recognition over the questions found; a broken families file is not the user's
/// problem, so it only costs the recognition.
fn recognise(file: &str, format: Format, grids: &[Grid], sheets: &[SheetLayout]) -> Option<family::Recognition> {
    let questions: Vec<&Question> = sheets.iter().flat_map(|s| s.questions.iter()).collect();
    let families = family::Families::embedded().ok()?;
    family::recognise(families, file, format, grids, &questions)
}

fn skip_reason(grid: &Grid, profile: &str) -> String {
    if grid.hidden {
        format!("hidden sheet, not a response sheet of {profile}")
    } else {
        format!("not a response sheet of {profile} (an analyst view, instructions or a derived report)")
    }
}

/// The first non-empty rows of a sheet, for "here is what I saw" messages.
fn preview(grid: &Grid) -> Vec<Vec<String>> {
    grid.rows
        .iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .take(6)
        .map(|r| r.iter().take(8).map(|c| c.trim().chars().take(40).collect()).collect())
        .collect()
}

/// VSAQ grids are built by Quire itself with a fixed layout (see `vsaq::HEADER`), so their
/// columns are pinned rather than detected.
fn vsaq_questionnaire(path: &Path, wb: grid::Workbook, profiles: &Profiles) -> Questionnaire {
    let pins = profile::PinnedColumns {
        header_row: Some(1),
        data_row: None,
        reference: Some(0),
        question: 2,
        answer: Some(4),
        comment: Some(5),
        domain: Some(1),
        choices: Vec::new(),
    };
    let sheets: Vec<SheetLayout> = wb.sheets.iter().map(|g| detect_sheet(g, profiles, Plan::Pinned { profile: "vsaq", pins: pins.clone() })).collect();
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let recognition = recognise(&file, wb.format, &wb.sheets, &sheets);
    Questionnaire { path: path.to_path_buf(), file, format: wb.format, sha256: wb.sha256, profile: Some("vsaq".into()), recognition, sheets, previews: BTreeMap::new() }
}
