//! PDF questionnaires, of three kinds (`PdfKind`; `inspect` says which):
//!
//! * a fillable form (AcroForm): read field by field. A field whose tooltip (`/TU`, what a
//!   screen reader says) or name reads as a question is a question; otherwise the text printed
//!   beside its widget on the page (on the same line to the left, else just above) is, when it
//!   reads as one. The field's value is the answer (text, a ticked check box as Yes, the
//!   chosen radio button or list entry). Sheet "Form fields", `answer_cell` = the field's full
//!   name; `fill::pdf` writes the fields in place.
//! * a flat PDF with a text layer: numbered questions and question tables are found in the
//!   text by position (`text` extracts it, `flat` finds the questions), one sheet per page;
//!   answers go to a response document.
//! * a PDF without a text layer (a scan) or an encrypted one: refused with what it is and what
//!   to do.
//!
//! A form whose fields carry no questions, but whose pages have numbered questions or a
//! question table, is read as a flat PDF.

pub mod flat;
pub mod text;

use super::detect::{clean_text, is_question_like};
use super::model::{Question, SheetLayout};
use super::grid::Format;
use super::profile::Profiles;
use super::Questionnaire;
use crate::answer::classify;
use crate::error::{Error, Result};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use text::{Line, PageText};

/// The sheet name of a PDF form's fields.
pub const FORM: &str = "Form fields";
/// Fields walked at most (a hostile form cannot make the walk endless).
const MAX_FIELDS: usize = 20_000;

/// Pages looked at for a text layer.
const PAGES_CHECKED: usize = 5;

pub const PDF_MAGIC: &[u8] = b"%PDF-";
/// Pages read at most (a questionnaire has tens; a hostile file may claim millions).
pub const MAX_PAGES: usize = 5_000;

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
            PdfKind::Form { fields } => format!("a fillable PDF form (AcroForm, {fields} fields)"),
            PdfKind::FlatText { pages } => format!("a flat PDF ({pages} page{}, text but no form fields): questions are read from the text; answers go to a response document (.docx and .xlsx) beside it", plural(*pages)),
            PdfKind::NoTextLayer { pages } => format!("it is a PDF without a text layer ({pages} page{} of scanned images): it needs OCR (text recognition, which Quire does not do) before any tool can read its questions; ask the customer for the Word or Excel version, or run it through OCR (for example ocrmypdf, or Acrobat's \"Recognize text\") and read the result", plural(*pages)),
            PdfKind::Encrypted => "it is an encrypted (password-protected) PDF, which Quire does not open: ask the customer for an unprotected copy or the Word or Excel version".to_string(),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Loads a PDF; `Ok(None)` when it is encrypted, `Err` with the parser's complaint when it is
/// no PDF.
pub fn load(bytes: &[u8]) -> std::result::Result<Option<Document>, String> {
    match Document::load_mem(bytes) {
        Ok(d) if d.is_encrypted() || d.trailer.has(b"Encrypt") => Ok(None),
        Ok(d) => Ok(Some(d)),
        Err(lopdf::Error::Decryption(_)) | Err(lopdf::Error::InvalidPassword) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

/// The AcroForm dictionary of the catalog, if any.
fn acroform(doc: &Document) -> Option<&Dictionary> {
    doc.catalog().ok().and_then(|c| c.get(b"AcroForm").ok()).and_then(|f| dict(doc, f))
}

fn top_fields(doc: &Document) -> &[Object] {
    acroform(doc).and_then(|f| f.get(b"Fields").ok()).and_then(|f| resolve(doc, f)).and_then(|f| f.as_array().ok()).map(|a| a.as_slice()).unwrap_or(&[])
}

/// Which kind of PDF the bytes are; `Err` with the parser's complaint when they are no PDF.
pub fn kind(bytes: &[u8]) -> std::result::Result<PdfKind, String> {
    let Some(doc) = load(bytes)? else { return Ok(PdfKind::Encrypted) };
    Ok(kind_of(&doc))
}

fn kind_of(doc: &Document) -> PdfKind {
    let fields = top_fields(doc).len();
    if fields > 0 {
        return PdfKind::Form { fields };
    }
    let pages = doc.get_pages();
    let has_text = pages.values().take(PAGES_CHECKED).any(|id| text::page_chunks(doc, *id).is_ok_and(|c| c.iter().any(|c| c.text.chars().any(char::is_alphanumeric))));
    if has_text {
        PdfKind::FlatText { pages: pages.len() }
    } else {
        PdfKind::NoTextLayer { pages: pages.len() }
    }
}

/// The refusal for a PDF given to a reader of workbooks.
pub fn refuse(path: &Path, bytes: &[u8]) -> Error {
    match kind(bytes) {
        Ok(k @ (PdfKind::Form { .. } | PdfKind::FlatText { .. })) => Error::not_a_spreadsheet(path, format!("it is {}; read it as a questionnaire (quire inspect), not as a workbook", k.describe())),
        Ok(k) => Error::not_a_spreadsheet(path, k.describe()),
        Err(e) => Error::corrupt(path, format!("it starts like a PDF but cannot be read as one: {e}")),
    }
}

/// One widget (the place on a page) of a form field.
#[derive(Debug, Clone, Default)]
pub(crate) struct Widget {
    pub id: Option<ObjectId>,
    /// [x0, y0, x1, y1], normalised.
    pub rect: Option<[f32; 4]>,
    /// 1-based page.
    pub page: Option<u32>,
    /// The appearance state that shows it ticked (check boxes, radio buttons).
    pub on_state: Option<String>,
}

/// One terminal form field.
#[derive(Debug, Clone, Default)]
pub(crate) struct Field {
    pub id: Option<ObjectId>,
    pub name: String,
    pub kind: String,
    /// Field flags (`/Ff`, inherited).
    pub flags: i64,
    pub tooltip: String,
    pub value: String,
    pub max_len: Option<usize>,
    /// The export values of a choice field.
    pub options: Vec<String>,
    pub widgets: Vec<Widget>,
}

impl Field {
    pub fn is_radio(&self) -> bool {
        self.kind == "Btn" && self.flags & (1 << 15) != 0
    }
    pub fn is_push_button(&self) -> bool {
        self.kind == "Btn" && self.flags & (1 << 16) != 0
    }
    pub fn read_only(&self) -> bool {
        self.flags & 1 != 0
    }
}

/// A PDF text string: UTF-16BE or UTF-8 with their byte order marks, else PDFDocEncoding
/// (read as Latin-1, which it equals for letters and digits).
pub(crate) fn text_string(o: &Object) -> String {
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

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
    .filter(|v| v.is_finite())
}

/// The widget facts of a widget dictionary.
fn widget(doc: &Document, id: Option<ObjectId>, d: &Dictionary, pages: &HashMap<ObjectId, u32>, annots: &HashMap<ObjectId, u32>) -> Widget {
    let rect = d.get(b"Rect").ok().and_then(|r| resolve(doc, r)).and_then(|r| r.as_array().ok()).and_then(|a| {
        let v: Vec<f32> = a.iter().filter_map(|o| resolve(doc, o).and_then(num)).collect();
        (v.len() == 4).then(|| [v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
    });
    let page = d.get(b"P").ok().and_then(|p| p.as_reference().ok()).and_then(|p| pages.get(&p).copied()).or_else(|| id.and_then(|id| annots.get(&id).copied()));
    let on_state = d
        .get(b"AP")
        .ok()
        .and_then(|ap| dict(doc, ap))
        .and_then(|ap| ap.get(b"N").ok())
        .and_then(|n| dict(doc, n))
        .and_then(|n| n.iter().map(|(k, _)| String::from_utf8_lossy(k).into_owned()).find(|k| k != "Off"));
    Widget { id, rect, page, on_state }
}

/// The terminal fields of the form, depth first, with inherited type, flags and full names,
/// and their widgets. Bounded: a field tree with loops or millions of kids stops at
/// `MAX_FIELDS` nodes, and a node is visited once.
pub(crate) fn fields(doc: &Document) -> Vec<Field> {
    let mut out = Vec::new();
    let top = top_fields(doc);
    if top.is_empty() {
        return out;
    }
    let pages: HashMap<ObjectId, u32> = doc.get_pages().into_iter().take(MAX_PAGES).map(|(n, id)| (id, n)).collect();
    let mut annots: HashMap<ObjectId, u32> = HashMap::new();
    for (&page_id, &n) in &pages {
        let list = doc.get_dictionary(page_id).ok().and_then(|p| p.get(b"Annots").ok()).and_then(|a| resolve(doc, a)).and_then(|a| a.as_array().ok());
        for a in list.into_iter().flatten().take(MAX_FIELDS) {
            if let Ok(id) = a.as_reference() {
                annots.insert(id, n);
            }
        }
    }
    struct Node<'a> {
        obj: &'a Object,
        parent: String,
        kind: String,
        flags: i64,
    }
    let mut stack: Vec<Node<'_>> = top.iter().take(MAX_FIELDS).rev().map(|o| Node { obj: o, parent: String::new(), kind: String::new(), flags: 0 }).collect();
    let mut seen = 0usize;
    // Kids and widgets taken over the whole walk: a kids array shared by many fields cannot
    // multiply the work.
    let mut budget = 4 * MAX_FIELDS;
    let mut visited: HashSet<ObjectId> = HashSet::new();
    while let Some(node) = stack.pop() {
        seen += 1;
        if seen > MAX_FIELDS {
            break;
        }
        let id = node.obj.as_reference().ok();
        if let Some(id) = id {
            if !visited.insert(id) {
                continue;
            }
        }
        let Some(d) = dict(doc, node.obj) else { continue };
        let part = d.get(b"T").map(text_string).unwrap_or_default();
        let name = match (node.parent.is_empty(), part.is_empty()) {
            (_, true) => node.parent.clone(),
            (true, false) => part,
            (false, false) => format!("{}.{part}", node.parent),
        };
        let kind = d.get(b"FT").ok().and_then(|k| k.as_name().ok()).map(|k| String::from_utf8_lossy(k).into_owned()).unwrap_or(node.kind);
        let flags = d.get(b"Ff").ok().and_then(|f| f.as_i64().ok()).unwrap_or(node.flags);
        // Kids that carry a name of their own are fields; others are the widgets of this one.
        let kids: Vec<&Object> = d.get(b"Kids").ok().and_then(|k| resolve(doc, k)).and_then(|k| k.as_array().ok()).map(|a| a.iter().take(budget).collect()).unwrap_or_default();
        budget = budget.saturating_sub(kids.len());
        let named_kids: Vec<&Object> = kids.iter().copied().filter(|k| dict(doc, k).is_some_and(|kd| kd.has(b"T"))).collect();
        if !named_kids.is_empty() {
            stack.extend(named_kids.into_iter().rev().map(|k| Node { obj: k, parent: name.clone(), kind: kind.clone(), flags }));
            continue;
        }
        let mut widgets = Vec::new();
        if d.has(b"Rect") {
            widgets.push(widget(doc, id, d, &pages, &annots));
        }
        for k in kids {
            if let Some(kd) = dict(doc, k) {
                widgets.push(widget(doc, k.as_reference().ok(), kd, &pages, &annots));
            }
        }
        let tooltip = d.get(b"TU").map(text_string).unwrap_or_default();
        let value = d.get(b"V").ok().and_then(|v| resolve(doc, v)).map(|v| match v {
            Object::Array(a) => a.iter().map(text_string).collect::<Vec<_>>().join(", "),
            v => text_string(v),
        }).unwrap_or_default();
        let max_len = d.get(b"MaxLen").ok().and_then(|m| m.as_i64().ok()).and_then(|m| usize::try_from(m).ok());
        let options = d
            .get(b"Opt")
            .ok()
            .and_then(|o| resolve(doc, o))
            .and_then(|o| o.as_array().ok())
            .map(|a| {
                a.iter()
                    .take(1_000)
                    .filter_map(|o| resolve(doc, o))
                    .map(|o| match o {
                        Object::Array(pair) => pair.first().map(text_string).unwrap_or_default(),
                        o => text_string(o),
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.push(Field { id, name, kind, flags, tooltip, value, max_len, options, widgets });
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
            other => state_label(other),
        };
    }
    v.to_string()
}

/// A button state name as words ("Not_applicable" → "Not applicable").
pub(crate) fn state_label(state: &str) -> String {
    state.replace("#20", " ").replace('_', " ").trim().to_string()
}

/// The text printed just right of a widget (a button's label).
pub(crate) fn label_right(pages: &[PageText], w: &Widget) -> Option<String> {
    let (p, [_, y0, x1, y1]) = (w.page?, w.rect?);
    let page = pages.iter().find(|x| x.number == p)?;
    page.lines
        .iter()
        .filter(|l| l.y >= y0 - l.size * 0.5 && l.y <= y1)
        .flat_map(|l| l.segments.iter())
        .filter(|s| s.x0 >= x1 - 1.0 && s.x0 - x1 < 40.0)
        .min_by(|a, b| a.x0.total_cmp(&b.x0))
        .map(|s| s.text.split_whitespace().take(4).collect::<Vec<_>>().join(" "))
}

/// The question printed beside a widget: the text on the same line to its left, else the
/// lines just above it (up to four wrapped lines). `None` when nothing there reads as a
/// question.
fn printed_question(lines: &[Line], rect: [f32; 4]) -> Option<String> {
    let [x0, y0, x1, y1] = rect;
    let mid = (y0 + y1) / 2.0;
    // Same line, to the left: the nearest segment whose baseline is within the field's height.
    let left = lines
        .iter()
        .filter(|l| l.y >= y0 - l.size * 0.5 && l.y <= y1.max(mid + l.size))
        .flat_map(|l| l.segments.iter().map(move |s| (l, s)))
        .filter(|(_, s)| s.x1 <= x0 + 2.0 && x0 - s.x1 < 320.0)
        .min_by(|a, b| {
            // The line closest to the field's middle (a text's middle is about a third of its
            // size above the baseline), then the segment nearest the field.
            let d = |l: &Line| (l.y + l.size * 0.35 - mid).abs();
            d(a.0).total_cmp(&d(b.0)).then(b.1.x1.total_cmp(&a.1.x1))
        });
    if let Some((line, seg)) = left {
        let mut text = seg.text.clone();
        // A label wrapped onto lines above, in the same column.
        let idx = lines.iter().position(|l| std::ptr::eq(l, line)).unwrap_or(0);
        let mut prev_y = line.y;
        for l in lines[..idx].iter().rev().take(3) {
            let above = l.segments.iter().find(|s| (s.x0 - seg.x0).abs() <= l.size && s.x1 <= x0 + 2.0);
            match above {
                Some(s) if l.y - prev_y <= 1.6 * l.size && !s.text.trim_end().ends_with(['?', ':', '.']) => {
                    text = format!("{} {text}", s.text);
                    prev_y = l.y;
                }
                _ => break,
            }
        }
        if is_question_like(strip_ref(&text).1) {
            return Some(text);
        }
    }
    // Above: the nearest line over the field that overlaps it horizontally, and its wrapped
    // lines above.
    let above_idx = lines.iter().enumerate().filter(|(_, l)| l.y > y1 && l.y - y1 <= 3.0 * l.size).filter(|(_, l)| l.segments.iter().any(|s| s.x0 < x1 && s.x1 > x0 - 20.0)).map(|(i, _)| i).next_back()?;
    let mut parts = vec![lines[above_idx].text()];
    let mut prev = &lines[above_idx];
    for l in lines[..above_idx].iter().rev().take(3) {
        let t = l.text();
        if l.y - prev.y > 1.6 * l.size || t.trim_end().ends_with(['?', ':']) || (l.x0() - prev.x0()).abs() > 2.0 * l.size {
            break;
        }
        parts.insert(0, t);
        prev = l;
    }
    let text = parts.join(" ");
    is_question_like(strip_ref(&text).1).then_some(text)
}

/// A leading "1." / "A.3" / "Q12" numbering and the text after it.
fn strip_ref(text: &str) -> (String, &str) {
    match flat::numbering(text) {
        Some((r, rest)) => (r, rest),
        None => (String::new(), text.trim()),
    }
}

/// Whether a PDF questionnaire was read from its form fields (filled in place) rather than
/// from its printed text (answered in a response document).
pub fn is_form(q: &Questionnaire) -> bool {
    q.format == Format::Pdf && q.sheets.iter().any(|s| s.name == FORM && s.used)
}

/// Reads a PDF questionnaire (see the module comment).
pub(crate) fn read_pdf(path: &Path, bytes: &[u8], sha256: String, profiles: &Profiles) -> Result<Questionnaire> {
    let doc = match load(bytes) {
        Ok(Some(d)) => d,
        Ok(None) => return Err(Error::not_a_spreadsheet(path, PdfKind::Encrypted.describe())),
        Err(e) => return Err(Error::corrupt(path, format!("it starts like a PDF but cannot be read as one: {e}"))),
    };
    let page_ids = doc.get_pages();
    if page_ids.len() > MAX_PAGES {
        return Err(Error::TooLarge { path: path.to_path_buf(), detail: format!("it has {} pages (limit {MAX_PAGES}); nothing was read", page_ids.len()) });
    }
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let pages = text::document_text(&doc);
    let has_text = pages.iter().any(|p| p.lines.iter().any(|l| l.chunks.iter().any(|c| c.text.chars().any(char::is_alphanumeric))));
    let all = fields(&doc);
    let mut sheets = Vec::new();
    if !all.is_empty() {
        let form = form_layout(&all, &pages);
        let found = form.used;
        sheets.push(form);
        if found {
            return Ok(Questionnaire { path: path.to_path_buf(), file, format: Format::Pdf, sha256, profile: None, recognition: None, sheets, previews: BTreeMap::new() });
        }
    }
    if !has_text {
        if sheets.is_empty() {
            return Err(Error::not_a_spreadsheet(path, PdfKind::NoTextLayer { pages: pages.len() }.describe()));
        }
        return Ok(Questionnaire { path: path.to_path_buf(), file, format: Format::Pdf, sha256, profile: None, recognition: None, sheets, previews: BTreeMap::new() });
    }
    let mut flat_sheets = flat::read(&pages, profiles);
    if let Some(first) = flat_sheets.first_mut() {
        first.notes.insert(0, PdfKind::FlatText { pages: pages.len() }.describe());
    }
    if let Some(form) = sheets.first_mut() {
        if flat_sheets.iter().any(|s| s.used) {
            form.notes.push("its questions were read from the printed text instead (answers go to a response document)".into());
        }
    }
    sheets.extend(flat_sheets);
    Ok(Questionnaire { path: path.to_path_buf(), file, format: Format::Pdf, sha256, profile: None, recognition: None, sheets, previews: BTreeMap::new() })
}

/// The form's questions: from tooltips, names or the text printed beside the fields.
fn form_layout(all: &[Field], pages: &[PageText]) -> SheetLayout {
    let mut layout = SheetLayout { name: FORM.into(), used: false, reason: None, header_row: None, columns: None, confidence: 0.0, questions: Vec::new(), notes: Vec::new(), header_candidates: Vec::new() };
    let (mut by_tip, mut by_print) = (0, 0);
    for (i, f) in all.iter().enumerate() {
        if f.is_push_button() || f.kind == "Sig" {
            continue;
        }
        let printed = || {
            f.widgets.iter().filter_map(|w| Some((w.page?, w.rect?))).min_by(|a, b| a.0.cmp(&b.0).then(b.1[3].total_cmp(&a.1[3])).then(a.1[0].total_cmp(&b.1[0]))).and_then(|(p, rect)| {
                let page = pages.iter().find(|x| x.number == p)?;
                printed_question(&page.lines, rect)
            })
        };
        let text = if is_question_like(&f.tooltip) {
            by_tip += 1;
            f.tooltip.trim().to_string()
        } else if is_question_like(&f.name) {
            by_tip += 1;
            f.name.trim().to_string()
        } else if let Some(t) = printed() {
            by_print += 1;
            t
        } else {
            continue;
        };
        let (reference, text) = strip_ref(&text);
        let mut answer = answer_of(f);
        // A button state with no meaning of its own ("Choice2"): the label printed beside it.
        if f.kind == "Btn" && !answer.is_empty() && classify(&answer).is_none_or(|k| k == crate::answer::AnswerKind::Text) {
            if let Some(label) = f.widgets.iter().find(|w| w.on_state.as_deref() == Some(f.value.trim())).and_then(|w| label_right(pages, w)) {
                answer = label;
            }
        }
        let answer_kind = classify(&answer);
        layout.questions.push(Question {
            sheet: FORM.into(),
            row: i + 1,
            reference,
            text: clean_text(text),
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
    layout.notes.push(format!("a fillable PDF form (AcroForm): {} fields, {n} of them with a question ({by_tip} in the field's tooltip or name, {by_print} printed beside the field); answers are written into the fields", all.len()));
    if n == 0 {
        layout.reason = Some(format!("none of the form's {} fields has a question as its tooltip or name, or printed beside it", all.len()));
    } else {
        layout.used = true;
        layout.confidence = if n >= 5 { 0.7 } else { 0.5 };
    }
    layout
}
