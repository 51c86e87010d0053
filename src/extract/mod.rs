//! Text extraction from evidence documents: reading the text out of a policy, a SOC 2 report or a certificate so the
//! library can index it and suggest it for questions. PDF through lopdf (already in the build
//! for the PDF reports), DOCX through zip + quick-xml (its text is `<w:t>` runs in
//! word/document.xml), XLSX/XLS/ODS through calamine, TXT/MD/CSV as text. Storing documents
//! and linking them to entries is the library's job (`library::evidence`).

use crate::error::{Error, Result};
use quick_xml::events::Event;
use std::io::Read;
use std::path::Path;

/// Files larger than this are refused before they are read: evidence is a document (a SOC 2
/// report, a policy, a certificate: a few MB; scanned reports rarely pass 50 MB), not a data
/// dump, and the library keeps a copy of each.
pub const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;
/// Text kept per document: enough to find what it is about.
pub const MAX_TEXT_CHARS: usize = 2_000_000;
/// Limit on any one decompressed PDF stream or DOCX part (zip bombs).
const MAX_PART_BYTES: usize = 64 * 1024 * 1024;

/// The kinds of evidence file Quire reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceKind {
    Pdf,
    Docx,
    Spreadsheet,
    Text,
}

impl EvidenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Pdf => "pdf",
            EvidenceKind::Docx => "docx",
            EvidenceKind::Spreadsheet => "spreadsheet",
            EvidenceKind::Text => "text",
        }
    }

    pub fn of(path: &Path) -> Result<EvidenceKind> {
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        match ext.as_str() {
            "pdf" => Ok(EvidenceKind::Pdf),
            "docx" => Ok(EvidenceKind::Docx),
            "xlsx" | "xlsm" | "xls" | "ods" => Ok(EvidenceKind::Spreadsheet),
            "txt" | "md" | "markdown" | "csv" | "text" => Ok(EvidenceKind::Text),
            other => Err(Error::invalid("extract.quire_cannot_read_evidence", format!(
                "{}: Quire cannot read evidence of type {:?}; supported: PDF, DOCX, XLSX/XLS/ODS, TXT, MD (save other documents as PDF)",
                path.display(),
                other
            ))),
        }
    }
}

/// The text of an evidence document, cleaned (runs of white space folded) and capped.
pub fn extract_text(path: &Path) -> Result<(EvidenceKind, String)> {
    let kind = EvidenceKind::of(path)?;
    let size = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
    if size > MAX_FILE_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            detail: format!("the file is {} MB; evidence documents up to {} MB are accepted (compress the PDF or split the document)", size >> 20, MAX_FILE_BYTES >> 20),
        });
    }
    let raw = match kind {
        EvidenceKind::Pdf => pdf_text(path)?,
        EvidenceKind::Docx => docx_text(path)?,
        EvidenceKind::Spreadsheet => sheet_text(path)?,
        EvidenceKind::Text => {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            if looks_binary(&bytes) {
                return Err(damaged(path, "it holds binary data, not text"));
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    Ok((kind, clean(&raw)))
}

/// A document that cannot be read. (`Error::Corrupt` advises re-saving from a spreadsheet
/// program, which is the wrong advice for a policy or a report.)
fn damaged(path: &Path, detail: impl std::fmt::Display) -> Error {
    Error::invalid("extract.document_damaged_name_says", format!(
        "{}: the document is damaged or not what its name says ({detail}); open it and save it again as PDF, DOCX or text, then add that copy",
        path.display()
    ))
}

/// Binary data named as text: NUL bytes, or many control bytes, at its start.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1a)).count();
    head.contains(&0) || controls * 20 > head.len().max(1)
}

fn clean(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len().min(MAX_TEXT_CHARS));
    let mut chars = 0;
    for line in raw.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            continue;
        }
        chars += line.chars().count() + 1;
        if chars > MAX_TEXT_CHARS {
            break;
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn pdf_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let doc = lopdf::Document::load_mem(&bytes).map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => Error::Encrypted { path: path.to_path_buf() },
        e => damaged(path, format!("not a readable PDF: {e}")),
    })?;
    if doc.is_encrypted() {
        return Err(Error::Encrypted { path: path.to_path_buf() });
    }
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let mut text = String::new();
    // Page by page, so one damaged page does not lose the rest.
    for chunk in doc.extract_text_chunks_with_limit(&pages, MAX_PART_BYTES) {
        if let Ok(t) = chunk {
            text.push_str(&t);
            text.push('\n');
        }
        if text.len() > MAX_TEXT_CHARS * 4 {
            break;
        }
    }
    if text.trim().is_empty() && !pages.is_empty() {
        return Err(Error::invalid("extract.pdf_page_but_text", format!(
            "{}: the PDF has {} page(s) but no text Quire can read (a scanned image?); add a text version or a PDF with a text layer",
            path.display(),
            pages.len()
        )));
    }
    Ok(text)
}

fn docx_text(path: &Path) -> Result<String> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| damaged(path, format!("not a DOCX (zip) file: {e}")))?;
    let mut part = zip.by_name("word/document.xml").map_err(|_| damaged(path, "no word/document.xml inside; is it a Word document?"))?;
    if part.size() > MAX_PART_BYTES as u64 {
        return Err(Error::TooLarge { path: path.to_path_buf(), detail: format!("word/document.xml inflates to {} MB", part.size() / 1_000_000) });
    }
    let mut xml = String::new();
    part.by_ref().take(MAX_PART_BYTES as u64).read_to_string(&mut xml).map_err(|e| damaged(path, format!("word/document.xml: {e}")))?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "t" => in_text = true,
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => out.push('\n'),
                _ => {}
            },
            Ok(Event::Empty(e)) if matches!(e.local_name().as_ref(), "tab" | "br") => out.push(' '),
            Ok(Event::Text(t)) if in_text => out.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r.xml10_content()) {
                    out.push_str(s);
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(damaged(path, format!("word/document.xml at byte {}: {e}", reader.buffer_position()))),
            _ => {}
        }
    }
    Ok(out)
}

fn sheet_text(path: &Path) -> Result<String> {
    let wb = crate::sheet::read::read_workbook(path)?;
    let mut out = String::new();
    for g in &wb.sheets {
        out.push_str(&g.name);
        out.push('\n');
        for row in &g.rows {
            let cells: Vec<&str> = row.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
            if !cells.is_empty() {
                out.push_str(&cells.join(" | "));
                out.push('\n');
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn docx(dir: &Path, body: &str) -> std::path::PathBuf {
        let p = dir.join("policy.docx");
        let f = std::fs::File::create(&p).unwrap();
        let mut z = zip::ZipWriter::new(f);
        z.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
        write!(z, r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#).unwrap();
        z.finish().unwrap();
        p
    }

    #[test]
    fn docx_paragraphs_and_entities() {
        let dir = tempfile::tempdir().unwrap();
        let p = docx(dir.path(), "<w:p><w:r><w:t>Encryption &amp; Key</w:t></w:r><w:r><w:t xml:space=\"preserve\"> Management Policy</w:t></w:r></w:p><w:p><w:r><w:t>Data at rest uses AES-256 &#8212; always.</w:t></w:r></w:p>");
        let (kind, text) = extract_text(&p).unwrap();
        assert_eq!(kind, EvidenceKind::Docx);
        assert_eq!(text, "Encryption & Key Management Policy\nData at rest uses AES-256 — always.\n");
    }

    #[test]
    fn unsupported_and_damaged_files_are_explained() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("scan.png");
        std::fs::write(&p, b"\x89PNG").unwrap();
        assert!(extract_text(&p).unwrap_err().to_string().contains("save other documents as PDF"));
        let p = dir.path().join("report.pdf");
        std::fs::write(&p, b"%PDF-1.7 this is not really a pdf").unwrap();
        assert!(extract_text(&p).unwrap_err().to_string().contains("not a readable PDF"));
        let p = dir.path().join("policy.docx");
        std::fs::write(&p, b"plain text renamed").unwrap();
        assert!(extract_text(&p).unwrap_err().to_string().contains("not a DOCX"));
        let p = dir.path().join("notes.txt");
        std::fs::write(&p, [0u8; 4096]).unwrap();
        assert!(extract_text(&p).unwrap_err().to_string().contains("binary data"));
    }

    #[test]
    fn a_file_over_the_cap_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("huge.pdf");
        let f = std::fs::File::create(&p).unwrap();
        f.set_len(MAX_FILE_BYTES + 1).unwrap(); // sparse: no disk used
        let e = extract_text(&p).unwrap_err().to_string();
        assert!(e.contains("up to 100 MB"), "{e}");
    }

    #[test]
    fn text_is_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("notes.md");
        std::fs::write(&p, "# Backup  policy\n\n\n  Daily   snapshots\r\n").unwrap();
        assert_eq!(extract_text(&p).unwrap().1, "# Backup policy\nDaily snapshots\n");
    }
}
