//! The response document of a questionnaire that has no answer places (a flat PDF): the
//! questions in the customer's numbering with their answers and comments, as a Word document
//! (.docx: a title, a line saying what it answers, and one table Ref | Question | Answer |
//! Comments | Page) and the same as a workbook (.xlsx, one sheet "Responses"). Both are
//! written beside each other from the one output name (`x.docx` and `x.xlsx`), each atomically.
//!
//! The .docx is a minimal WordprocessingML package built here (content types, relationships,
//! the document part): Word and LibreOffice open it, and Quire reads its table back as a
//! questionnaire (Ref / Question / Answer / Comments are header words the detector knows), so
//! a response document can be imported into the library like any answered questionnaire.
//! Text is XML-escaped and characters XML cannot carry are left out; in the workbook every
//! value is written as a string, never as a formula.

use super::{FillReport, MAX_CELL_CHARS};
use crate::error::{Error, Result};
use crate::review::Review;
use crate::sheet::pdf::flat::page_number;
use crate::sheet::Questionnaire;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};
use std::io::Write;
use std::path::Path;

/// Writes the response documents for `q` at `out` (its extension is replaced by .docx and
/// .xlsx); the report names the .docx as the output and the .xlsx as also written.
pub(super) fn write(q: &Questionnaire, review: &Review, out: &Path) -> Result<FillReport> {
    let (docx, xlsx) = super::pdf::response_paths(out);
    super::check_output(&q.path, &docx)?;
    super::check_output(&q.path, &xlsx)?;
    let rows = rows(review);
    let bytes = docx_bytes(&q.file, &rows).map_err(|e| Error::invalid("fill.response.cannot_write", format!("cannot write {}: {e}", docx.display())))?;
    crate::atomic::write_bytes(&docx, &bytes)?;
    write_xlsx(&xlsx, &q.file, &rows)?;
    let written = rows.iter().filter(|r| !r.answer.is_empty()).count();
    let comments_written = rows.iter().filter(|r| !r.comment.is_empty()).count();
    let mut notes = vec![format!(
        "{} is a flat PDF: it has no places to write answers into, so the answers were written to a response document ({}) and the same as a workbook ({}), in the questionnaire's numbering",
        q.file,
        docx.display(),
        xlsx.display()
    )];
    if rows.iter().any(|r| r.cut) {
        notes.push(format!("answers or comments longer than {MAX_CELL_CHARS} characters were cut there in the workbook (Excel's limit); the Word document has them whole"));
    }
    let format_note = (out.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()).as_deref() != Some("docx")).then(|| format!("a flat PDF is answered in a response document, so the output was written as {} and {}", docx.display(), xlsx.display()));
    Ok(FillReport { output: docx, written, comments_written, skipped: Vec::new(), notes, format_note, also_written: vec![xlsx] })
}

struct Row {
    reference: String,
    question: String,
    answer: String,
    comment: String,
    page: String,
    cut: bool,
}

fn rows(review: &Review) -> Vec<Row> {
    review
        .questions
        .iter()
        .map(|rq| {
            let q = &rq.question;
            let answer = rq.answer.clone().unwrap_or_default().trim().to_string();
            let comment = rq.comment.clone().unwrap_or_default().trim().to_string();
            let cut = answer.chars().count() > MAX_CELL_CHARS || comment.chars().count() > MAX_CELL_CHARS;
            Row { reference: q.reference.clone(), question: q.text.clone(), answer, comment, page: page_number(&q.sheet).map(|p| p.to_string()).unwrap_or_default(), cut }
        })
        .collect()
}

/// XML text: escaped, without the characters XML 1.0 cannot carry.
fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Runs for a text: line breaks become `w:br`, tabs `w:tab`.
fn runs(text: &str, bold: bool) -> String {
    let rpr = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
    let mut out = String::new();
    for (i, line) in text.replace("\r\n", "\n").replace('\r', "\n").split('\n').enumerate() {
        if i > 0 {
            out.push_str(&format!("<w:r>{rpr}<w:br/></w:r>"));
        }
        for (j, part) in line.split('\t').enumerate() {
            if j > 0 {
                out.push_str(&format!("<w:r>{rpr}<w:tab/></w:r>"));
            }
            if !part.is_empty() {
                out.push_str(&format!(r#"<w:r>{rpr}<w:t xml:space="preserve">{}</w:t></w:r>"#, xml_text(part)));
            }
        }
    }
    out
}

fn para(text: &str, bold: bool) -> String {
    format!("<w:p>{}</w:p>", runs(text, bold))
}

const WIDTHS: [u32; 5] = [900, 3700, 2300, 1900, 800];

fn row_xml(cells: [&str; 5], header: bool) -> String {
    let mut tr = String::from("<w:tr>");
    if header {
        tr.push_str("<w:trPr><w:tblHeader/></w:trPr>");
    }
    for (text, w) in cells.iter().zip(WIDTHS) {
        tr.push_str(&format!(r#"<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{}</w:tc>"#, para(text, header)));
    }
    tr.push_str("</w:tr>");
    tr
}

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn document_xml(file: &str, rows: &[Row]) -> String {
    let mut body = format!(r#"<w:p><w:pPr><w:spacing w:after="120"/></w:pPr>{}</w:p>"#, runs(&format!("Responses to {file}"), true).replace("<w:rPr><w:b/></w:rPr>", r#"<w:rPr><w:b/><w:sz w:val="32"/></w:rPr>"#));
    body.push_str(&para(&format!("The answers to the questionnaire {file}, question by question in its own numbering (Page: where the question is in the PDF)."), false));
    let grid: String = WIDTHS.iter().map(|w| format!(r#"<w:gridCol w:w="{w}"/>"#)).collect();
    let borders = r#"<w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:left w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:right w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="808080"/></w:tblBorders>"#;
    body.push_str(&format!(r#"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/>{borders}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"#));
    body.push_str(&row_xml(["Ref", "Question", "Answer", "Comments", "Page"], true));
    for r in rows {
        body.push_str(&row_xml([&r.reference, &r.question, &r.answer, &r.comment, &r.page], false));
    }
    body.push_str("</w:tbl><w:p/>");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W_NS}"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    )
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

fn docx_bytes(file: &str, rows: &[Row]) -> std::result::Result<Vec<u8>, String> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in [("[Content_Types].xml", CONTENT_TYPES.to_string()), ("_rels/.rels", RELS.to_string()), ("word/document.xml", document_xml(file, rows))] {
        zip.start_file(name, opts).map_err(|e| e.to_string())?;
        zip.write_all(data.as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
}

fn cut(s: &str) -> &str {
    match s.char_indices().nth(MAX_CELL_CHARS) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}

fn write_xlsx(path: &Path, file: &str, rows: &[Row]) -> Result<()> {
    crate::atomic::write_atomically(path, |tmp| {
        let xerr = |e: XlsxError| Error::invalid("fill.response.cannot_write", format!("cannot write {}: {e}", path.display()));
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let build = |ws: &mut rust_xlsxwriter::Worksheet| -> std::result::Result<(), XlsxError> {
            ws.set_name("Responses")?;
            let bold = Format::new().set_bold();
            let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
            for (c, (h, w)) in ["Ref", "Question", "Answer", "Comments", "Page"].iter().zip([10.0, 60.0, 40.0, 40.0, 8.0]).enumerate() {
                ws.write_string_with_format(0, c as u16, *h, &bold)?;
                ws.set_column_width(c as u16, w)?;
            }
            ws.set_freeze_panes(1, 0)?;
            for (i, r) in rows.iter().enumerate() {
                let row = i as u32 + 1;
                for (c, v) in [&r.reference, &r.question, &r.answer, &r.comment, &r.page].iter().enumerate() {
                    if !v.is_empty() {
                        ws.write_string_with_format(row, c as u16, cut(v), &wrap)?;
                    }
                }
            }
            Ok(())
        };
        build(ws).map_err(xerr)?;
        wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_title(format!("Responses to {file}")));
        wb.save(tmp).map_err(xerr)
    })
}
