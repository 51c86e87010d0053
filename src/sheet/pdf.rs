//! PDF questionnaires. A fillable form (AcroForm) is read field by field: a field whose tooltip
//! (`/TU`, what a screen reader says) or name reads as a question is a question, and its value
//! the answer (text, a ticked check box as Yes, the chosen radio button or list entry). Where
//! the question text is printed on the page instead, with a field beside it, nothing is read:
//! placing printed text beside fields is not done yet, and neither is filling a PDF in place
//! (answers go to a clean workbook). Any other PDF is refused with what kind it is and what to
//! do: a flat PDF with text, a scan without a text layer (which needs OCR before any tool can
//! read its questions), or an encrypted one.

use super::detect::is_question_like;
use super::model::{Question, SheetLayout};
use super::grid::Format;
use super::Questionnaire;
use crate::answer::classify;
use crate::error::{Error, Result};
use lopdf::{Dictionary, Document, Object};
use std::collections::BTreeMap;
use std::path::Path;

/// The sheet name of a PDF form's fields.
pub const FORM: &str = "Form fields";
/// Fields walked at most (a hostile form cannot make the walk endless).
const MAX_FIELDS: usize = 20_000;

/// Pages looked at for a text layer.
const PAGES_CHECKED: usize = 5;

pub const PDF_MAGIC: &[u8] = b"%PDF-";

/// The kind of PDF, as people are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfKind {
    Form { fields: usize },
    FlatText { pages: usize },
    NoTextLayer { pages: usize },
    Encrypted,
}

impl PdfKind {
    pub fn describe(&self) -> String {
        match self {
            PdfKind::Form { fields } => format!("it is a fillable PDF form (AcroForm, {fields} fields)"),
            PdfKind::FlatText { pages } => format!("it is a flat PDF ({pages} pages, text but no form fields); Quire does not read PDF questionnaires yet: ask the customer for the Word or Excel version"),
            PdfKind::NoTextLayer { pages } => format!("it is a PDF without a text layer ({pages} pages of scanned images): it needs OCR before any tool can read its questions; ask the customer for the Word or Excel version"),
            PdfKind::Encrypted => "it is an encrypted (password-protected) PDF, and Quire does not read PDF questionnaires yet: ask the customer for the Word or Excel version".to_string(),
        }
    }
}

/// Which kind of PDF the bytes are; `Err` with the parser's complaint when they are no PDF.
pub fn kind(bytes: &[u8]) -> Result<PdfKind, String> {
    let doc = match lopdf::Document::load_mem(bytes) {
        Ok(d) => d,
        Err(lopdf::Error::Decryption(_)) | Err(lopdf::Error::InvalidPassword) => return Ok(PdfKind::Encrypted),
        Err(e) => return Err(e.to_string()),
    };
    if doc.is_encrypted() {
        return Ok(PdfKind::Encrypted);
    }
    let fields = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"AcroForm").ok())
        .and_then(|f| match f {
            lopdf::Object::Reference(id) => doc.get_dictionary(*id).ok(),
            lopdf::Object::Dictionary(d) => Some(d),
            _ => None,
        })
        .and_then(|f| f.get(b"Fields").ok())
        .and_then(|f| match f {
            lopdf::Object::Reference(id) => doc.get_object(*id).ok().and_then(|o| o.as_array().ok()),
            o => o.as_array().ok(),
        })
        .map(|a| a.len())
        .unwrap_or(0);
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    if fields > 0 {
        return Ok(PdfKind::Form { fields });
    }
    let checked: Vec<u32> = pages.iter().copied().take(PAGES_CHECKED).collect();
    let has_text = checked.iter().any(|p| doc.extract_text(&[*p]).is_ok_and(|t| t.chars().any(char::is_alphanumeric)));
    Ok(if has_text { PdfKind::FlatText { pages: pages.len() } } else { PdfKind::NoTextLayer { pages: pages.len() } })
}

/// The refusal for a PDF questionnaire.
pub fn refuse(path: &Path, bytes: &[u8]) -> Error {
    match kind(bytes) {
        Ok(k) => Error::not_a_spreadsheet(path, k.describe()),
        Err(e) => Error::corrupt(path, format!("it starts like a PDF but cannot be read as one: {e}")),
    }
}

/// One terminal form field.
#[derive(Debug, Clone, Default)]
struct Field {
    name: String,
    kind: String,
    tooltip: String,
    value: String,
}

/// A PDF text string: UTF-16BE or UTF-8 with their byte order marks, else PDFDocEncoding
/// (read as Latin-1, which it equals for letters and digits).
fn text_string(o: &Object) -> String {
    let bytes = match o {
        Object::String(b, _) => b.as_slice(),
        Object::Name(n) => return String::from_utf8_lossy(n).into_owned(),
        _ => return String::new(),
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| b as char).collect()
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).ok(),
        o => Some(o),
    }
}

fn dict<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    resolve(doc, o).and_then(|o| o.as_dict().ok())
}

/// The terminal fields of the form, depth first, with inherited type and full names.
fn fields(doc: &Document) -> Vec<Field> {
    let mut out = Vec::new();
    let Some(form) = doc.catalog().ok().and_then(|c| c.get(b"AcroForm").ok()).and_then(|f| dict(doc, f)) else { return out };
    let Some(top) = form.get(b"Fields").ok().and_then(|f| resolve(doc, f)).and_then(|f| f.as_array().ok()) else { return out };
    let mut stack: Vec<(&Object, String, String)> = top.iter().rev().map(|o| (o, String::new(), String::new())).collect();
    let mut seen = 0usize;
    while let Some((o, parent, inherited)) = stack.pop() {
        seen += 1;
        if seen > MAX_FIELDS {
            break;
        }
        let Some(d) = dict(doc, o) else { continue };
        let part = d.get(b"T").map(text_string).unwrap_or_default();
        let name = match (parent.is_empty(), part.is_empty()) {
            (_, true) => parent.clone(),
            (true, false) => part,
            (false, false) => format!("{parent}.{part}"),
        };
        let kind = d.get(b"FT").ok().and_then(|k| k.as_name().ok()).map(|k| String::from_utf8_lossy(k).into_owned()).unwrap_or(inherited);
        // Kids that carry a name of their own are fields; others are the widgets of this one.
        let kids: Vec<&Object> = d.get(b"Kids").ok().and_then(|k| resolve(doc, k)).and_then(|k| k.as_array().ok()).map(|a| a.iter().collect()).unwrap_or_default();
        let named_kids: Vec<&Object> = kids.iter().copied().filter(|k| dict(doc, k).is_some_and(|kd| kd.has(b"T"))).collect();
        if !named_kids.is_empty() {
            stack.extend(named_kids.into_iter().rev().map(|k| (k, name.clone(), kind.clone())));
            continue;
        }
        let tooltip = d.get(b"TU").map(text_string).unwrap_or_default();
        let value = d.get(b"V").ok().and_then(|v| resolve(doc, v)).map(text_string).unwrap_or_default();
        out.push(Field { name, kind, tooltip, value });
    }
    out
}

/// The answer a field's value gives: text as written; a check box or radio button's state name
/// ("Off" is no answer; a ticked lone box is Yes).
fn answer_of(f: &Field) -> String {
    let v = f.value.trim();
    if f.kind == "Btn" {
        return match v {
            "" | "Off" => String::new(),
            "On" | "Yes" | "1" | "True" => "Yes".to_string(),
            other => other.replace('_', " ").replace("#20", " "),
        };
    }
    v.to_string()
}

/// Reads a fillable PDF form (see the module comment); a PDF of another kind is refused.
pub(crate) fn read_form(path: &Path, bytes: &[u8], sha256: String) -> Result<Questionnaire> {
    let k = kind(bytes).map_err(|e| Error::corrupt(path, format!("it starts like a PDF but cannot be read as one: {e}")))?;
    let PdfKind::Form { .. } = k else { return Err(Error::not_a_spreadsheet(path, k.describe())) };
    let doc = Document::load_mem(bytes).map_err(|e| Error::corrupt(path, format!("it starts like a PDF but cannot be read as one: {e}")))?;
    let all = fields(&doc);
    let mut layout = SheetLayout {
        name: FORM.into(),
        used: false,
        reason: None,
        header_row: None,
        columns: None,
        confidence: 0.0,
        questions: Vec::new(),
        notes: Vec::new(),
        header_candidates: Vec::new(),
    };
    for (i, f) in all.iter().enumerate() {
        let text = if is_question_like(&f.tooltip) { f.tooltip.trim() } else if is_question_like(&f.name) { f.name.trim() } else { continue };
        let answer = answer_of(f);
        let answer_kind = classify(&answer);
        layout.questions.push(Question {
            sheet: FORM.into(),
            row: i + 1,
            reference: String::new(),
            text: super::detect::clean_text(text),
            domain: String::new(),
            answer,
            answer_kind,
            comment: String::new(),
            answer_cell: Some(f.name.clone()),
            choice_cells: Vec::new(),
            comment_cell: None,
        });
    }
    let n = layout.questions.len();
    layout.notes.push(format!("a fillable PDF form (AcroForm): {} fields, {n} of them with a question as tooltip or name; fields whose question is only printed on the page are not read yet", all.len()));
    if n == 0 {
        layout.reason = Some(format!("none of the form's {} fields has a question as its tooltip or name (the questions are printed on the page, which Quire does not read yet)", all.len()));
    } else {
        layout.used = true;
        layout.confidence = if n >= 5 { 0.7 } else { 0.5 };
    }
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Questionnaire { path: path.to_path_buf(), file, format: Format::Pdf, sha256, profile: None, recognition: None, sheets: vec![layout], previews: BTreeMap::new() })
}
