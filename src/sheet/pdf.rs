//! PDF questionnaires are not read yet (issue 19 leaves them for later). A PDF is recognised
//! anyway, so the refusal says which kind it is and what to do: a fillable form (AcroForm, with
//! its field count), a flat PDF with text, or a scan without a text layer (which needs OCR
//! before any tool can read its questions), or an encrypted one.

use crate::error::Error;
use std::path::Path;

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
            PdfKind::Form { fields } => format!("it is a fillable PDF form (AcroForm, {fields} fields); Quire does not read PDF questionnaires yet: ask the customer for the Word or Excel version, or fill the form in a PDF editor"),
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
