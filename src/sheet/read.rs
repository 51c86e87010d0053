//! Opening a questionnaire file: decide its real format from its bytes (not its name), refuse
//! what is not a spreadsheet, encrypted, damaged or a zip bomb with a message that says so, and
//! turn the sheets into grids (calamine for xlsx/xlsm/xls/ods; `text` for CSV/TSV; `vsaq` for
//! VSAQ JSON). xlsx is read cell by cell so a huge sheet stops at the row limit instead of
//! filling memory.

use crate::error::{Error, Result};
use crate::sheet::grid::{Format, Grid, Workbook, MAX_COLS, MAX_ROWS};
use crate::ooxml::sheet_parts;
use crate::sheet::{delimited, vsaq};
use calamine::{Data, DataRef, Dimensions, Reader, SheetType, SheetVisible};
use std::io::{Cursor, Read, Seek};
use std::path::Path;

/// Files larger than this are refused before reading (real questionnaires are a few MB).
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;
/// Cells visited per sheet before reading stops (bounds time on sheets of huge rows).
pub const MAX_VISITED_CELLS: usize = 2_000_000;
/// A worksheet whose XML inflates beyond this is not read at all.
pub const MAX_SHEET_XML_BYTES: u64 = 256 * 1024 * 1024;
/// Shared strings are loaded whole by the reader, so they get a tighter limit.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 150 * 1024 * 1024;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY_MAGIC: &[u8] = b"PK\x05\x06";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads any supported questionnaire file into grids.
pub fn read_workbook(path: &Path) -> Result<Workbook> {
    let bytes = read_file(path)?;
    let sha256 = sha256_hex(&bytes);
    let mut wb = read_bytes(path, bytes)?;
    wb.sha256 = sha256;
    Ok(wb)
}

/// A questionnaire file's bytes, after refusing folders, empty files and files over the limit.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(Error::not_a_spreadsheet(path, "it is a folder"));
    }
    if meta.len() == 0 {
        return Err(Error::Empty { path: path.to_path_buf() });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            detail: format!(
                "the file is {} MB, over Quire's {} MB limit for a questionnaire; split it or remove sheets that are not questions",
                meta.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        });
    }
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

/// SHA-256 of some bytes as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a workbook from bytes. The parsers are third-party code fed untrusted files: a panic
/// inside one (a fuzzer found one in calamine on a reversed sheet dimension) becomes a
/// "damaged file" error for that file instead of taking Quire down.
pub(crate) fn read_bytes(path: &Path, bytes: Vec<u8>) -> Result<Workbook> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_bytes_unguarded(path, bytes))) {
        Ok(result) => result,
        Err(panic) => Err(Error::corrupt(path, format!("its structure made the reader fail: {}", panic_text(&panic)))),
    }
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_else(|| "unexpected structure".into())
}

fn read_bytes_unguarded(path: &Path, bytes: Vec<u8>) -> Result<Workbook> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();

    if bytes.starts_with(super::pdf::PDF_MAGIC) {
        return Err(super::pdf::refuse(path, &bytes));
    }
    let sheets = if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(ZIP_EMPTY_MAGIC) {
        return read_zip_workbook(path, bytes, &ext);
    } else if bytes.starts_with(CFB_MAGIC) {
        let word = matches!(ext.as_str(), "docx" | "docm" | "doc" | "dotx" | "dotm");
        if contains_utf16(&bytes, "EncryptedPackage") || contains_utf16(&bytes, "EncryptionInfo") {
            return Err(if word { Error::EncryptedDocument { path: path.to_path_buf() } } else { Error::Encrypted { path: path.to_path_buf() } });
        }
        if word || contains_utf16(&bytes, "WordDocument") {
            return Err(Error::not_a_spreadsheet(path, "it is a Word 97-2003 (.doc) document; open it in Word or LibreOffice and save it as .docx (File > Save As > Word Document)"));
        }
        let sheets = read_calamine(calamine::Xls::new(Cursor::new(bytes)).map_err(|e| xls_error(path, e))?)?;
        return finish(path, Format::Xls, sheets);
    } else if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods" | "xlsb") {
        let what = if looks_like_text(&bytes) { "it is plain text, not a workbook; if it holds comma-separated values, rename it to .csv" } else { "it does not start with a workbook signature" };
        return Err(Error::not_a_spreadsheet(path, format!("named .{ext}, but {what}")));
    } else if ext == "json" || starts_like_json(&bytes) {
        (Format::Vsaq, vec![vsaq::read_vsaq(path, &bytes)?])
    } else if matches!(ext.as_str(), "csv" | "tsv" | "tab" | "txt") {
        let fmt = if matches!(ext.as_str(), "tsv" | "tab") { Format::Tsv } else { Format::Csv };
        (fmt, vec![delimited::read_delimited(path, &bytes)?])
    } else {
        return Err(Error::not_a_spreadsheet(path, format!("unknown file type .{ext}")));
    };
    finish(path, sheets.0, sheets.1)
}

fn finish(path: &Path, format: Format, sheets: Vec<Grid>) -> Result<Workbook> {
    let broken: Vec<&Grid> = sheets.iter().filter(|g| g.broken.is_some()).collect();
    if !broken.is_empty() && sheets.iter().all(|g| g.broken.is_some() || g.is_empty()) {
        // Nothing readable but damaged sheets: the first one's error says what is wrong.
        let first = broken[0].broken.clone().unwrap_or_default();
        return Err(Error::corrupt(path, format!("no sheet could be read; {}", first.trim_start_matches(&format!("{}: ", path.display())))));
    }
    if sheets.is_empty() || sheets.iter().all(Grid::is_empty) {
        // Nothing readable: if that is because sheets were refused as too large, say so.
        let refused: Vec<String> = sheets.iter().filter_map(|g| g.truncated.as_ref().map(|t| format!("sheet \"{}\" {t}", g.name))).collect();
        if !refused.is_empty() {
            return Err(Error::TooLarge { path: path.to_path_buf(), detail: refused.join("; ") });
        }
        return Err(Error::Empty { path: path.to_path_buf() });
    }
    Ok(Workbook { format, sheets, sha256: String::new() })
}

fn read_zip_workbook(path: &Path, bytes: Vec<u8>, ext: &str) -> Result<Workbook> {
    let mut zip = crate::ooxml::open(path, &bytes)?;
    let names: Vec<String> = zip.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
    let is_ods = names.iter().any(|n| n == "content.xml")
        && zip.by_name("mimetype").ok().and_then(|mut f| {
            let mut s = String::new();
            f.read_to_string(&mut s).ok().map(|_| s)
        }).is_some_and(|m| m.contains("opendocument.spreadsheet"));
    if is_ods {
        let sheets = read_calamine(calamine::Ods::new(Cursor::new(bytes)).map_err(|e| ods_error(path, e))?)?;
        return finish(path, Format::Ods, sheets);
    }
    if !names.iter().any(|n| n == "xl/workbook.xml") {
        let detail = if names.iter().any(|n| n == "word/document.xml") {
            "it is a Word document".to_string()
        } else if names.iter().any(|n| n == "xl/workbook.bin") {
            "it is a binary .xlsb workbook; save it as .xlsx".to_string()
        } else if matches!(ext, "docx" | "docm" | "dotx" | "dotm") {
            format!("named .{ext}, but it is a zip archive without a Word document (word/document.xml) inside")
        } else {
            "it is a zip archive without a workbook inside".to_string()
        };
        return Err(Error::not_a_spreadsheet(path, detail));
    }
    // Zip-bomb guard: the shared-strings part is loaded whole when the workbook opens, so its
    // claimed inflated size is checked first. Worksheets are streamed and stop at the row and
    // cell limits, whatever they inflate to.
    if let Ok(f) = zip.by_name("xl/sharedStrings.xml") {
        if f.size() > MAX_SHARED_STRINGS_BYTES {
            return Err(Error::TooLarge {
                path: path.to_path_buf(),
                detail: format!("its text table inflates to {} MB (limit {} MB): a zip bomb or not a questionnaire; nothing was read", f.size() >> 20, MAX_SHARED_STRINGS_BYTES >> 20),
            });
        }
    }
    // Worksheets whose XML claims to inflate past the limit are not streamed at all: a sheet of
    // empty rows yields no cells, so no cell or row count would stop it.
    let oversized = oversized_sheets(&mut zip);
    let has_macros = names.iter().any(|n| n.ends_with("vbaProject.bin"));
    let format = if has_macros || ext == "xlsm" { Format::Xlsm } else { Format::Xlsx };
    let mut xlsx = calamine::Xlsx::new(Cursor::new(&bytes[..])).map_err(|e| xlsx_error(path, e))?;
    let sheets = read_xlsx_streaming(path, &mut xlsx, &oversized)?;
    finish(path, format, sheets)
}

fn read_xlsx_streaming<RS: Read + Seek>(path: &Path, xlsx: &mut calamine::Xlsx<RS>, oversized: &[(String, u64)]) -> Result<Vec<Grid>> {
    let metas = xlsx.sheets_metadata().to_vec();
    let mut out = Vec::new();
    for meta in metas {
        if meta.typ != SheetType::WorkSheet {
            continue;
        }
        let mut grid = Grid::new(meta.name.clone());
        grid.hidden = meta.visible != SheetVisible::Visible;
        if let Some((_, size)) = oversized.iter().find(|(n, _)| *n == meta.name) {
            grid.truncated = Some(format!(
                "not read: the sheet's XML inflates to {} MB (limit {} MB), a zip bomb or a data dump rather than a questionnaire",
                size >> 20,
                MAX_SHEET_XML_BYTES >> 20
            ));
            out.push(grid);
            continue;
        }
        // One damaged sheet does not cost the others: its error (or a panic of the parser on
        // it) becomes a note on that sheet, and the workbook is refused only when no sheet
        // could be read at all (`finish`).
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_xlsx_sheet(path, xlsx, &meta.name, &mut grid)));
        let failure = match read {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(panic) => Some(format!("{}: sheet \"{}\": its structure made the reader fail: {}", path.display(), meta.name, panic_text(&panic))),
        };
        if let Some(why) = failure {
            grid = Grid::new(meta.name.clone());
            grid.hidden = meta.visible != SheetVisible::Visible;
            grid.broken = Some(why);
            out.push(grid);
            continue;
        }
        if let Ok(regions) = xlsx.merge_cells_by_sheet_name(&meta.name) {
            spread_merged(&mut grid, &regions);
        }
        out.push(grid);
    }
    Ok(out)
}

/// Streams one worksheet's cells into `grid`, up to the row and cell limits.
fn read_xlsx_sheet<RS: Read + Seek>(path: &Path, xlsx: &mut calamine::Xlsx<RS>, name: &str, grid: &mut Grid) -> Result<()> {
    {
        let mut stopped_at = None;
        let mut wide = false;
        let mut visited = 0usize;
        {
            let mut cells = xlsx.worksheet_cells_reader(name).map_err(|e| xlsx_error(path, e).in_sheet(name))?;
            let declared_rows = cells.dimensions().end.0 as usize + 1;
            loop {
                let cell = match cells.next_cell() {
                    Ok(Some(c)) => c,
                    Ok(None) => break,
                    Err(e) => return Err(xlsx_error(path, e).in_sheet(name)),
                };
                let (r, c) = (cell.get_position().0 as usize, cell.get_position().1 as usize);
                visited += 1;
                if r >= MAX_ROWS || visited > MAX_VISITED_CELLS {
                    stopped_at = Some((r + 1, declared_rows.max(r + 1)));
                    break;
                }
                if c >= MAX_COLS {
                    wide = true;
                    continue;
                }
                let text = data_ref_text(cell.get_value());
                if !text.is_empty() {
                    grid.set(r, c, text);
                }
            }
        }
        let mut notes = Vec::new();
        if let Some((first, total)) = stopped_at {
            notes.push(format!(
                "rows {first}–{total} were not read: Quire reads at most {MAX_ROWS} rows and {MAX_VISITED_CELLS} cells per sheet"
            ));
        }
        if wide {
            notes.push(format!("columns after {} were not read", crate::sheet::grid::col_letter(MAX_COLS - 1)));
        }
        if !notes.is_empty() {
            grid.truncated = Some(notes.join("; "));
        }
    }
    Ok(())
}

/// Sheet names whose worksheet part claims an inflated size over the limit. The name → part
/// mapping comes from `xl/workbook.xml` (sheet name → relationship id) and
/// `xl/_rels/workbook.xml.rels` (id → target), since calamine does not expose it.
fn oversized_sheets<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Vec<(String, u64)> {
    let big: Vec<(String, u64)> = (0..zip.len())
        .filter_map(|i| zip.by_index_raw(i).ok().and_then(|f| Some((f.name().ok()?.into_owned(), f.size()))))
        .filter(|(n, size)| n.starts_with("xl/worksheets/") && *size > MAX_SHEET_XML_BYTES)
        .collect();
    if big.is_empty() {
        return Vec::new();
    }
    let read_part = |zip: &mut zip::ZipArchive<R>, name: &str| -> String {
        let mut s = String::new();
        if let Ok(f) = zip.by_name(name) {
            // These parts are small; cap the read anyway.
            let _ = f.take(8 << 20).read_to_string(&mut s);
        }
        s
    };
    let workbook = read_part(zip, "xl/workbook.xml");
    let rels = read_part(zip, "xl/_rels/workbook.xml.rels");
    let mut out = Vec::new();
    for (name, part) in sheet_parts(&workbook, &rels) {
        if let Some((_, size)) = big.iter().find(|(n, _)| *n == part) {
            out.push((name, *size));
        }
    }
    out
}

/// Generic calamine path for xls and ods (whole ranges; those formats are small by nature).
fn read_calamine<R: Reader<Cursor<Vec<u8>>>>(mut wb: R) -> Result<Vec<Grid>>
where
    R::Error: std::fmt::Display,
{
    let metas = wb.sheets_metadata().to_vec();
    let mut out = Vec::new();
    for meta in metas {
        if meta.typ != SheetType::WorkSheet {
            continue;
        }
        let mut grid = Grid::new(meta.name.clone());
        grid.hidden = meta.visible != SheetVisible::Visible;
        let range = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| wb.worksheet_range(&meta.name))) {
            Ok(Ok(range)) => range,
            Ok(Err(e)) => {
                grid.broken = Some(format!("sheet \"{}\": {e}", meta.name));
                out.push(grid);
                continue;
            }
            Err(panic) => {
                grid.broken = Some(format!("sheet \"{}\": its structure made the reader fail: {}", meta.name, panic_text(&panic)));
                out.push(grid);
                continue;
            }
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut skipped_rows = 0usize;
        for (r, row) in range.rows().enumerate() {
            let rr = r0 as usize + r;
            if rr >= MAX_ROWS {
                skipped_rows += 1;
                continue;
            }
            for (c, v) in row.iter().enumerate() {
                let text = data_text(v);
                if !text.is_empty() {
                    grid.set(rr, c0 as usize + c, text);
                }
            }
        }
        if skipped_rows > 0 {
            grid.truncated = Some(format!("{skipped_rows} rows after row {MAX_ROWS} were not read: Quire reads at most {MAX_ROWS} rows per sheet"));
        }
        out.push(grid);
    }
    Ok(out)
}

/// Merged cells: the value sits in the top-left cell. Vertically merged cells (a domain or
/// control ID spanning a group of rows) apply to every row they cover, so the value is copied
/// down the first column of the region. Horizontal spans are left alone: copying an answer
/// across into the comment column would invent a comment.
fn spread_merged(grid: &mut Grid, regions: &[Dimensions]) {
    for d in regions {
        let (r0, c0) = (d.start.0 as usize, d.start.1 as usize);
        let r1 = (d.end.0 as usize).min(MAX_ROWS - 1);
        if r1 <= r0 {
            continue;
        }
        let v = grid.cell(r0, c0).to_string();
        if v.is_empty() {
            continue;
        }
        for r in r0 + 1..=r1 {
            if grid.cell(r, c0).is_empty() {
                grid.set(r, c0, v.clone());
            }
        }
    }
}

fn data_ref_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(d) => excel_date_text(d.as_f64(), d.is_datetime()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        // An error value (#N/A from a lookup with nothing cached) carries no text.
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

fn data_text(v: &Data) -> String {
    match v {
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => excel_date_text(d.as_f64(), d.is_datetime()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// An Excel serial date as ISO 8601 (1900 date system; serial 1 = 1900-01-01).
fn excel_date_text(serial: f64, with_time: bool) -> String {
    let days = serial.floor() as i64;
    let base = time::macros::date!(1899 - 12 - 30);
    let Some(date) = base.checked_add(time::Duration::days(days)) else {
        return float_text(serial);
    };
    let secs = ((serial - serial.floor()) * 86_400.0).round() as i64;
    if with_time && secs > 0 {
        format!("{date} {:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    } else {
        date.to_string()
    }
}

fn contains_utf16(bytes: &[u8], needle: &str) -> bool {
    let pat: Vec<u8> = needle.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    bytes.windows(pat.len()).any(|w| w == pat.as_slice())
}

fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    std::str::from_utf8(head).is_ok() || head.iter().filter(|b| **b == 0).count() == 0
}

fn starts_like_json(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]);
    let t = head.trim_start_matches('\u{feff}').trim_start();
    t.starts_with('{') || t.starts_with("//")
}

fn xlsx_error(path: &Path, e: calamine::XlsxError) -> Error {
    use calamine::XlsxError as E;
    match e {
        E::Password => Error::Encrypted { path: path.to_path_buf() },
        E::Zip(z) => Error::corrupt(path, format!("a part of the zip container is unreadable: {z}")),
        E::Xml(x) => Error::corrupt(path, format!("malformed XML: {x}")),
        other => Error::corrupt(path, other.to_string()),
    }
}

fn xls_error(path: &Path, e: calamine::XlsError) -> Error {
    match e {
        calamine::XlsError::Password => Error::Encrypted { path: path.to_path_buf() },
        other => Error::corrupt(path, other.to_string()),
    }
}

fn ods_error(path: &Path, e: calamine::OdsError) -> Error {
    match e {
        calamine::OdsError::Password => Error::Encrypted { path: path.to_path_buf() },
        other => Error::corrupt(path, other.to_string()),
    }
}

impl Error {
    /// Adds the sheet name to a "damaged file" message.
    fn in_sheet(self, sheet: &str) -> Error {
        match self {
            Error::Corrupt { path, detail } => Error::Corrupt { path, detail: format!("sheet \"{sheet}\": {detail}") },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_dates() {
        assert_eq!(excel_date_text(44803.0, false), "2022-08-30");
        assert_eq!(excel_date_text(44803.5, true), "2022-08-30 12:00:00");
    }

    #[test]
    fn floats_print_like_a_spreadsheet() {
        assert_eq!(float_text(3.0), "3");
        assert_eq!(float_text(2.5), "2.5");
    }

    #[test]
    fn utf16_search() {
        let mut b = vec![0u8; 10];
        b.extend("EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert!(contains_utf16(&b, "EncryptedPackage"));
        assert!(!contains_utf16(&b, "EncryptionInfo"));
    }
}
