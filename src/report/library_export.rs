//! Exporting library entries to a new workbook (rust_xlsxwriter) or a CSV file, atomically.
//! Text is always written as text: a comment starting with "=" stays a string in the xlsx, and
//! in CSV such cells get a leading apostrophe so spreadsheet programs do not run them.

use crate::library::Entry;
use crate::atomic::write_atomically;
use crate::error::{Error, Result};
use crate::report::sheet_style::{finish_table, text_format, write_header, write_text};
use rust_xlsxwriter::Workbook;
use std::path::Path;

const HEADERS: [(&str, f64); 13] = [
    ("ID", 6.0),
    ("Question", 60.0),
    ("Answer", 9.0),
    ("Answer as written", 30.0),
    ("Comment", 45.0),
    ("Domain", 22.0),
    ("Tags", 16.0),
    ("Owner", 16.0),
    ("Last reviewed", 13.0),
    ("Review by", 12.0),
    ("Status", 16.0),
    ("Sources", 40.0),
    ("Updated", 21.0),
];

fn row_values(e: &Entry) -> [String; 13] {
    let mut status = Vec::new();
    if e.stale {
        status.push("stale");
    }
    if e.conflict {
        status.push("conflict");
    }
    let sources: Vec<String> = e
        .provenance
        .iter()
        .map(|p| {
            let r = if p.reference.is_empty() { String::new() } else { format!(" {}", p.reference) };
            format!("{} / {} row {}{}", p.file, p.sheet, p.row, r)
        })
        .collect();
    [
        e.id.to_string(),
        e.question.clone(),
        e.answer.clone(),
        e.answer_raw.clone(),
        e.comment.clone(),
        e.domain.clone(),
        e.tags.join(", "),
        e.owner.clone(),
        e.last_reviewed.clone().unwrap_or_default(),
        e.review_by.clone(),
        status.join(", "),
        sources.join("; "),
        e.updated_at.clone(),
    ]
}

/// Writes the entries to `target` (.xlsx or .csv, by its extension).
pub fn export_entries(entries: &[Entry], target: &Path) -> Result<()> {
    let ext = target.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" => write_atomically(target, |tmp| write_xlsx(entries, tmp, target)),
        "csv" => write_atomically(target, |tmp| write_csv(entries, tmp, target)),
        _ => Err(Error::invalid("report.library_export.cannot_export_give_file", format!("cannot export to {}: give a file name ending in .xlsx or .csv", target.display()))),
    }
}

fn write_xlsx(entries: &[Entry], tmp: &Path, target: &Path) -> Result<()> {
    let xerr = |e: rust_xlsxwriter::XlsxError| Error::invalid("report.library_export.cannot_write", format!("cannot write {}: {e}", target.display()));
    let mut wb = Workbook::new();
    let wrap = text_format();
    let ws = wb.add_worksheet();
    ws.set_name("Answer library").map_err(xerr)?;
    write_header(ws, &HEADERS).map_err(xerr)?;
    for (i, e) in entries.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, v) in row_values(e).iter().enumerate() {
            if c == 0 {
                ws.write_number_with_format(r, 0, e.id as f64, &wrap).map_err(xerr)?;
            } else {
                write_text(ws, r, c as u16, v, &wrap).map_err(xerr)?;
            }
        }
    }
    finish_table(ws, entries.len(), HEADERS.len()).map_err(xerr)?;
    wb.save(tmp).map_err(xerr)?;
    Ok(())
}

fn write_csv(entries: &[Entry], tmp: &Path, target: &Path) -> Result<()> {
    let cerr = |e: csv::Error| Error::invalid("report.library_export.cannot_write", format!("cannot write {}: {e}", target.display()));
    let mut w = csv::Writer::from_path(tmp).map_err(cerr)?;
    w.write_record(HEADERS.iter().map(|(h, _)| *h)).map_err(cerr)?;
    for e in entries {
        w.write_record(row_values(e).iter().map(|v| defuse(v))).map_err(cerr)?;
    }
    w.flush().map_err(|e| Error::write(target, e))?;
    Ok(())
}

/// Spreadsheet programs run a CSV cell starting with = + - @ as a formula; a leading
/// apostrophe keeps it text (OWASP's advice for CSV injection).
fn defuse(v: &str) -> String {
    if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{v}")
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_in_csv() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("Yes"), "Yes");
    }

    #[test]
    fn unknown_extension_is_refused() {
        let err = export_entries(&[], Path::new("out.pdf")).unwrap_err().to_string();
        assert!(err.contains(".xlsx or .csv"), "{err}");
    }
}
