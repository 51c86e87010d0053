//! The jobs the desktop app and the CLI share, each one call with progress reports: importing
//! past questionnaires into the library (with the rolling backup first, then embedding the new
//! entries), starting a review (read, index, suggest, save), writing a review's answers (the
//! customer's file filled in place, or a clean workbook) and exporting a review with its PDF
//! summary, embedding the library, syncing with the team library (then embedding what it
//! brought), assessing a vendor's questionnaire and seeding the demo.
//! The Tauri commands call only these for those jobs; the CLI calls the same steps and keeps
//! only what is its own: reading every file before importing any, and printing.

use crate::error::{Error, Result};
use crate::library::{ImportReport, Library, ReviewSummary};
use crate::review::{Review, ReviewStatus};
use crate::sheet::overrides::SheetOverride;
use crate::sheet::{read_questionnaire, read_questionnaire_with, InspectReport, Questionnaire, ReadOptions};
use crate::suggest::meaning::{self, EmbedOutcome, Meaning};
use crate::suggest::Suggester;
use crate::team::{self, sync::SyncReport};
use std::sync::atomic::{AtomicBool, Ordering};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// How far a long operation is, for a progress bar.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Progress {
    pub task: String,
    pub done: usize,
    pub total: usize,
    pub message: String,
}

/// Where progress goes (the app forwards it to the window; the CLI ignores it).
pub type OnProgress<'a> = &'a (dyn Fn(Progress) + Sync);

fn report(on: OnProgress<'_>, task: &str, done: usize, total: usize, message: impl Into<String>) {
    on(Progress { task: task.into(), done, total, message: message.into() });
}

/// The tag the demo library's entries carry, so it can be removed in one go.
pub const DEMO_TAG: &str = "demo";

/// One file of a multi-file import: its report, or why it failed (the others go on).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportResult {
    pub path: String,
    pub report: Option<ImportReport>,
    pub error: Option<String>,
}

/// Reads and imports past answered questionnaires (the app's Import): a file that cannot be
/// read reports why and the others go on. See [`import_read`] for the import itself.
pub fn import_answered(lib: &mut Library, paths: &[PathBuf], tags: &[String], on: OnProgress<'_>) -> Vec<ImportResult> {
    let read: Vec<(PathBuf, Result<Questionnaire>)> = paths
        .iter()
        .map(|p| {
            let q = read_questionnaire(p).and_then(|q| {
                q.require_questions()?;
                Ok(q)
            });
            (p.clone(), q)
        })
        .collect();
    import_read(lib, &read, tags, on)
}

/// Imports questionnaires already read (each file's path, and its questionnaire or why it could
/// not be read), one transaction per file, after a rolling backup of the library
/// (`<library folder>/backups/`, the newest five kept); then embeds the new entries for matching
/// by meaning. If the backup cannot be written nothing is imported and every file reports why.
/// The one import step of the app and the CLI (which reads every file first and stops at the
/// first it cannot read).
pub fn import_read(lib: &mut Library, read: &[(PathBuf, Result<Questionnaire>)], tags: &[String], on: OnProgress<'_>) -> Vec<ImportResult> {
    let total = read.len();
    let mut results = Vec::with_capacity(total);
    report(on, "import", 0, total, "backing up the library first");
    if let Err(e) = lib.rolling_backup("before-import") {
        let error = format!("nothing imported: the automatic backup before importing failed ({e})");
        return read.iter().map(|(p, _)| ImportResult { path: p.display().to_string(), report: None, error: Some(error.clone()) }).collect();
    }
    for (i, (path, q)) in read.iter().enumerate() {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
        report(on, "import", i, total, format!("importing {name}"));
        let outcome = match q {
            Ok(q) => lib.import(q, tags).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        results.push(match outcome {
            Ok(r) => ImportResult { path: path.display().to_string(), report: Some(r), error: None },
            Err(e) => ImportResult { path: path.display().to_string(), report: None, error: Some(e) },
        });
    }
    report(on, "import", total, total, "done");
    // The new entries' embeddings, so that the next suggestions match them by meaning. A
    // failure here loses nothing: they are computed again the next time.
    if let Err(e) = embed_library(lib, on) {
        report(on, "embed", 0, 0, format!("the new entries will match by shared words only for now: {e}"));
    }
    results
}

/// Set by `cancel_embedding`, cleared when `embed_library` starts.
static EMBEDDING_CANCELLED: AtomicBool = AtomicBool::new(false);

/// Asks a running `embed_library` (on any thread) to stop after its current round; what it
/// finished is kept and the next run goes on from there.
pub fn cancel_embedding() {
    EMBEDDING_CANCELLED.store(true, Ordering::Relaxed);
}

/// Computes the embeddings that entries lack for the model (new entries, or every entry for a
/// new model), reporting progress as task "embed"; `cancel_embedding` stops it (what was done is
/// kept). `Ok(None)` when there is no model: `Meaning::absent_reason` says why.
pub fn embed_library(lib: &Library, on: OnProgress<'_>) -> Result<Option<EmbedOutcome>> {
    EMBEDDING_CANCELLED.store(false, Ordering::Relaxed);
    let meaning = Meaning::shared();
    let Some(embedder) = meaning.embedder() else { return Ok(None) };
    let outcome = meaning::embed_missing(lib, embedder, |done, total| {
        report(on, "embed", done, total, format!("matching by meaning: {done} of {total} questions embedded"));
        !EMBEDDING_CANCELLED.load(Ordering::Relaxed)
    })?;
    Ok(Some(outcome))
}

/// Syncs the library with the team library — joining it first when `join` names the server (as
/// typed, kept without its password) — then, when the sync brought anything, embeds the entries
/// that lack a vector for matching by meaning, as an import does: a team's library arrives
/// ready to be matched by meaning rather than by shared words only until someone embeds it.
/// Progress as task "embed"; `cancel_embedding` stops the embedding (the sync is done by then
/// and stays done). An embedding that fails loses nothing and does not fail the sync: it says
/// so in the progress, and the entries are embedded the next time.
pub fn sync_team(lib: &mut Library, client: &mut postgres::Client, join: Option<&str>, on: OnProgress<'_>) -> Result<SyncReport> {
    let synced = match join {
        Some(target) => team::sync::join(lib, client, target)?,
        None => team::sync::sync(lib, client)?,
    };
    if synced.pulled > 0 {
        if let Err(e) = embed_library(lib, on) {
            report(on, "embed", 0, 0, format!("the entries from the team library will match by shared words only for now: {e}"));
        }
    }
    Ok(synced)
}

/// Reads a questionnaire with a person's layout corrections, for the import screen.
pub fn inspect(path: &Path, overrides: &[SheetOverride]) -> Result<InspectReport> {
    let q = read_questionnaire_with(path, ReadOptions { overrides, ..ReadOptions::default() })?;
    Ok(q.report())
}

/// Starts a review: reads the questionnaire (with corrections), suggests an answer for every
/// unanswered question from the library and saves it all in the library.
pub fn start_review(lib: &mut Library, path: &Path, overrides: &[SheetOverride], min_confidence: f32, on: OnProgress<'_>) -> Result<ReviewSummary> {
    report(on, "review", 0, 4, "reading the questionnaire");
    let q = read_questionnaire_with(path, ReadOptions { overrides, ..ReadOptions::default() })?;
    q.require_questions()?;
    report(on, "review", 1, 4, format!("indexing the library ({} entries)", lib.entry_count()?));
    let suggester = Suggester::from_library(lib)?;
    report(on, "review", 2, 4, format!("suggesting answers for {} questions", q.question_count()));
    let review = suggester.review(&q, min_confidence);
    report(on, "review", 3, 4, "saving the review");
    let summary = lib.create_review(&q, &review, overrides)?;
    report(on, "review", 4, 4, "done");
    Ok(summary)
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportResult {
    pub workbook: PathBuf,
    pub pdf: Option<PathBuf>,
    pub written: usize,
    pub comments_written: usize,
    pub skipped: Vec<crate::fill::FillSkip>,
    pub notes: Vec<String>,
    /// Answered questions not approved yet (the app warns before and after exporting).
    pub unapproved: usize,
}

/// Writes the filled workbook (or, for formats that cannot be edited in place, a clean export)
/// and optionally the PDF summary into `folder`, never over an existing file.
pub fn export_review(lib: &Library, id: i64, folder: &Path, pdf: bool, on: OnProgress<'_>) -> Result<ExportResult> {
    if !folder.is_dir() {
        return Err(Error::invalid("workflow.folder_choose_existing_folder", format!("{} is not a folder; choose an existing folder to export into", folder.display())));
    }
    let steps = if pdf { 3 } else { 2 };
    report(on, "export", 0, steps, "reading the questionnaire");
    let (q, review) = lib.review_for_export(id)?;
    let stem = Path::new(&q.file).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "questionnaire".into());
    report(on, "export", 1, steps, "filling the workbook");
    // The library's (decrypted) copy, read only when the file itself is filled.
    let bytes = if crate::fill::can_fill_in_place(q.format) { Some(lib.read_kept_file(&q.path)?) } else { None };
    let ext = Path::new(&q.file).extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_else(|| "xlsx".into());
    let response = crate::fill::pdf::writes_response(&q);
    let filled = write_answers(&q, bytes, &review, &crate::fill::FillOptions::default(), |in_place| {
        if in_place && response {
            // A flat PDF has no answer places: its response document (.docx and .xlsx).
            crate::fill::pdf::free_response_path(folder, &stem)
        } else if in_place {
            free_name(folder, &stem, &format!("filled.{ext}"))
        } else {
            free_name(folder, &stem, "answers.xlsx")
        }
    })?;
    let (workbook, written, comments_written, skipped, notes) = (filled.output, filled.written, filled.comments_written, filled.skipped, filled.notes);
    let pdf_path = if pdf {
        report(on, "export", 2, steps, "writing the PDF summary");
        let target = free_name(folder, &stem, "summary.pdf");
        crate::report::summary_pdf(&review, &target, &crate::report::SummaryOptions::default())?;
        Some(target)
    } else {
        None
    };
    report(on, "export", steps, steps, "done");
    Ok(ExportResult { workbook, pdf: pdf_path, written, comments_written, skipped, notes, unapproved: unapproved(&review) })
}

/// What writing a review's answers out wrote.
#[derive(Debug, Clone, Serialize)]
pub struct AnswersWritten {
    /// The file written.
    pub output: PathBuf,
    /// The fill's report when the customer's own file was filled in place; `None` when it
    /// cannot be (CSV, VSAQ JSON, xls, ods) and a clean workbook was written instead.
    pub fill: Option<crate::fill::FillReport>,
    pub written: usize,
    pub comments_written: usize,
    pub skipped: Vec<crate::fill::FillSkip>,
    /// Things to tell the person (why a clean workbook, dropdowns, recalculation…).
    pub notes: Vec<String>,
}

/// Writes a review's answers: into a copy of the customer's own file when its format can be
/// edited in place, otherwise into a clean workbook with every question and answer. `bytes`
/// is the questionnaire as it was read (the library's decrypted copy), or `None` to read
/// `q.path`; `target(in_place)` names the file to write. The one fill step of the app's Export
/// and `quire fill`.
pub fn write_answers(q: &Questionnaire, bytes: Option<Vec<u8>>, review: &Review, options: &crate::fill::FillOptions, target: impl FnOnce(bool) -> PathBuf) -> Result<AnswersWritten> {
    if crate::fill::can_fill_in_place(q.format) {
        let out = target(true);
        let r = match bytes {
            Some(b) => crate::fill::fill_workbook_from(q, b, review, &out, options)?,
            None => crate::fill::fill_workbook(q, review, &out, options)?,
        };
        let notes = r.notes.iter().chain(r.format_note.iter()).cloned().collect();
        return Ok(AnswersWritten { output: r.output.clone(), written: r.written, comments_written: r.comments_written, skipped: r.skipped.clone(), notes, fill: Some(r) });
    }
    let out = target(false);
    crate::report::export_answers_xlsx(review, &out)?;
    let written = review.questions.iter().filter(|x| x.answer.is_some()).count();
    let note = format!("{} is a .{} file, which cannot be edited in place: a clean workbook with every question and answer was written instead", q.file, q.format.as_str());
    Ok(AnswersWritten { output: out, fill: None, written, comments_written: 0, skipped: Vec::new(), notes: vec![note] })
}

/// Answered questions whose answer nobody approved yet.
pub fn unapproved(review: &Review) -> usize {
    review.questions.iter().filter(|q| q.answer.is_some() && q.status != ReviewStatus::Approved).count()
}

/// `<folder>/<stem>.<suffix>`, or `<stem> (2).<suffix>` … when that exists.
fn free_name(folder: &Path, stem: &str, suffix: &str) -> PathBuf {
    let first = folder.join(format!("{stem}.{suffix}"));
    if !first.exists() {
        return first;
    }
    (2..).map(|n| folder.join(format!("{stem} ({n}).{suffix}"))).find(|p| !p.exists()).unwrap_or(first)
}

/// What seeding the demo did.
#[derive(Debug, Clone, Serialize)]
pub struct DemoSeed {
    /// The answered sample (imported) and the new customer questionnaire (to try).
    pub samples: Vec<PathBuf>,
    pub import: ImportReport,
}

/// Writes the sample questionnaires into `dir` and imports the answered one, tagged "demo".
pub fn seed_demo(lib: &mut Library, dir: &Path) -> Result<DemoSeed> {
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let samples = crate::samples::write_samples(dir)?;
    let answered = read_questionnaire(&samples[0])?;
    let import = lib.import(&answered, &[DEMO_TAG.to_string()])?;
    lib.set_setting("demo_seeded", &crate::dates::today().to_string())?;
    Ok(DemoSeed { samples, import })
}

/// Seeds the demo the first time a library is opened empty (never again once removed).
pub fn seed_demo_on_first_run(lib: &mut Library, dir: &Path) -> Result<Option<DemoSeed>> {
    if lib.setting("demo_seeded")?.is_some() || lib.entry_count()? > 0 {
        return Ok(None);
    }
    seed_demo(lib, dir).map(Some)
}

/// An assessment, as the app and the CLI show it after running one.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AssessResult {
    /// The saved assessment's id (`None` when not saved).
    pub id: Option<i64>,
    pub assessment: crate::assess::Assessment,
}

/// What Quire recognised a completed questionnaire as and the rubric it would score it with
/// (or `rubric`, when named): shown before scoring so the analyst can pick another.
pub fn assess_preview(path: &Path, rubric: Option<&str>) -> Result<crate::assess::placement::RubricChoice> {
    let q = read_questionnaire(path)?;
    q.require_questions()?;
    crate::assess::Assessor::new()?.choose(&q, rubric)
}

/// Reads a vendor's completed questionnaire, scores it (against the vendor's previous
/// assessment, when there is one) and, if `save`, saves the assessment with the vendor.
pub fn assess_file(lib: &mut Library, vendor: &crate::assess::vendor::Vendor, path: &Path, rubric: Option<&str>, save: bool, on: OnProgress<'_>) -> Result<AssessResult> {
    report(on, "assess", 0, 3, "reading the questionnaire");
    let q = read_questionnaire(path)?;
    report(on, "assess", 1, 3, format!("scoring {} questions", q.question_count()));
    let previous = lib.latest_assessment(vendor.id)?.map(|s| s.assessment);
    let assessment = crate::assess::Assessor::new()?.assess(&q, vendor, rubric, previous.as_ref(), crate::dates::today())?;
    report(on, "assess", 2, 3, "saving the assessment");
    let id = if save { Some(lib.save_assessment(&assessment)?) } else { None };
    report(on, "assess", 3, 3, "done");
    Ok(AssessResult { id, assessment })
}

/// What exporting an assessment wrote.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AssessmentExport {
    pub pdf: Option<PathBuf>,
    pub xlsx: Option<PathBuf>,
}

/// Writes the PDF risk report and/or the findings workbook of a saved assessment into `folder`
/// (never over an existing file).
pub fn export_assessment(lib: &Library, id: i64, folder: &Path, pdf: bool, xlsx: bool) -> Result<AssessmentExport> {
    if !folder.is_dir() {
        return Err(Error::invalid("workflow.folder_choose_existing_folder", format!("{} is not a folder; choose an existing folder to export into", folder.display())));
    }
    if !pdf && !xlsx {
        return Err(Error::invalid("workflow.choose_pdf_report_findings", "choose the PDF report, the findings workbook or both"));
    }
    let saved = lib.assessment(id)?;
    let stem: String = format!("{} risk {}", saved.assessment.vendor.name, saved.assessment.assessed_on)
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == ' ' { c } else { '_' })
        .collect();
    let pdf = if pdf {
        let p = free_name(folder, &stem, "pdf");
        crate::report::risk_pdf(&saved.assessment, &p)?;
        Some(p)
    } else {
        None
    };
    let xlsx = if xlsx {
        let p = free_name(folder, &format!("{stem} findings"), "xlsx");
        crate::report::findings_xlsx(&saved.assessment, &p)?;
        Some(p)
    } else {
        None
    };
    Ok(AssessmentExport { pdf, xlsx })
}
