//! Word questionnaires (.docx, .docm): the body of `word/document.xml` (`model`) read into the
//! same questions the workbook readers produce.
//!
//! * Tables: each body-level table becomes a grid ("Table 1", "Table 2", … in document order;
//!   a cell merged across columns sits in its first grid column) and goes through the sheet
//!   detector (`detect`), so header vocabulary, ID shapes and content heuristics are the ones
//!   workbooks get. A table without a header that continues the previous one (same width:
//!   a table split across pages) is read with the previous table's columns. The heading
//!   before a table is its questions' section.
//! * Numbered questions: body paragraphs that are numbered, bold or start with an ID, and read
//!   as questions, each with the answer place after it (an empty paragraph, a placeholder such
//!   as "[Response]" or "Click or tap here to enter text.", a "Response:" label, a content
//!   control or check boxes), as the sheet "Paragraphs".
//! * Check boxes (content controls, legacy form fields, ☐/☒ text) read as the label of the
//!   ticked box ("Yes", "No", "N/A").
//!
//! Where a question's answer goes, in the model's sheet / row / cell terms: for a table,
//! `sheet` = "Table N", `row` = the 1-based table row, `answer_cell` / `comment_cell` = the grid
//! column and row ("C4"); for a numbered question, `sheet` = "Paragraphs", `row` = the 1-based
//! number of the question's paragraph among the body's paragraphs, `answer_cell` = "P" and the
//! answer paragraph's number ("P13"). `fill::docx` finds the place again from these.

pub mod model;

use super::detect::{detect_sheet, is_identifier, is_question_like, Plan, LOW_CONFIDENCE};
use super::model::{Question, SheetLayout};
use super::grid::{Format, Grid};
use super::profile::{PinnedColumns, Profiles};
use super::{overrides, preview, recognise, Questionnaire};
use crate::answer::classify;
use crate::error::{Error, Result};
use model::{Body, Para, Table, VMerge};
use std::io::{Cursor, Read};
use std::path::Path;

/// The main document part.
pub const DOCUMENT: &str = "word/document.xml";
/// The sheet name of numbered-paragraph questions.
pub const PARAGRAPHS: &str = "Paragraphs";
/// A document part that inflates beyond this is not read (a zip bomb, or not a questionnaire).
pub const MAX_DOCUMENT_XML_BYTES: u64 = 256 * 1024 * 1024;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Whether the bytes are a zip holding a Word main document.
pub fn is_word_package(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC) && zip::ZipArchive::new(Cursor::new(bytes)).is_ok_and(|z| z.index_for_name(DOCUMENT).is_some())
}

/// How people are told where a question sits: "sheet \"Security\" row 40" in a workbook,
/// "table 2 row 5" or "paragraph 14" in a Word document, "page 3 line 12" or "form field 7"
/// in a PDF.
pub fn describe_place(file: &str, sheet: &str, row: impl std::fmt::Display) -> String {
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".pdf") {
        if sheet == crate::sheet::pdf::FORM {
            return format!("form field {row}");
        }
        if let Some(page) = crate::sheet::pdf::flat::page_number(sheet) {
            return format!("page {page} line {row}");
        }
    }
    if lower.ends_with(".docx") || lower.ends_with(".docm") {
        if sheet == PARAGRAPHS {
            return format!("paragraph {row}");
        }
        if let Some(t) = table_index(sheet) {
            return format!("table {} row {row}", t + 1);
        }
    }
    format!("sheet \"{sheet}\" row {row}")
}

/// The sheet name of the `i`-th (0-based) body table.
pub fn table_name(i: usize) -> String {
    format!("Table {}", i + 1)
}

/// The 0-based table index of a "Table N" sheet name.
pub fn table_index(sheet: &str) -> Option<usize> {
    sheet.strip_prefix("Table ")?.parse::<usize>().ok()?.checked_sub(1)
}

/// The 0-based paragraph index of a "P13" answer place.
pub fn paragraph_index(cell: &str) -> Option<usize> {
    cell.strip_prefix('P')?.parse::<usize>().ok()?.checked_sub(1)
}

/// An opened Word package: its kind and the main document as text and as a body.
pub struct WordDocument {
    pub format: Format,
    /// The content type of the main part (says whether macros are enabled).
    pub content_type: String,
    /// The part's text after any byte order mark (spans index into it) and the mark itself.
    pub bom: &'static str,
    pub xml: String,
    pub body: Body,
}

/// Opens the package and parses its main document.
pub fn open(path: &Path, bytes: &[u8]) -> Result<WordDocument> {
    let mut zip = crate::ooxml::open(path, bytes)?;
    let names: Vec<String> = zip.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
    let mut content_type = String::new();
    if let Ok(mut f) = zip.by_name("[Content_Types].xml") {
        let mut s = String::new();
        if (&mut f).take(4 << 20).read_to_string(&mut s).is_ok() {
            content_type = main_content_type(&s);
        }
    }
    let macros = content_type.contains("macroEnabled") || names.iter().any(|n| n.eq_ignore_ascii_case("word/vbaProject.bin"));
    let format = if macros { Format::Docm } else { Format::Docx };
    let raw = crate::ooxml::read_part(&mut zip, path, DOCUMENT, MAX_DOCUMENT_XML_BYTES)?;
    let (bom, xml) = match raw.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest.to_string()),
        None => ("", raw),
    };
    let body = model::parse(&xml).map_err(|d| Error::corrupt(path, format!("{DOCUMENT}: {d}")))?;
    Ok(WordDocument { format, content_type, bom, xml, body })
}

fn main_content_type(types: &str) -> String {
    crate::ooxml::xml::xml_elements(types, "Override", &["PartName", "ContentType"]).into_iter().find(|o| o[0] == format!("/{DOCUMENT}")).map(|o| o[1].clone()).unwrap_or_default()
}

/// Placeholder texts Word templates and customers put where an answer goes.
pub fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() {
        return false;
    }
    let n = t.chars().count();
    if n <= 60 && ((t.starts_with('[') && t.ends_with(']')) || (t.starts_with('<') && t.ends_with('>')) || (t.starts_with('{') && t.ends_with('}'))) {
        return true;
    }
    if t.chars().all(|c| matches!(c, '_' | '.' | '…' | ' ' | '-')) && n >= 3 {
        return true;
    }
    let lower = t.to_lowercase();
    let lower = lower.trim_end_matches('.');
    matches!(
        lower,
        "click or tap here to enter text" | "click here to enter text" | "click or tap to enter a date" | "click here to enter a date" | "enter text" | "enter response" | "enter response here" | "enter your response here" | "type here" | "type your answer here" | "insert response" | "insert answer here"
    )
}

/// Labels an answer paragraph may start with ("Response: …").
const ANSWER_LABELS: &[&str] = &["response", "answer", "vendor response", "vendor answer", "reply", "your response", "your answer", "supplier response"];
const COMMENT_LABELS: &[&str] = &["comment", "comments", "explanation", "additional information", "notes", "details", "evidence"];

/// Splits a leading "Response:" style label off: (label found, rest).
pub fn strip_label<'a>(text: &'a str, labels: &[&str]) -> (bool, &'a str) {
    let t = text.trim_start();
    if let Some(i) = t.find(':') {
        let head = t[..i].trim().to_lowercase();
        if labels.contains(&head.as_str()) {
            return (true, t[i + 1..].trim());
        }
    }
    (false, text.trim())
}

/// What a paragraph holds as an answer: the labels of its ticked boxes; else its text with
/// placeholders (and, for `labels`, a leading label) left out.
pub fn answer_text(p: &Para, labels: &[&str]) -> String {
    if !p.checks.is_empty() {
        let ticked: Vec<&str> = p.checks.iter().filter(|c| c.checked).map(|c| c.label.as_str()).collect();
        return ticked.join(", ");
    }
    let mut text = p.text.clone();
    for c in p.controls.iter().filter(|c| c.showing_placeholder()) {
        if !c.text.is_empty() {
            text = text.replacen(&c.text, "", 1);
        }
    }
    let (_, rest) = strip_label(&text, labels);
    if is_placeholder(rest) {
        String::new()
    } else {
        rest.to_string()
    }
}

/// A cell's text as the grid holds it: its paragraphs' answer texts, one per line.
fn cell_text(paras: &[Para]) -> String {
    let lines: Vec<String> = paras.iter().map(|p| answer_text(p, &[])).filter(|t| !t.trim().is_empty()).collect();
    lines.join("\n")
}

/// A table as a grid: one row per table row, one column per grid column.
pub fn table_grid(name: String, t: &Table) -> Grid {
    let mut g = Grid::new(name);
    for (r, row) in t.rows.iter().enumerate() {
        for c in &row.cells {
            // The continuation of a vertical merge shows nothing of its own.
            let text = if c.vmerge == Some(VMerge::Continue) { String::new() } else { cell_text(&c.paras) };
            g.set(r, c.grid_col, text);
        }
        if g.rows.len() <= r {
            g.rows.resize_with(r + 1, Vec::new);
        }
    }
    g
}

/// Reads a Word questionnaire (the bytes of `path`).
pub(crate) fn read_document(path: &Path, bytes: &[u8], sha256: String, profiles: &Profiles, overrides: &[overrides::SheetOverride]) -> Result<Questionnaire> {
    let doc = open(path, bytes)?;
    let body = &doc.body;
    let mut grids: Vec<Grid> = body.tables.iter().enumerate().map(|(i, t)| table_grid(table_name(i), t)).collect();
    let mut para_grid = Grid::new(PARAGRAPHS);
    for (i, p) in body.paragraphs.iter().enumerate() {
        para_grid.set(i, 0, p.text.clone());
    }
    grids.push(para_grid);
    overrides::check_names(overrides, &grids)?;

    let mut sheets: Vec<SheetLayout> = Vec::new();
    for (i, t) in body.tables.iter().enumerate() {
        let grid = &grids[i];
        let corrected = overrides.iter().find(|o| o.sheet == grid.name);
        let mut layout = match corrected {
            Some(o) => o.apply(grid, profiles, || detect_sheet(grid, profiles, Plan::DetectAnyway))?,
            None => detect_sheet(grid, profiles, Plan::Detect),
        };
        // Without a header row of its own, a table right after a questionnaire table of the
        // same shape is that table continued (split across pages): its columns are known.
        if corrected.is_none() && (!layout.used || layout.header_row.is_none()) {
            if let Some(cont) = continuation(sheets.last(), t, grid, profiles) {
                layout = cont;
            }
        }
        if let Some(h) = heading_before(body, t.after_para) {
            for q in layout.questions.iter_mut().filter(|q| q.domain.is_empty()) {
                q.domain = h.clone();
            }
            if layout.used {
                layout.notes.push(format!("under the heading \"{h}\""));
            }
        }
        sheets.push(layout);
    }
    let mut para_layout = paragraph_questions(body);
    // A person can skip the numbered questions; their columns cannot be pinned (there are none).
    if overrides.iter().any(|o| o.sheet == PARAGRAPHS && !o.include) {
        para_layout = SheetLayout { used: false, reason: Some("skipped by you".into()), questions: Vec::new(), ..para_layout };
    }
    sheets.push(para_layout);

    let previews = grids.iter().zip(&sheets).filter(|(_, l)| l.used && l.confidence < LOW_CONFIDENCE).map(|(g, l)| (l.name.clone(), preview(g))).collect();
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let recognition = recognise(&file, doc.format, &grids, &sheets);
    Ok(Questionnaire { path: path.to_path_buf(), file, format: doc.format, sha256, profile: None, recognition, sheets, previews })
}

/// A table that continues the previous one (split across pages, no header of its own): read
/// with the previous table's columns.
fn continuation(prev: Option<&SheetLayout>, t: &Table, grid: &Grid, profiles: &Profiles) -> Option<SheetLayout> {
    let prev = prev.filter(|p| p.used)?;
    let cols = prev.columns.as_ref()?;
    if !cols.choices.is_empty() || t.width() == 0 {
        return None;
    }
    let width_prev = [Some(cols.question), cols.answer, cols.comment, cols.reference].into_iter().flatten().max()? + 1;
    if t.width() < width_prev {
        return None;
    }
    let pins = PinnedColumns { header_row: None, data_row: Some(1), reference: cols.reference, question: cols.question, answer: cols.answer, comment: cols.comment, domain: cols.domain, choices: Vec::new() };
    let mut l = detect_sheet(grid, profiles, Plan::Pinned { profile: "continued", pins });
    if !l.used {
        return None;
    }
    l.confidence = prev.confidence.min(0.9);
    l.notes.retain(|n| !n.starts_with("columns pinned"));
    l.notes.push(format!("no header of its own: read with the columns of {} (a table continued across pages)", prev.name));
    Some(l)
}

/// The heading (or short bold line) just before a table, within three paragraphs.
fn heading_before(body: &Body, after_para: Option<usize>) -> Option<String> {
    let last = after_para?;
    for i in (last.saturating_sub(2)..=last).rev() {
        let p = &body.paragraphs[i];
        let t = p.text.trim();
        if t.is_empty() {
            continue;
        }
        if (p.is_heading() || p.all_bold()) && t.chars().count() <= 120 {
            return Some(t.to_string());
        }
        return None;
    }
    None
}

/// Whether a paragraph starts a question: numbered, bold or led by an ID, and worded as one.
/// Returns the reference found in its text (an ID or "12." prefix) and the question text.
fn question_of(p: &Para) -> Option<(String, String)> {
    let text = p.text.trim();
    if text.is_empty() || p.is_heading() || is_placeholder(text) || strip_label(text, ANSWER_LABELS).0 {
        return None;
    }
    let (reference, rest) = leading_ref(text);
    let numbered = p.numbering.is_some() || p.style.to_ascii_lowercase().starts_with("list");
    let marked = numbered || p.all_bold() || !reference.is_empty();
    if !marked || !is_question_like(rest) {
        return None;
    }
    // A question with inline check boxes reads up to the first box; a control's text is not
    // part of the question.
    let rest = if let Some(first) = p.checks.first() {
        let head: String = p.text.chars().take(first.at).collect();
        leading_ref(head.trim()).1.trim().to_string()
    } else {
        let mut t = rest.to_string();
        for c in p.controls.iter().filter(|c| !c.text.is_empty()) {
            t = t.replacen(&c.text, "", 1);
        }
        t.trim().to_string()
    };
    if rest.is_empty() {
        return None;
    }
    Some((reference, rest))
}

/// A leading "1.", "12)", "Q3", "A.1.2" or "GOV-01" and the text after it.
fn leading_ref(text: &str) -> (String, &str) {
    let Some((head, rest)) = text.split_once(char::is_whitespace) else { return (String::new(), text) };
    let token = head.trim_end_matches([')', '.', ':']);
    let numbered = !token.is_empty() && token.len() <= 6 && token.trim_start_matches(['Q', 'q']).chars().all(|c| c.is_ascii_digit()) && token.chars().any(|c| c.is_ascii_digit());
    if (numbered || is_identifier(token)) && !rest.trim().is_empty() {
        (token.to_string(), rest.trim())
    } else {
        (String::new(), text)
    }
}

/// A paragraph that is a section title between questions.
fn section_of(p: &Para) -> Option<String> {
    let t = p.text.trim();
    if t.is_empty() || t.chars().count() > 100 || is_question_like(t) {
        return None;
    }
    (p.is_heading() || (p.all_bold() && !t.ends_with('.'))).then(|| t.to_string())
}

/// Whether a paragraph can take the answer to the question before it, and how strongly:
/// 2 = it is marked for an answer (boxes, a control, a placeholder, a label); 1 = it is empty
/// or holds text (an answer, when it is the first paragraph after the question); 0 = it is not
/// an answer place (a section title).
fn place_strength(p: &Para) -> u8 {
    if !p.checks.is_empty() || !p.controls.is_empty() {
        return 2;
    }
    let t = p.text.trim();
    if t.is_empty() {
        return 1;
    }
    if is_placeholder(t) || strip_label(t, ANSWER_LABELS).0 {
        return 2;
    }
    if section_of(p).is_some() {
        return 0;
    }
    1
}

/// The numbered-paragraph questions of the body (the sheet "Paragraphs").
fn paragraph_questions(body: &Body) -> SheetLayout {
    let paras = &body.paragraphs;
    let found: Vec<(usize, String, String)> = paras.iter().enumerate().filter_map(|(i, p)| question_of(p).map(|(r, t)| (i, r, t))).collect();
    let mut layout = SheetLayout {
        name: PARAGRAPHS.into(),
        used: false,
        reason: None,
        header_row: None,
        columns: None,
        confidence: 0.0,
        questions: Vec::new(),
        notes: Vec::new(),
        header_candidates: Vec::new(),
    };
    if found.len() < 2 {
        layout.reason = Some(match found.len() {
            0 => "no numbered or bold questions in the body's paragraphs".to_string(),
            _ => "only 1 numbered question in the body's paragraphs".to_string(),
        });
        return layout;
    }
    // Numbering Word adds itself (`w:numPr` or a list style) gives the questions their numbers.
    let mut counters: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut section = String::new();
    let mut next_found = 0;
    let mut without_place = 0;
    let mut checkboxes = 0;
    for (i, p) in paras.iter().enumerate() {
        if next_found < found.len() && found[next_found].0 == i {
            let (_, reference, text) = &found[next_found];
            next_found += 1;
            let end = found.get(next_found).map(|f| f.0).unwrap_or(paras.len());
            let mut reference = reference.clone();
            if reference.is_empty() && (p.numbering.is_some() || p.style.to_ascii_lowercase().starts_with("listnumber")) {
                let key = p.numbering.as_ref().map(|n| n.0.clone()).unwrap_or_else(|| p.style.clone());
                let n = counters.entry(key).or_default();
                *n += 1;
                reference = n.to_string();
            }
            // The answer place: the question paragraph itself when it holds boxes or a control;
            // else the first marked paragraph before the next question; else the paragraph
            // right after the question (empty, or holding the answer).
            let inline = !p.checks.is_empty() || !p.controls.is_empty();
            let mut candidates = (i + 1..end).take_while(|&j| section_of(&paras[j]).is_none() || place_strength(&paras[j]) > 0);
            let place = if inline {
                Some(i)
            } else {
                let window: Vec<usize> = candidates.by_ref().take(4).collect();
                window.iter().copied().find(|&j| place_strength(&paras[j]) == 2).or_else(|| window.iter().copied().find(|&j| place_strength(&paras[j]) == 1))
            };
            // A comment place after check boxes: a labelled or placeholder paragraph.
            let comment_place = place.filter(|&j| !paras[j].checks.is_empty()).and_then(|j| {
                (j + 1..end.min(j + 3)).find(|&k| {
                    let t = paras[k].text.trim();
                    strip_label(t, COMMENT_LABELS).0 || is_placeholder(t) || !paras[k].controls.is_empty()
                })
            });
            let (answer, answer_kind) = match place {
                Some(j) => {
                    let a = answer_text(&paras[j], ANSWER_LABELS);
                    let kind = classify(&a);
                    (a, kind)
                }
                None => {
                    without_place += 1;
                    (String::new(), None)
                }
            };
            if place.is_some_and(|j| !paras[j].checks.is_empty()) {
                checkboxes += 1;
            }
            let comment = comment_place.map(|k| answer_text(&paras[k], COMMENT_LABELS)).unwrap_or_default();
            layout.questions.push(Question {
                sheet: PARAGRAPHS.into(),
                row: i + 1,
                reference,
                text: text.clone(),
                domain: section.clone(),
                answer,
                answer_kind,
                comment,
                answer_cell: place.map(|j| format!("P{}", j + 1)),
                choice_cells: Vec::new(),
                comment_cell: comment_place.map(|k| format!("P{}", k + 1)),
            });
            continue;
        }
        if let Some(s) = section_of(p) {
            section = s;
        }
    }
    let n = layout.questions.len();
    layout.used = true;
    let numbered = layout.questions.iter().filter(|q| !q.reference.is_empty()).count();
    let placed = n - without_place;
    let conf = 0.4 + 0.25 * (placed as f32 / n as f32) + 0.2 * (numbered as f32 / n as f32) + if n >= 5 { 0.1 } else { 0.0 };
    layout.confidence = (conf.clamp(0.05, 0.95) * 100.0).round() / 100.0;
    layout.notes.push(format!("{n} numbered or bold questions in the body's paragraphs; answers go in the paragraph after each"));
    if checkboxes > 0 {
        layout.notes.push(format!("{checkboxes} answered with check boxes (Yes / No / N/A)"));
    }
    if without_place > 0 {
        layout.notes.push(format!("{without_place} questions have no answer place after them (no empty, placeholder or labelled paragraph before the next question)"));
    }
    layout
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_labels() {
        assert!(is_placeholder("[Response]") && is_placeholder("Click or tap here to enter text.") && is_placeholder("______"));
        assert!(!is_placeholder("Yes") && !is_placeholder("We encrypt [all] data at rest with AES-256 keys held in a managed key service of the cloud provider"));
        assert_eq!(strip_label("Response: Yes", ANSWER_LABELS), (true, "Yes"));
        assert_eq!(strip_label("Note: Yes", ANSWER_LABELS), (false, "Note: Yes"));
        assert_eq!(leading_ref("12. Do you encrypt?"), ("12".to_string(), "Do you encrypt?"));
        assert_eq!(leading_ref("GOV-01 Do you encrypt?"), ("GOV-01".to_string(), "Do you encrypt?"));
        assert_eq!(leading_ref("Do you encrypt?"), (String::new(), "Do you encrypt?"));
        assert_eq!(paragraph_index("P13"), Some(12));
        assert_eq!(table_index("Table 2"), Some(1));
    }

    #[test]
    fn boxes_and_controls_in_one_paragraph() {
        let xml = r#"<w:document xmlns:w="w" xmlns:w14="w14"><w:body><w:p><w:r><w:t>Do you encrypt?</w:t></w:r></w:p><w:p><w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="0"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>☐</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t xml:space="preserve"> Yes </w:t></w:r><w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="1"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>☒</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t xml:space="preserve"> No</w:t></w:r></w:p><w:p><w:r><w:t>☐ Yes ☒ N/A</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">Response: </w:t></w:r><w:sdt><w:sdtPr><w:showingPlcHdr/><w:text/></w:sdtPr><w:sdtContent><w:r><w:t>Click or tap here to enter text.</w:t></w:r></w:sdtContent></w:sdt></w:p></w:body></w:document>"#;
        let body = model::parse(xml).unwrap();
        let p = &body.paragraphs[1];
        assert_eq!(p.checks.len(), 2);
        assert_eq!((p.checks[0].label.as_str(), p.checks[0].checked), ("Yes", false));
        assert_eq!((p.checks[1].label.as_str(), p.checks[1].checked), ("No", true));
        assert_eq!(answer_text(p, ANSWER_LABELS), "No");
        assert_eq!(answer_text(&body.paragraphs[2], ANSWER_LABELS), "N/A");
        let r = &body.paragraphs[3];
        assert_eq!(r.controls.len(), 1);
        assert!(r.controls[0].showing_placeholder());
        assert_eq!(answer_text(r, ANSWER_LABELS), "");
    }
}
