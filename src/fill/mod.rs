//! Filling the customer's own workbook with the answers, in place: the output is the very file
//! they sent, with only the answer and comment cells changed.
//!
//! Why by hand, in the zip: an xlsx is a zip of XML parts, and the workbooks we fill carry things
//! a spreadsheet library does not round-trip. rust_xlsxwriter only writes new workbooks.
//! umya-spreadsheet (like openpyxl) loads the whole package into its own model and writes it
//! all back, dropping or damaging what it does not model: Excel 2010 (`x14`) data validations,
//! which HECVAT 4 uses for every dropdown, among them (DESIGN.md, "Build and test
//! environment", says the same). So Quire copies every zip entry it does not need to change raw (the same
//! compressed bytes), and in the worksheet parts it touches it streams the XML and rewrites
//! only the target `<c>` elements (`sheet_xml`).
//!
//! What is written: an answer goes into the question's answer cell, or, in answers-by-columns
//! layouts (CAIQ v3), as a mark ("x", or the mark the sheet already uses) into the chosen
//! column with the other choice cells cleared. A dropdown cell gets the allowed value that
//! means the same, in the workbook's spelling (`validation`); when none fits, the cell is left
//! empty and the question is reported in `FillReport::skipped`. Text is written as an inline
//! string: never a formula, whatever it starts with. Formulas replaced by answers leave
//! calcChain.xml, and the workbook is told to recalculate on open (`calc_chain`). The file is
//! written beside its destination and renamed into place; the input is never touched.
//!
//! Only xlsx/xlsm (and templates), Word .docx/.docm (`docx`) and PDF forms (`pdf`, by an
//! incremental update) can be filled in place; a flat PDF gets a response document beside it
//! (`response`); for xls, ods, csv and VSAQ the caller
//! writes a clean export instead (`can_fill_in_place`).

mod address;
mod calc_chain;
mod docx;
mod package;
pub mod pdf;
mod response;
mod sheet_xml;
mod validation;

use crate::answer::classify;
use crate::display::shorten;
use crate::error::{Error, Result};
use crate::review::{Review, ReviewedQuestion};
use crate::sheet::grid::Format;
use crate::sheet::Questionnaire;
use address::Cell;
use package::{Package, CONTENT_TYPES, WORKBOOK, WORKBOOK_RELS};
use serde::Serialize;
use sheet_xml::{Edit, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use validation::{Allowed, ListValidation, Sources};

/// Excel's limit on the characters in one cell.
const MAX_CELL_CHARS: usize = 32_767;

#[derive(Debug, Clone, Default)]
pub struct FillOptions {
    /// Replace answers and comments the workbook already has, and answer cells it calculates
    /// by formula. Off by default: nothing a respondent (or the workbook) put there is lost.
    pub overwrite_answered: bool,
}

/// What filling did.
#[derive(Debug, Clone, Serialize)]
pub struct FillReport {
    /// The file written (its extension follows the workbook's type; see `format_note`).
    pub output: PathBuf,
    /// Questions whose answer was written.
    pub written: usize,
    pub comments_written: usize,
    /// Answers and comments not written, with the reason.
    pub skipped: Vec<FillSkip>,
    /// Other things the user should know (dropdowns that could not be checked, formulas
    /// replaced, recalculation on open).
    pub notes: Vec<String>,
    /// Set when the output name was changed to match the workbook's type (a macro workbook
    /// must be named .xlsm for Excel to open it).
    pub format_note: Option<String>,
    /// Other files written with the output (a flat PDF's response workbook beside its .docx).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_written: Vec<PathBuf>,
}

/// An answer or comment not written.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FillSkip {
    pub sheet: String,
    /// 1-based spreadsheet row.
    pub row: usize,
    #[serde(rename = "ref")]
    pub reference: String,
    pub field: Field,
    pub cell: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Answer,
    Comment,
}

/// Whether a workbook of this format can be filled in place (else: write a clean export).
pub fn can_fill_in_place(format: Format) -> bool {
    matches!(format, Format::Xlsx | Format::Xlsm | Format::Docx | Format::Docm | Format::Pdf)
}

/// Writes the review's answers and comments into a copy of the questionnaire's workbook at
/// `out`. Questions whose `answer` (`comment`) is `None` or blank leave their cells alone.
pub fn fill_workbook(q: &Questionnaire, review: &Review, out: &Path, opts: &FillOptions) -> Result<FillReport> {
    let input = q.path.as_path();
    let bytes = std::fs::read(input).map_err(|e| Error::io(input, e))?;
    fill_workbook_from(q, bytes, review, out, opts)
}

/// `fill_workbook` with the questionnaire's bytes already read (the library decrypts its copy).
pub fn fill_workbook_from(q: &Questionnaire, bytes: Vec<u8>, review: &Review, out: &Path, opts: &FillOptions) -> Result<FillReport> {
    let input = q.path.as_path();
    if !can_fill_in_place(q.format) {
        return Err(Error::invalid("fill.file_cannot_filled_place", format!(
            "{}: a .{} file cannot be filled in place (only .xlsx and .xlsm workbooks, .docx and .docm documents and PDF questionnaires can); write a clean .xlsx export of the answers instead",
            input.display(),
            q.format.as_str()
        )));
    }
    if !q.sha256.is_empty() && crate::sheet::read::sha256_hex(&bytes) != q.sha256 {
        return Err(Error::invalid("fill.file_changed_since_questions", format!(
            "{}: the file changed since its questions were read; read it again, then fill",
            input.display()
        )));
    }
    if out.is_dir() {
        return Err(Error::invalid("fill.folder_give_output_file", format!("{} is a folder; give the output a file name, such as {}", out.display(), out.join("filled.xlsx").display())));
    }
    if matches!(q.format, Format::Docx | Format::Docm) {
        return docx::fill_document(q, &bytes, review, out, opts);
    }
    if q.format == Format::Pdf {
        return pdf::fill_pdf(q, &bytes, review, out, opts);
    }
    let mut pkg = Package::open(input, &bytes)?;
    let (output, format_note) = output_name(out, pkg.workbook_content_type().as_deref());
    check_output(input, &output)?;

    let mut report = FillReport { output: output.clone(), written: 0, comments_written: 0, skipped: Vec::new(), notes: Vec::new(), format_note, also_written: Vec::new() };
    let mut sources = Sources::new(&bytes, pkg.sheets.iter().map(|s| s.name.clone()).collect(), pkg.names.clone());
    let mut replaced: BTreeMap<String, String> = BTreeMap::new();
    let mut formulas_gone: BTreeSet<(String, Cell)> = BTreeSet::new();

    // Questions with something to write, by sheet in workbook order.
    let mut by_sheet: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, rq) in review.questions.iter().enumerate() {
        if blank(&rq.answer) && blank(&rq.comment) {
            continue;
        }
        let sheet = &rq.question.sheet;
        let Some(pos) = pkg.sheets.iter().position(|s| s.name == *sheet) else {
            return Err(Error::invalid("fill.sheet_row_workbook_answers", format!(
                "{}: sheet \"{sheet}\" (row {}) is not in the workbook; the answers were made for another version of it: read the questionnaire again",
                input.display(),
                rq.question.row
            )));
        };
        by_sheet.entry(pos).or_default().push(i);
    }
    for (pos, items) in &by_sheet {
        let entry = pkg.sheets[*pos].clone();
        let job = SheetJob { questionnaire: q, review, items, opts };
        if let Some((part, xml, formulas)) = fill_sheet(&mut pkg, &entry, job, &mut sources, &mut report)? {
            replaced.insert(part, xml);
            formulas_gone.extend(formulas.into_iter().map(|c| (entry.id.clone(), c)));
        }
    }
    let dropped = update_calculation(&mut pkg, &formulas_gone, &mut replaced, &mut report)?;
    crate::atomic::write_atomically(&output, |tmp| pkg.write(tmp, &replaced, &dropped))?;
    Ok(report)
}

/// The questions of one sheet to write.
#[derive(Clone, Copy)]
struct SheetJob<'a> {
    questionnaire: &'a Questionnaire,
    review: &'a Review,
    /// Indexes into `review.questions`.
    items: &'a [usize],
    opts: &'a FillOptions,
}

/// Plans and rewrites one sheet. Returns its part, new XML and the cells whose formula went,
/// or `None` when nothing in it changed.
fn fill_sheet(pkg: &mut Package<'_>, entry: &package::SheetEntry, job: SheetJob<'_>, sources: &mut Sources<'_>, report: &mut FillReport) -> Result<Option<(String, String, Vec<Cell>)>> {
    let input = &job.questionnaire.path;
    let part = entry.part.clone().filter(|p| pkg.has(p)).ok_or_else(|| {
        let part = entry.part.as_deref().unwrap_or("(none)");
        Error::corrupt(input, format!("sheet \"{}\" points to part {part}, which is missing from the file; open and re-save the workbook in Excel", entry.name))
    })?;
    let in_sheet = |d: String| Error::corrupt(input, format!("sheet \"{}\" ({part}): {d}", entry.name));
    let sheet_xml = pkg.read_part(&part)?;
    let validations = validation::list_validations(&sheet_xml).map_err(in_sheet)?;
    let choice_cells: Vec<Cell> = job
        .questionnaire
        .questions()
        .filter(|x| x.sheet == entry.name)
        .flat_map(|x| x.choice_cells.iter().filter_map(|(_, c)| Cell::parse(c)))
        .collect();
    let mut plan = SheetPlan {
        sheet: &entry.name,
        validations: &validations,
        sources,
        opts: job.opts,
        edits: BTreeMap::new(),
        claims: Vec::new(),
        choice_cells: &choice_cells,
        marker: None,
        report,
    };
    for &i in job.items {
        plan.question(i, &job.review.questions[i]);
    }
    let (edits, claims) = (plan.edits, plan.claims);
    let rewritten = sheet_xml::rewrite(&sheet_xml, &edits).map_err(in_sheet)?;
    let refused: HashMap<Cell, &String> = rewritten.refused.iter().map(|(c, r)| (*c, r)).collect();
    for claim in claims {
        let q = &job.review.questions[claim.question].question;
        if let Some(reason) = refused.get(&claim.cells[0]) {
            report.skipped.push(skip(q, claim.field, Some(claim.cells[0].name()), (*reason).clone()));
            continue;
        }
        match claim.field {
            Field::Answer => report.written += 1,
            Field::Comment => report.comments_written += 1,
        }
        for cell in claim.cells[1..].iter().filter(|c| refused.contains_key(c)) {
            report.notes.push(format!("sheet \"{}\" row {}: the other answer column {} was not cleared: {}", q.sheet, q.row, cell.name(), refused[cell]));
        }
    }
    let order: HashMap<&str, usize> = job.questionnaire.sheets.iter().enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
    report.skipped.sort_by_key(|s| (order.get(s.sheet.as_str()).copied().unwrap_or(usize::MAX), s.row));
    if !rewritten.formulas_removed.is_empty() {
        let cells: Vec<String> = rewritten.formulas_removed.iter().map(|c| c.name()).collect();
        report.notes.push(format!("sheet \"{}\": formulas in {} were replaced by answers", entry.name, cells.join(", ")));
    }
    Ok(rewritten.changed.then_some((part, rewritten.xml, rewritten.formulas_removed)))
}

/// Keeps calcChain.xml true to the formulas left (see `calc_chain`) and asks for recalculation
/// on open. Returns the parts to leave out of the package.
fn update_calculation(pkg: &mut Package<'_>, formulas_gone: &BTreeSet<(String, Cell)>, replaced: &mut BTreeMap<String, String>, report: &mut FillReport) -> Result<BTreeSet<String>> {
    let mut dropped = BTreeSet::new();
    let Some(chain) = pkg.calc_chain.clone() else { return Ok(dropped) };
    let path = pkg.path;
    if !formulas_gone.is_empty() {
        let xml = pkg.read_part(&chain)?;
        let (xml, kept) = calc_chain::remove_entries(&xml, formulas_gone).map_err(|d| Error::corrupt(path, format!("{chain}: {d}")))?;
        if kept > 0 {
            replaced.insert(chain, xml);
        } else {
            // A calcChain without entries is invalid: the part goes with its references.
            let rels = calc_chain::remove_elements(&pkg.rels_xml, "Relationship", |e| crate::ooxml::xml::attr(e, "Type").is_some_and(|t| t.ends_with("/calcChain")))
                .map_err(|d| Error::corrupt(path, format!("{WORKBOOK_RELS}: {d}")))?;
            let types = pkg.read_part(CONTENT_TYPES)?;
            let wanted = format!("/{chain}");
            let types = calc_chain::remove_elements(&types, "Override", |e| crate::ooxml::xml::attr(e, "PartName").is_some_and(|p| p == wanted))
                .map_err(|d| Error::corrupt(path, format!("{CONTENT_TYPES}: {d}")))?;
            replaced.insert(WORKBOOK_RELS.to_string(), rels);
            replaced.insert(CONTENT_TYPES.to_string(), types);
            dropped.insert(chain);
        }
    }
    if !replaced.is_empty() {
        if let Some(wb) = calc_chain::recalc_on_open(&pkg.workbook_xml) {
            replaced.insert(WORKBOOK.to_string(), wb);
            report.notes.push("the workbook's formulas will be recalculated when it is opened, so results that depend on the answers are up to date".into());
        }
    }
    Ok(dropped)
}

fn blank(v: &Option<String>) -> bool {
    v.as_deref().filter(|s| !s.trim().is_empty()).is_none()
}

fn skip(q: &crate::sheet::model::Question, field: Field, cell: Option<String>, reason: String) -> FillSkip {
    FillSkip { sheet: q.sheet.clone(), row: q.row, reference: q.reference.clone(), field, cell, reason }
}

/// One question's answer or comment as planned: the cells it sets (the value's cell first).
struct Claim {
    question: usize,
    field: Field,
    cells: Vec<Cell>,
}

/// The cells to set on one sheet, built question by question.
struct SheetPlan<'p, 's> {
    sheet: &'p str,
    validations: &'p [ListValidation],
    sources: &'p mut Sources<'s>,
    opts: &'p FillOptions,
    edits: BTreeMap<Cell, Edit>,
    claims: Vec<Claim>,
    /// The choice cells of every question of the sheet (answers-by-columns layouts), and the
    /// mark they use, once looked for.
    choice_cells: &'p [Cell],
    marker: Option<String>,
    report: &'p mut FillReport,
}

impl SheetPlan<'_, '_> {
    fn question(&mut self, i: usize, rq: &ReviewedQuestion) {
        let q = &rq.question;
        let overwrite = self.opts.overwrite_answered;
        if let Some(answer) = rq.answer.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            let first_cell = q.answer_cell.clone().or_else(|| q.choice_cells.first().map(|(_, c)| c.clone()));
            if !overwrite && q.is_answered() {
                let reason = format!("already answered in the workbook (\"{}\"); kept (fill with overwrite to replace it)", q.answer);
                self.report.skipped.push(skip(q, Field::Answer, first_cell, reason));
            } else if !q.choice_cells.is_empty() {
                self.choice(i, rq, answer);
            } else if let Some(cell) = &q.answer_cell {
                self.text(i, rq, Field::Answer, cell, answer);
            } else {
                let reason = format!("sheet \"{}\" has no answer column Quire could find; nothing written", q.sheet);
                self.report.skipped.push(skip(q, Field::Answer, None, reason));
            }
        }
        if let Some(comment) = rq.comment.as_deref().filter(|c| !c.trim().is_empty()) {
            match &q.comment_cell {
                Some(cell) if !overwrite && !q.comment.trim().is_empty() => {
                    let reason = format!("the workbook already has a comment here (\"{}\"); kept (fill with overwrite to replace it)", shorten(&q.comment, 60));
                    self.report.skipped.push(skip(q, Field::Comment, Some(cell.clone()), reason));
                }
                Some(cell) => self.text(i, rq, Field::Comment, cell, comment),
                None => {
                    let reason = format!("sheet \"{}\" has no comment column Quire could find; comment not written", q.sheet);
                    self.report.skipped.push(skip(q, Field::Comment, None, reason));
                }
            }
        }
    }

    /// An answer or comment written as text, mapped to the cell's dropdown if it has one.
    fn text(&mut self, i: usize, rq: &ReviewedQuestion, field: Field, address: &str, value: &str) {
        let q = &rq.question;
        let Some(cell) = Cell::parse(address) else {
            self.report.skipped.push(skip(q, field, Some(address.to_string()), format!("\"{address}\" is not a cell address")));
            return;
        };
        let value = match self.allowed(cell) {
            None => value.to_string(),
            Some(allowed) => {
                // Comments are free text: only an exact dropdown value fits.
                let fit = match field {
                    Field::Answer => validation::choose(value, &allowed),
                    Field::Comment => allowed.iter().find(|a| a.eq_ignore_ascii_case(value.trim())).cloned(),
                };
                match fit {
                    Some(v) => v,
                    None => {
                        let reason = format!("no dropdown value fits \"{}\" (allowed: {})", shorten(value, 60), allowed.join(", "));
                        self.report.skipped.push(skip(q, field, Some(cell.name()), reason));
                        return;
                    }
                }
            }
        };
        if value.chars().count() > MAX_CELL_CHARS {
            let reason = format!("longer than the {MAX_CELL_CHARS} characters Excel allows in a cell; shorten it");
            self.report.skipped.push(skip(q, field, Some(cell.name()), reason));
            return;
        }
        self.claim(i, q, field, vec![(cell, Value::Text(value))]);
    }

    /// Answers-by-columns: a mark in the chosen column, the other choice cells cleared.
    fn choice(&mut self, i: usize, rq: &ReviewedQuestion, answer: &str) {
        let q = &rq.question;
        let kind = classify(answer);
        let Some((_, chosen)) = q.choice_cells.iter().find(|(k, _)| Some(*k) == kind) else {
            let columns: Vec<&str> = q.choice_cells.iter().map(|(k, _)| k.as_str()).collect();
            let reason = format!("\"{}\" is none of the answer columns ({})", shorten(answer, 60), columns.join(", "));
            self.report.skipped.push(skip(q, Field::Answer, q.choice_cells.first().map(|(_, c)| c.clone()), reason));
            return;
        };
        let cells: Option<Vec<Cell>> = q.choice_cells.iter().map(|(_, c)| Cell::parse(c)).collect();
        let (Some(cells), Some(target)) = (cells, Cell::parse(chosen)) else {
            self.report.skipped.push(skip(q, Field::Answer, Some(chosen.clone()), format!("\"{chosen}\" is not a cell address")));
            return;
        };
        let mark = self.marker();
        let mark = match self.allowed(target) {
            None => mark,
            Some(allowed) => match validation::choose(&mark, &allowed) {
                Some(m) => m,
                None => {
                    let reason = format!("no dropdown value of the answer column fits the mark \"{mark}\" (allowed: {})", allowed.join(", "));
                    self.report.skipped.push(skip(q, Field::Answer, Some(target.name()), reason));
                    return;
                }
            },
        };
        let mut sets = vec![(target, Value::Text(mark))];
        sets.extend(cells.into_iter().filter(|c| *c != target).map(|c| (c, Value::Empty)));
        self.claim(i, q, Field::Answer, sets);
    }

    /// Records the cells of one answer or comment, unless another question of the same cells
    /// (packed sub-questions share a row) already set them differently.
    fn claim(&mut self, i: usize, q: &crate::sheet::model::Question, field: Field, sets: Vec<(Cell, Value)>) {
        if let Some((cell, _)) = sets.iter().find(|(c, v)| self.edits.get(c).is_some_and(|e| e.value != *v)) {
            let reason = format!("cell {} is shared with another question of row {} whose {} differs; the first one was written", cell.name(), q.row, if field == Field::Answer { "answer" } else { "comment" });
            self.report.skipped.push(skip(q, field, Some(cell.name()), reason));
            return;
        }
        let replace_formula = self.opts.overwrite_answered;
        let cells = sets.iter().map(|(c, _)| *c).collect();
        for (cell, value) in sets {
            self.edits.insert(cell, Edit { value, replace_formula });
        }
        self.claims.push(Claim { question: i, field, cells });
    }

    /// The values a dropdown on `cell` allows; `None` when there is no dropdown, or its list
    /// cannot be worked out (then the value is written as given, with a note).
    fn allowed(&mut self, cell: Cell) -> Option<Vec<String>> {
        let v = self.validations.iter().find(|v| v.covers(cell))?;
        match self.sources.allowed(&v.source, self.sheet) {
            Allowed::Values(values) if !values.is_empty() => Some(values),
            _ => {
                let note = format!("sheet \"{}\": the dropdown list {} could not be read; values were written as given", self.sheet, v.source);
                if !self.report.notes.contains(&note) {
                    self.report.notes.push(note);
                }
                None
            }
        }
    }

    /// The mark answers-by-columns rows use: the commonest short text already in the sheet's
    /// choice cells, "x" when none is marked yet.
    fn marker(&mut self) -> String {
        if let Some(m) = &self.marker {
            return m.clone();
        }
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for &cell in self.choice_cells {
            let t = self.sources.cell_text(self.sheet, cell);
            if !t.is_empty() && t.chars().count() <= 3 {
                *counts.entry(t).or_default() += 1;
            }
        }
        let mark = counts.into_iter().max_by_key(|(_, n)| *n).map(|(m, _)| m).unwrap_or_else(|| "x".to_string());
        self.marker = Some(mark.clone());
        mark
    }
}


/// The output path with the extension Excel requires for this kind of package, and a note when
/// it had to change.
fn output_name(out: &Path, content_type: Option<&str>) -> (PathBuf, Option<String>) {
    let ct = content_type.unwrap_or("");
    let (want, what) = if ct.contains("template.macroEnabled") {
        ("xltm", "a macro-enabled template")
    } else if ct.contains("macroEnabled") {
        ("xlsm", "a workbook with macros")
    } else if ct.contains("spreadsheetml.template") {
        ("xltx", "a template")
    } else {
        ("xlsx", "a plain workbook")
    };
    with_required_extension(out, want, what, "Excel")
}

/// `out` with the extension `want` that `program` (Excel, Word) requires for this kind of
/// package (`what`: "a workbook with macros"), and a note saying so when it had to change.
pub(crate) fn with_required_extension(out: &Path, want: &str, what: &str, program: &str) -> (PathBuf, Option<String>) {
    let ext = out.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if ext == want {
        return (out.to_path_buf(), None);
    }
    let fixed = out.with_extension(want);
    let note = format!("the questionnaire is {what}, so the filled copy was written as {} ({program} refuses to open it under another extension)", fixed.display());
    (fixed, Some(note))
}

/// Refuses an output that is the input itself (by any path) or a folder.
fn check_output(input: &Path, output: &Path) -> Result<()> {
    if output.is_dir() {
        return Err(Error::invalid("fill.folder_choose_another_output", format!("{} is a folder; choose another output file name", output.display())));
    }
    let canonical = |p: &Path| -> Option<PathBuf> {
        p.canonicalize().ok().or_else(|| {
            let parent = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
            Some(parent.canonicalize().ok()?.join(p.file_name()?))
        })
    };
    let same = match (canonical(input), canonical(output)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    } || same_inode(input, output);
    if same {
        let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "questionnaire".into());
        return Err(Error::invalid("fill.filled_workbook_cannot_written", format!(
            "{}: the filled workbook cannot be written over the questionnaire itself; choose another output file, such as {stem}.filled.xlsx",
            input.display()
        )));
    }
    Ok(())
}

#[cfg(unix)]
fn same_inode(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_inode(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_extension_follows_the_package() {
        let (p, note) = output_name(Path::new("out.xlsx"), Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"));
        assert_eq!((p, note), (PathBuf::from("out.xlsx"), None));
        let (p, note) = output_name(Path::new("out.xlsx"), Some("application/vnd.ms-excel.sheet.macroEnabled.main+xml"));
        assert_eq!(p, PathBuf::from("out.xlsm"));
        assert!(note.unwrap().contains("macros"));
        assert_eq!(output_name(Path::new("OUT.XLSX"), None).0, PathBuf::from("OUT.XLSX"));
    }

    #[test]
    fn formats_filled_in_place() {
        assert!(can_fill_in_place(Format::Xlsx) && can_fill_in_place(Format::Xlsm) && can_fill_in_place(Format::Docx) && can_fill_in_place(Format::Docm));
        assert!(!can_fill_in_place(Format::Xls) && !can_fill_in_place(Format::Ods) && !can_fill_in_place(Format::Csv) && !can_fill_in_place(Format::Vsaq));
    }
}
