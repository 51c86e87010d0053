//! Filling a Word questionnaire in place: the output is the customer's own .docx (or .docm),
//! with the answers written into the answer places `sheet::docx` found, and nothing else
//! changed. Every zip entry but `word/document.xml` is copied raw (`ooxml::write_zip`); in
//! the document part, new XML is spliced in at the answer places' byte spans and every other
//! byte is copied as it was, so headers, footers, comments, tracked changes, fields, section
//! breaks and macros come through untouched.
//!
//! What goes where:
//! * check boxes (content controls, legacy form fields, ☐/☒ text): the box whose label means
//!   the answer (Yes / No / N/A / Partial) is ticked and the others cleared;
//! * a text content control: its runs are replaced by one run with the answer, keeping the
//!   control's run formatting, and it stops showing its placeholder (`w:showingPlcHdr` goes);
//! * a placeholder paragraph ("[Response]", "Click or tap here…", after a "Response:" label):
//!   the placeholder's runs are replaced by one run with the answer in the first one's
//!   formatting (a "Placeholder Text" character style is dropped);
//! * an empty paragraph (or cell): a run in the paragraph mark's formatting is added.
//!
//! Text is written as `w:t` text, escaped; line breaks and tabs become `w:br` / `w:tab`;
//! characters XML cannot carry are left out. Nothing written can become a field or a macro.

use crate::ooxml::write_zip;
use super::{blank, check_output, skip, Field, FillOptions, FillReport};
use crate::display::shorten;
use crate::answer::{classify, AnswerKind};
use crate::error::Result;
use crate::review::Review;
use crate::sheet::docx::model::{Body, CheckKind, Para, Span, VMerge};
use crate::sheet::docx::{self, answer_text, is_placeholder, paragraph_index, strip_label, table_index, DOCUMENT, PARAGRAPHS};
use crate::sheet::grid::col_index;
use crate::sheet::Questionnaire;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One splice into the document part: bytes `span` become `text`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edit {
    span: Span,
    text: String,
}

/// Labels a comment paragraph may start with.
const COMMENT_LABELS: &[&str] = &["comment", "comments", "explanation", "additional information", "notes", "details", "evidence"];
const ANSWER_LABELS: &[&str] = &["response", "answer", "vendor response", "vendor answer", "reply", "your response", "your answer", "supplier response"];

/// Writes the review's answers and comments into a copy of the Word document at `out`.
pub(super) fn fill_document(q: &Questionnaire, bytes: &[u8], review: &Review, out: &Path, opts: &FillOptions) -> Result<FillReport> {
    let input = q.path.as_path();
    let doc = docx::open(input, bytes)?;
    let (output, format_note) = output_name(out, &doc.content_type);
    check_output(input, &output)?;
    let mut report = FillReport { output: output.clone(), written: 0, comments_written: 0, skipped: Vec::new(), notes: Vec::new(), format_note, also_written: Vec::new() };
    let overwrite = opts.overwrite_answered;
    // Each claim: the question's index, the field, and its edits (applied only if they do not
    // collide with an earlier claim's).
    let mut claims: Vec<(usize, Field, Vec<Edit>)> = Vec::new();
    for (i, rq) in review.questions.iter().enumerate() {
        let question = &rq.question;
        if blank(&rq.answer) && blank(&rq.comment) {
            continue;
        }
        if let Some(answer) = rq.answer.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            let planned = if !overwrite && question.is_answered() {
                Err(format!("already answered in the document (\"{}\"); kept (fill with overwrite to replace it)", question.answer))
            } else {
                match question.answer_cell.as_deref() {
                    None => Err(format!("{} has no answer place Quire could find; nothing written", where_is(question))),
                    Some(cell) => locate(&doc.body, &question.sheet, cell).and_then(|p| plan_answer(p, answer, overwrite)),
                }
            };
            match planned {
                Ok(edits) => claims.push((i, Field::Answer, edits)),
                Err(reason) => report.skipped.push(skip(question, Field::Answer, question.answer_cell.clone(), reason)),
            }
        }
        if let Some(comment) = rq.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            let planned = match question.comment_cell.as_deref() {
                None => Err("the document has no comment place for this question; comment not written".to_string()),
                Some(_) if !overwrite && !question.comment.trim().is_empty() => Err("the document already has a comment here; kept (fill with overwrite to replace it)".to_string()),
                Some(cell) => locate(&doc.body, &question.sheet, cell).and_then(|p| plan_text(p, comment, COMMENT_LABELS, overwrite)),
            };
            match planned {
                Ok(edits) => claims.push((i, Field::Comment, edits)),
                Err(reason) => report.skipped.push(skip(question, Field::Comment, question.comment_cell.clone(), reason)),
            }
        }
    }
    // Two questions sharing one place (a merged answer cell) cannot both write there.
    let mut taken: Vec<Span> = Vec::new();
    let mut edits: Vec<Edit> = Vec::new();
    for (i, field, planned) in claims {
        let question = &review.questions[i].question;
        let collides = planned.iter().any(|e| taken.iter().any(|t| overlaps(*t, e.span)));
        if collides {
            let cell = if field == Field::Answer { question.answer_cell.clone() } else { question.comment_cell.clone() };
            report.skipped.push(skip(question, field, cell, "another question's answer already went into this place".into()));
            continue;
        }
        taken.extend(planned.iter().map(|e| e.span));
        edits.extend(planned);
        match field {
            Field::Answer => report.written += 1,
            Field::Comment => report.comments_written += 1,
        }
    }
    edits.sort();
    let mut xml = String::with_capacity(doc.xml.len() + edits.iter().map(|e| e.text.len()).sum::<usize>());
    xml.push_str(doc.bom);
    let mut copied = 0;
    for e in &edits {
        xml.push_str(&doc.xml[copied..e.span.0]);
        xml.push_str(&e.text);
        copied = e.span.1;
    }
    xml.push_str(&doc.xml[copied..]);
    let mut replaced = BTreeMap::new();
    if !edits.is_empty() {
        replaced.insert(DOCUMENT.to_string(), xml);
    }
    let mut zip = crate::ooxml::open(input, bytes)?;
    crate::atomic::write_atomically(&output, |tmp| write_zip(&mut zip, input, tmp, &replaced, &BTreeSet::new()))?;
    Ok(report)
}

fn where_is(q: &crate::sheet::model::Question) -> String {
    if q.sheet == PARAGRAPHS {
        format!("the question in paragraph {}", q.row)
    } else {
        format!("{} row {}", q.sheet, q.row)
    }
}

/// Whether two splices touch the same bytes; an insertion collides with a splice around it
/// and with another insertion at the same point.
fn overlaps(a: Span, b: Span) -> bool {
    match (a.0 == a.1, b.0 == b.1) {
        (true, true) => a.0 == b.0,
        (true, false) => b.0 < a.0 && a.0 < b.1,
        (false, true) => a.0 < b.0 && b.0 < a.1,
        (false, false) => a.0 < b.1 && b.0 < a.1,
    }
}

/// The paragraph an answer place names: "P13" in the body's paragraphs, or "C4" in a table.
fn locate<'b>(body: &'b Body, sheet: &str, cell: &str) -> std::result::Result<&'b Para, String> {
    let stale = || format!("{sheet} {cell} is not in the document; the answers were made for another version of it: read the questionnaire again");
    if sheet == PARAGRAPHS {
        return paragraph_index(cell).and_then(|i| body.paragraphs.get(i)).ok_or_else(stale);
    }
    let table = table_index(sheet).and_then(|t| body.tables.get(t)).ok_or_else(stale)?;
    let split = cell.find(|c: char| c.is_ascii_digit()).ok_or_else(stale)?;
    let col = col_index(&cell[..split]).ok_or_else(stale)?;
    let row: usize = cell[split..].parse().map_err(|_| stale())?;
    let c = table.rows.get(row.wrapping_sub(1)).and_then(|r| r.cell_at(col)).ok_or_else(stale)?;
    if c.vmerge == Some(VMerge::Continue) {
        return Err(format!("{sheet} {cell} is merged with the cell above; nothing written"));
    }
    if c.grid_col != col {
        return Err(format!("{sheet} {cell} is merged with the cell to its left; nothing written"));
    }
    let direct: Vec<&Para> = c.paras.iter().filter(|p| !p.nested).collect();
    direct
        .iter()
        .find(|p| !p.checks.is_empty())
        .or_else(|| direct.iter().find(|p| !p.controls.is_empty()))
        .or_else(|| direct.iter().find(|p| is_placeholder(&p.text)))
        .or_else(|| direct.iter().find(|p| p.text.trim().is_empty()))
        .or_else(|| direct.first())
        .copied()
        .ok_or_else(|| format!("{sheet} {cell} has no paragraph to write into"))
}

/// The edits that put `answer` into paragraph `p`: a ticked box, or text.
fn plan_answer(p: &Para, answer: &str, overwrite: bool) -> std::result::Result<Vec<Edit>, String> {
    if p.checks.is_empty() {
        return plan_text(p, answer, ANSWER_LABELS, overwrite);
    }
    let labels: Vec<&str> = p.checks.iter().map(|c| c.label.as_str()).collect();
    let kind = classify(answer).filter(|k| *k != AnswerKind::Text);
    let target = kind.and_then(|k| p.checks.iter().position(|c| classify(&c.label) == Some(k)));
    let Some(target) = target else {
        return Err(format!("the answer place offers check boxes ({}) and none stands for \"{}\"", labels.join(" / "), shorten(answer, 60)));
    };
    let mut edits = Vec::new();
    for (i, c) in p.checks.iter().enumerate() {
        let on = i == target;
        if c.checked != on {
            edits.extend(set_check(&c.kind, on));
        }
    }
    Ok(edits)
}

fn set_check(kind: &CheckKind, on: bool) -> Vec<Edit> {
    let mut edits = Vec::new();
    match kind {
        CheckKind::Control { checked_el, insert_at, glyph, on: on_c, off: off_c, prefix } => {
            let el = format!("<{prefix}checked {prefix}val=\"{}\"/>", if on { 1 } else { 0 });
            edits.push(match checked_el {
                Some(span) => Edit { span: *span, text: el },
                None => Edit { span: (*insert_at, *insert_at), text: el },
            });
            if let Some(span) = glyph {
                edits.push(Edit { span: *span, text: (if on { *on_c } else { *off_c }).to_string() });
            }
        }
        CheckKind::Glyph { span } => edits.push(Edit { span: *span, text: (if on { '☒' } else { '☐' }).to_string() }),
        CheckKind::Legacy { checked_el, insert_at, prefix } => {
            let el = if on { format!("<{prefix}checked/>") } else { format!("<{prefix}checked {prefix}val=\"0\"/>") };
            edits.push(match checked_el {
                Some(span) => Edit { span: *span, text: el },
                None => Edit { span: (*insert_at, *insert_at), text: el },
            });
        }
    }
    edits
}

/// The edits that put `text` into paragraph `p`, keeping a leading label ("Response:").
fn plan_text(p: &Para, text: &str, labels: &[&str], overwrite: bool) -> std::result::Result<Vec<Edit>, String> {
    let w = p.prefix.as_str();
    if !p.checks.is_empty() {
        return Err("the place holds check boxes, not text; nothing written".into());
    }
    if let Some((idx, c)) = p.controls.iter().enumerate().find(|(_, c)| c.showing_placeholder() || c.text.trim().is_empty()).or_else(|| overwrite.then(|| p.controls.iter().enumerate().next()).flatten()) {
        let mut edits = Vec::new();
        if let Some(span) = c.placeholder_el {
            edits.push(Edit { span, text: String::new() });
        }
        let runs: Vec<_> = p.runs.iter().filter(|r| r.control == Some(idx)).collect();
        match runs.first() {
            Some(first) => {
                edits.push(Edit { span: first.span, text: run_xml(w, first.rpr.as_deref(), text) });
                edits.extend(runs[1..].iter().map(|r| Edit { span: r.span, text: String::new() }));
            }
            None => edits.push(Edit { span: (c.content.0, c.content.0), text: run_xml(w, c.rpr.as_deref(), text) }),
        }
        return Ok(edits);
    }
    if !p.controls.is_empty() {
        return Err("the content control here already holds text; kept (fill with overwrite to replace it)".into());
    }
    let existing = answer_text(p, labels);
    if !existing.is_empty() && !overwrite {
        return Err(format!("the place already holds text (\"{}\"); kept (fill with overwrite to replace it)", shorten(&existing, 60)));
    }
    let (labelled, rest) = strip_label(&p.text, labels);
    if rest.is_empty() {
        if p.self_closing {
            let open = p.open_tag.trim_end_matches("/>").trim_end();
            return Ok(vec![Edit { span: p.span, text: format!("{open}>{}</{w}p>", run_xml(w, p.mark_rpr.as_deref(), text)) }]);
        }
        // An empty paragraph, or a label with nothing after it: the answer follows (after a
        // space when the label does not end with one).
        let text = if labelled && !p.text.ends_with(char::is_whitespace) { format!(" {text}") } else { text.to_string() };
        return Ok(vec![Edit { span: (p.content_end, p.content_end), text: run_xml(w, p.mark_rpr.as_deref(), &text) }]);
    }
    // Replace the runs holding the placeholder (or, with overwrite, the old answer); a run that
    // also holds the label keeps it.
    let total = p.text.chars().count();
    let keep = total - rest.chars().count() - (p.text.chars().rev().take_while(|c| c.is_whitespace()).count());
    let mut at = 0usize;
    let mut edits = Vec::new();
    for r in &p.runs {
        let n = r.text.chars().count();
        let (start, end) = (at, at + n);
        at = end;
        if n == 0 || end <= keep {
            continue;
        }
        if edits.is_empty() {
            let kept: String = r.text.chars().take(keep.saturating_sub(start)).collect();
            edits.push(Edit { span: r.span, text: run_xml(w, r.rpr.as_deref(), &format!("{kept}{text}")) });
        } else {
            edits.push(Edit { span: r.span, text: String::new() });
        }
    }
    if edits.is_empty() {
        return Err("the answer place could not be found in the paragraph's runs; nothing written".into());
    }
    Ok(edits)
}

/// `<w:r>` with the given run properties (minus a placeholder style and tracked-change marks)
/// and the text.
fn run_xml(w: &str, rpr: Option<&str>, text: &str) -> String {
    let mut s = format!("<{w}r>");
    if let Some(props) = rpr.map(clean_rpr).filter(|r| !r.trim().is_empty()) {
        s.push_str(&format!("<{w}rPr>{props}</{w}rPr>"));
    }
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            s.push_str(&format!("<{w}br/>"));
        }
        for (j, part) in line.split('\t').enumerate() {
            if j > 0 {
                s.push_str(&format!("<{w}tab/>"));
            }
            if !part.is_empty() {
                s.push_str(&format!("<{w}t xml:space=\"preserve\">{}</{w}t>", escape(part)));
            }
        }
    }
    s.push_str(&format!("</{w}r>"));
    s
}

fn clean_rpr(rpr: &str) -> String {
    static RE: OnceLock<[Regex; 3]> = OnceLock::new();
    let res = RE.get_or_init(|| {
        [
            Regex::new(r#"<(\w+:)?rStyle\b[^>]*val="PlaceholderText"[^>]*/>"#).expect("static regex"),
            Regex::new(r#"(?s)<(\w+:)?rPrChange\b.*?</(\w+:)?rPrChange>"#).expect("static regex"),
            Regex::new(r#"<(\w+:)?(ins|del|moveFrom|moveTo)\b[^>]*/>"#).expect("static regex"),
        ]
    });
    let mut out = rpr.to_string();
    for re in res {
        out = re.replace_all(&out, "").into_owned();
    }
    out
}

/// Escapes text for `w:t`; characters XML 1.0 cannot carry are left out.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}


/// The output path with the extension Word requires for this kind of document.
fn output_name(out: &Path, content_type: &str) -> (PathBuf, Option<String>) {
    let (want, what) = if content_type.contains("template.macroEnabled") {
        ("dotm", "a macro-enabled template")
    } else if content_type.contains("macroEnabled") {
        ("docm", "a document with macros")
    } else if content_type.contains("wordprocessingml.template") {
        ("dotx", "a template")
    } else {
        ("docx", "a Word document")
    };
    super::with_required_extension(out, want, what, "Word")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_escaped_and_keep_formatting() {
        let r = run_xml("w:", Some(r#"<w:rStyle w:val="PlaceholderText"/><w:i/>"#), "a < b & c\nline\ttab");
        assert_eq!(r, r#"<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">a &lt; b &amp; c</w:t><w:br/><w:t xml:space="preserve">line</w:t><w:tab/><w:t xml:space="preserve">tab</w:t></w:r>"#);
        assert_eq!(escape("x\u{1}y"), "xy");
        assert_eq!(output_name(Path::new("o.docx"), "application/vnd.ms-word.document.macroEnabled.main+xml").0, PathBuf::from("o.docm"));
        assert!(overlaps((5, 5), (5, 5)) && overlaps((3, 8), (4, 4)) && !overlaps((3, 5), (5, 7)));
    }
}
