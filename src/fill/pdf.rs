//! Filling a PDF questionnaire.
//!
//! A fillable form (AcroForm, `sheet::pdf::is_form`) is filled in place by an **incremental
//! update**: the customer's bytes are copied unchanged and the changed objects (the fields,
//! their widgets, the form dictionary) are appended after them with a new cross-reference
//! section (lopdf's `IncrementalDocument`), as Acrobat itself saves a filled form. A
//! signature over the original bytes stays valid for them, and every earlier revision can be
//! recovered.
//!
//! What is written where:
//! * a text field: the answer as its value, a PDF text string in hexadecimal (UTF-16 when it
//!   is not plain ASCII), so no character of an answer can end the string or become PDF
//!   syntax; its old appearance is removed and the form asks viewers to draw values
//!   (`/NeedAppearances true`);
//! * a check box: ticked for Yes, cleared for No (other answers are reported, not written);
//! * radio buttons: the button whose state name, or the label printed to its right, means the
//!   answer (Yes / No / N/A / Partial, or the same words) is selected, the others cleared;
//! * a list or combo box: the option that means the answer; free text only in an editable
//!   combo box.
//!
//! Read-only fields, fields too short for the answer (`/MaxLen`) and comments (a form has no
//! comment place per question) are reported in `FillReport::skipped`.
//!
//! A flat PDF has no answer places: `response` writes a response document beside it.

use super::{blank, check_output, skip, Field as Part, FillOptions, FillReport};
use crate::display::shorten;
use crate::answer::classify;
use crate::error::{Error, Result};
use crate::review::Review;
use crate::sheet::pdf::{self as sp, text, Field};
use crate::sheet::Questionnaire;
use lopdf::{Dictionary, Document, IncrementalDocument, Object, ObjectId, StringFormat};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Field flags (PDF 32000-1 §12.7.4).
const FF_COMBO: i64 = 1 << 17;
const FF_EDIT: i64 = 1 << 18;

/// Fills a PDF questionnaire: a form in place, a flat PDF through a response document.
pub(super) fn fill_pdf(q: &Questionnaire, bytes: &[u8], review: &Review, out: &Path, opts: &FillOptions) -> Result<FillReport> {
    if !sp::is_form(q) {
        return super::response::write(q, review, out);
    }
    // The PDF parser on a hostile file: a panic becomes a "damaged" error, and nothing is written.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fill_form(q, bytes, review, out, opts))) {
        Ok(result) => result,
        Err(_) => Err(Error::corrupt(&q.path, "its structure made the PDF reader fail; nothing was written")),
    }
}

fn fill_form(q: &Questionnaire, bytes: &[u8], review: &Review, out: &Path, opts: &FillOptions) -> Result<FillReport> {
    let input = q.path.as_path();
    let doc = match sp::load(bytes) {
        Ok(Some(d)) => d,
        Ok(None) => return Err(Error::not_a_spreadsheet(input, sp::PdfKind::Encrypted.describe())),
        Err(e) => return Err(Error::corrupt(input, format!("it starts like a PDF but cannot be read as one: {e}"))),
    };
    let (output, format_note) = super::with_required_extension(out, "pdf", "a PDF form", "a PDF viewer");
    check_output(input, &output)?;
    let mut report = FillReport { output: output.clone(), written: 0, comments_written: 0, skipped: Vec::new(), notes: Vec::new(), format_note, also_written: Vec::new() };
    let fields: BTreeMap<String, Field> = sp::fields(&doc).into_iter().map(|f| (f.name.clone(), f)).collect();
    let mut pages: Option<Vec<text::PageText>> = None;
    // Object → the entries to set (a `None` value removes the key).
    let mut edits: BTreeMap<ObjectId, Vec<(&'static [u8], Option<Object>)>> = BTreeMap::new();
    for rq in &review.questions {
        let question = &rq.question;
        if blank(&rq.answer) && blank(&rq.comment) {
            continue;
        }
        if rq.comment.as_deref().is_some_and(|c| !c.trim().is_empty()) {
            report.skipped.push(skip(question, Part::Comment, question.answer_cell.clone(), "a PDF form has no comment field for this question; the comment is in the review and the summary".into()));
        }
        let Some(answer) = rq.answer.as_deref().map(str::trim).filter(|a| !a.is_empty()) else { continue };
        let planned = if !opts.overwrite_answered && question.is_answered() {
            Err(format!("already answered in the form (\"{}\"); kept (fill with overwrite to replace it)", shorten(&question.answer, 60)))
        } else {
            match question.answer_cell.as_deref().and_then(|n| fields.get(n)) {
                None => Err(format!("the form has no field named \"{}\"; it was made for another version of the form: read it again", question.answer_cell.as_deref().unwrap_or(""))),
                Some(f) => plan(&doc, f, answer, &mut pages),
            }
        };
        match planned {
            Ok(changes) => {
                for (id, sets) in changes {
                    edits.entry(id).or_default().extend(sets);
                }
                report.written += 1;
            }
            Err(reason) => report.skipped.push(skip(question, Part::Answer, question.answer_cell.clone(), reason)),
        }
    }
    let updated = update(bytes, doc, edits).map_err(|e| Error::corrupt(input, format!("the filled form could not be written: {e}")))?;
    if !updated.starts_with(bytes) {
        return Err(Error::invalid("fill.pdf.update_changed_original", format!("{}: the incremental update did not keep the original bytes; nothing written", input.display())));
    }
    crate::atomic::write_bytes(&output, &updated)?;
    report.notes.push("the answers were appended to the form as an incremental update: the original bytes are unchanged, and viewers draw the new values (NeedAppearances)".into());
    Ok(report)
}

/// A PDF text string for `s`: hexadecimal, UTF-16BE with its byte order mark unless plain ASCII;
/// control characters other than line breaks and tabs are left out.
pub fn pdf_text(s: &str) -> Object {
    let s: String = s.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t')).collect();
    let bytes = if s.chars().all(|c| c.is_ascii()) {
        s.into_bytes()
    } else {
        let mut b = vec![0xFE, 0xFF];
        b.extend(s.encode_utf16().flat_map(|u| u.to_be_bytes()));
        b
    };
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn name(s: &str) -> Object {
    Object::Name(s.as_bytes().to_vec())
}

type Changes = Vec<(ObjectId, Vec<(&'static [u8], Option<Object>)>)>;

/// The object changes that write `answer` into field `f`, or why it cannot be written.
fn plan(doc: &Document, f: &Field, answer: &str, pages: &mut Option<Vec<text::PageText>>) -> std::result::Result<Changes, String> {
    if f.read_only() {
        return Err("the field is read-only".into());
    }
    let Some(id) = f.id else { return Err("the field is not an indirect object, so it cannot be updated".into()) };
    let widget_ids: Vec<ObjectId> = f.widgets.iter().filter_map(|w| w.id).collect();
    match f.kind.as_str() {
        "Tx" => {
            if let Some(max) = f.max_len.filter(|m| answer.chars().count() > *m) {
                return Err(format!("the field takes at most {max} characters and the answer has {}", answer.chars().count()));
            }
            let mut changes: Changes = vec![(id, vec![(b"V", Some(pdf_text(answer)))])];
            for w in widget_ids {
                changes.push((w, vec![(b"AP", None)]));
            }
            Ok(changes)
        }
        "Btn" if f.is_push_button() => Err("the field is a push button".into()),
        "Btn" => {
            let state = if f.is_radio() || f.widgets.len() > 1 { choose_button(doc, f, answer, pages)? } else { check_box(f, answer)? };
            let mut changes: Changes = vec![(id, vec![(b"V", Some(name(&state)))])];
            for w in &f.widgets {
                let Some(wid) = w.id else { continue };
                let on = w.on_state.as_deref() == Some(state.as_str());
                changes.push((wid, vec![(b"AS", Some(name(if on { &state } else { "Off" })))]));
            }
            Ok(changes)
        }
        "Ch" => {
            let fit = f.options.iter().find(|o| o.trim().eq_ignore_ascii_case(answer)).or_else(|| {
                let kind = classify(answer).filter(|k| *k != crate::answer::AnswerKind::Text)?;
                f.options.iter().find(|o| classify(o) == Some(kind))
            });
            let value = match fit {
                Some(o) => o.clone(),
                None if f.flags & FF_COMBO != 0 && f.flags & FF_EDIT != 0 => answer.to_string(),
                None => return Err(format!("no option of the list fits \"{}\" (options: {})", shorten(answer, 60), f.options.join(", "))),
            };
            let mut changes: Changes = vec![(id, vec![(b"V", Some(pdf_text(&value))), (b"I", None)])];
            for w in widget_ids {
                changes.push((w, vec![(b"AP", None)]));
            }
            Ok(changes)
        }
        other => Err(format!("a field of type {other} cannot take an answer")),
    }
}

/// A lone check box: its on-state for Yes, Off for No.
fn check_box(f: &Field, answer: &str) -> std::result::Result<String, String> {
    use crate::answer::AnswerKind;
    match classify(answer) {
        Some(AnswerKind::Yes) => Ok(f.widgets.iter().find_map(|w| w.on_state.clone()).unwrap_or_else(|| "Yes".into())),
        Some(AnswerKind::No) => Ok("Off".into()),
        _ => Err(format!("a check box is only ticked (Yes) or not (No); \"{}\" does not fit", shorten(answer, 60))),
    }
}

/// Radio buttons (or several boxes of one field): the state whose name or printed label means
/// the answer.
fn choose_button(doc: &Document, f: &Field, answer: &str, pages: &mut Option<Vec<text::PageText>>) -> std::result::Result<String, String> {
    let want = classify(answer).filter(|k| *k != crate::answer::AnswerKind::Text);
    let same = |label: &str| {
        let label = label.trim();
        !label.is_empty() && (label.eq_ignore_ascii_case(answer) || (want.is_some() && classify(label) == want))
    };
    let states: Vec<&str> = f.widgets.iter().filter_map(|w| w.on_state.as_deref()).collect();
    if let Some(s) = states.iter().find(|s| same(&sp::state_label(s))) {
        return Ok(s.to_string());
    }
    let pages = pages.get_or_insert_with(|| text::document_text(doc));
    for w in &f.widgets {
        if let (Some(state), Some(label)) = (&w.on_state, sp::label_right(pages, w)) {
            if same(&label) {
                return Ok(state.clone());
            }
        }
    }
    let labels: Vec<String> = f.widgets.iter().map(|w| sp::label_right(pages, w).unwrap_or_else(|| sp::state_label(w.on_state.as_deref().unwrap_or("?")))).collect();
    Err(format!("none of the buttons ({}) means \"{}\"", labels.join(", "), shorten(answer, 60)))
}

/// Appends the changed objects to `bytes` as an incremental update; sets NeedAppearances.
fn update(bytes: &[u8], doc: Document, edits: BTreeMap<ObjectId, Vec<(&'static [u8], Option<Object>)>>) -> std::result::Result<Vec<u8>, String> {
    // Where the form dictionary lives: its own object, or inside the catalog.
    let root = doc.trailer.get(b"Root").and_then(Object::as_reference).map_err(|e| e.to_string())?;
    let form_ref = doc.get_dictionary(root).ok().and_then(|c| c.get(b"AcroForm").ok()).and_then(|f| f.as_reference().ok());
    let mut inc = IncrementalDocument::create_from(bytes.to_vec(), doc);
    for (id, sets) in edits {
        inc.opt_clone_object_to_new_document(id).map_err(|e| e.to_string())?;
        let d = inc.new_document.get_dictionary_mut(id).map_err(|e| e.to_string())?;
        apply(d, sets);
    }
    let (form_id, inside_catalog) = match form_ref {
        Some(f) => (f, false),
        None => (root, true),
    };
    inc.opt_clone_object_to_new_document(form_id).map_err(|e| e.to_string())?;
    let d = inc.new_document.get_dictionary_mut(form_id).map_err(|e| e.to_string())?;
    let form = if inside_catalog { d.get_mut(b"AcroForm").and_then(Object::as_dict_mut).map_err(|e| e.to_string())? } else { d };
    form.set("NeedAppearances", Object::Boolean(true));
    let mut out = Vec::with_capacity(bytes.len() + 4096);
    inc.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

fn apply(d: &mut Dictionary, sets: Vec<(&'static [u8], Option<Object>)>) {
    for (key, value) in sets {
        match value {
            Some(v) => d.set(key, v),
            None => {
                d.remove(key);
            }
        }
    }
}

/// The response document paths for a flat PDF filled to `out`: (docx, xlsx).
pub fn response_paths(out: &Path) -> (PathBuf, PathBuf) {
    (out.with_extension("docx"), out.with_extension("xlsx"))
}

/// Where an export puts a flat PDF's response document: `<stem>.response.docx` in `folder`, or
/// `<stem> (2).response.docx` … so that neither it nor its .xlsx twin exists yet.
pub fn free_response_path(folder: &Path, stem: &str) -> PathBuf {
    let candidate = |n: usize| if n == 1 { folder.join(format!("{stem}.response.docx")) } else { folder.join(format!("{stem} ({n}).response.docx")) };
    (1..10_000).map(candidate).find(|p| !p.exists() && !p.with_extension("xlsx").exists()).unwrap_or_else(|| candidate(1))
}

/// Whether filling this questionnaire writes a response document (a flat PDF) rather than the
/// file itself.
pub fn writes_response(q: &Questionnaire) -> bool {
    q.format == crate::sheet::grid::Format::Pdf && !sp::is_form(q)
}
