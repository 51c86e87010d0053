//! Delimited text (CSV, TSV, semicolon- or pipe-separated) into a [`Grid`].
//!
//! This module owns everything about text files: guessing the encoding (UTF-8 with or without
//! BOM, UTF-16 LE/BE with or without BOM, Windows-1252 as the fallback), refusing binary data,
//! guessing the delimiter and parsing the records with the `csv` crate. Blank lines are kept as
//! empty rows so that row numbers match what a spreadsheet program shows for the same file.

use std::borrow::Cow;
use std::path::Path;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::error::{Error, Result};
use crate::sheet::grid::{col_letter, Grid, MAX_CELL_CHARS, MAX_COLS, MAX_ROWS};
use crate::sheet::read::MAX_VISITED_CELLS;

/// How many leading bytes (and decoded characters) the encoding checks look at.
const SNIFF_BYTES: usize = 4096;
/// How many non-empty lines the delimiter guess looks at.
const SNIFF_LINES: usize = 20;
/// Most text the delimiter guess parses.
const SAMPLE_BYTES: usize = 256 * 1024;
/// Delimiters tried by the guess, in order of preference when two fit equally well.
const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];

/// Reads a delimited text file already loaded into `bytes`. `path` names the file in errors,
/// gives the grid its name (the file stem) and, through its extension, the delimiter for
/// `.tsv`/`.tab` files. An empty or whitespace-only file gives an empty grid.
pub fn read_delimited(path: &Path, bytes: &[u8]) -> Result<Grid> {
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let (text, notes) = decode(path, bytes)?;
    let text = text.trim_end_matches('\u{1a}'); // DOS end-of-file marker
    if text.trim().is_empty() {
        return Ok(Grid::new(name));
    }
    let delimiter = if has_tab_extension(path) { b'\t' } else { sniff_delimiter(text) };
    let mut grid = parse(text, delimiter, name);
    grid.notes.extend(notes);
    Ok(grid)
}

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

/// Decodes the file to text, or says why it is not text. The notes say what was assumed when
/// the file was not plain UTF-8, so that a person knows why accented letters may look wrong.
fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<(Cow<'a, str>, Vec<String>)> {
    let (text, notes) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (Cow::Borrowed(strict_utf8(path, rest, 3)?), Vec::new())
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(UTF_16LE, rest, 2)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(UTF_16BE, rest, 2)
    } else {
        decode_without_bom(path, bytes)?
    };
    check_control_chars(path, &text)?;
    Ok((text, notes))
}

/// No byte-order mark: UTF-16 recognised by its NUL bytes, then UTF-8, then line by line:
/// lines that are valid UTF-8 as UTF-8, the others as Windows-1252 (files pasted together from
/// several sources mix the two).
fn decode_without_bom<'a>(path: &Path, bytes: &'a [u8]) -> Result<(Cow<'a, str>, Vec<String>)> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let (even_nuls, odd_nuls) = count_nuls(head);
    if even_nuls + odd_nuls > 0 {
        return match utf16_without_bom(head.len() / 2, even_nuls, odd_nuls) {
            Some(encoding) => Ok(utf16(encoding, bytes, 0)),
            None => Err(encoding_error(
                path,
                format!(
                    "binary data: {} NUL bytes in the first {} that do not look like UTF-16",
                    even_nuls + odd_nuls,
                    describe_len(head.len())
                ),
            )),
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((Cow::Borrowed(text), Vec::new()));
    }
    Ok(mixed_utf8_and_1252(bytes))
}

/// Decodes line by line: UTF-8 where a line is valid UTF-8, Windows-1252 where it is not.
fn mixed_utf8_and_1252(bytes: &[u8]) -> (Cow<'static, str>, Vec<String>) {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
    let (mut lines, mut legacy, mut utf8_non_ascii) = (0usize, Vec::new(), 0usize);
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        lines += 1;
        match std::str::from_utf8(line) {
            Ok(t) => {
                utf8_non_ascii += usize::from(!t.is_ascii());
                out.push_str(t);
            }
            Err(_) => {
                legacy.push(lines);
                out.push_str(&WINDOWS_1252.decode_without_bom_handling(line).0);
            }
        }
    }
    let note = if utf8_non_ascii == 0 {
        "the text is not UTF-8: it was read as Windows-1252 (Western European); if accented letters look wrong, save the file as UTF-8 CSV".to_string()
    } else {
        let shown: Vec<String> = legacy.iter().take(8).map(|l| l.to_string()).collect();
        format!(
            "the file mixes encodings: {} of its {lines} lines are not UTF-8 and were read as Windows-1252 (line{} {}{}); check their accented letters, or save the file as UTF-8 CSV",
            legacy.len(),
            if legacy.len() == 1 { "" } else { "s" },
            shown.join(", "),
            if legacy.len() > shown.len() { ", …" } else { "" }
        )
    };
    (Cow::Owned(out), vec![note])
}

/// UTF-8 that was announced by a byte-order mark must be valid; `offset` is the BOM length.
fn strict_utf8<'a>(path: &Path, bytes: &'a [u8], offset: usize) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| {
        encoding_error(
            path,
            format!(
                "the file starts with a UTF-8 byte-order mark but byte {} is not valid UTF-8",
                e.valid_up_to() + offset + 1
            ),
        )
    })
}

/// Decodes UTF-16 (without its BOM, which was `offset` bytes); malformed pairs become U+FFFD
/// and are counted in a note. A file that was UTF-16 and had UTF-8 text appended (two exports
/// pasted together) is read in two parts instead of decoding the tail as nonsense characters.
fn utf16(encoding: &'static Encoding, bytes: &[u8], offset: usize) -> (Cow<'static, str>, Vec<String>) {
    let name = if encoding == UTF_16LE { "UTF-16 (little-endian)" } else { "UTF-16 (big-endian)" };
    let mut notes = vec![format!("the text is {name}")];
    let (head, tail) = match utf16_end(encoding, bytes) {
        Some(end) => bytes.split_at(end),
        None => (bytes, &[][..]),
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(head);
    let mut text = text.into_owned();
    if had_errors {
        let bad = text.chars().filter(|&c| c == '\u{fffd}').count();
        notes.push(format!("{bad} character(s) could not be decoded as {name} and show as \u{fffd}"));
    }
    if !tail.is_empty() {
        let lines_before = text.matches('\n').count();
        let (rest, _) = mixed_utf8_and_1252(tail);
        notes.push(format!(
            "the file switches from {name} to UTF-8 at byte {} (after line {lines_before}); the rest was read as UTF-8",
            head.len() + offset
        ));
        text.push_str(&rest);
    }
    (Cow::Owned(text), notes)
}

/// Where UTF-16 text ends when a file goes on in a one-byte encoding: after the last NUL byte
/// (mostly-ASCII UTF-16 has one in every code unit), when what follows is long, valid UTF-8,
/// mostly ASCII and has line breaks of its own (UTF-16 line breaks carry a NUL).
fn utf16_end(encoding: &'static Encoding, bytes: &[u8]) -> Option<usize> {
    let last_nul = bytes.iter().rposition(|&b| b == 0)?;
    // The NUL is the high byte: second in little-endian, first in big-endian.
    let end = if encoding == UTF_16LE { last_nul + 1 } else { last_nul + 2 };
    if end % 2 != 0 || end >= bytes.len() {
        return None;
    }
    let tail = &bytes[end..];
    let ascii = tail.iter().filter(|b| b.is_ascii()).count();
    (tail.len() >= 16 && tail.contains(&b'\n') && ascii * 10 >= tail.len() * 9 && std::str::from_utf8(tail).is_ok()).then_some(end)
}

/// NUL bytes at even and at odd offsets.
fn count_nuls(head: &[u8]) -> (usize, usize) {
    head.iter().enumerate().filter(|(_, b)| **b == 0).fold((0, 0), |(even, odd), (i, _)| {
        if i % 2 == 0 {
            (even + 1, odd)
        } else {
            (even, odd + 1)
        }
    })
}

/// Mostly-ASCII UTF-16 has a NUL in (nearly) every code unit, always on the same side:
/// the high byte, which comes second in little-endian and first in big-endian.
fn utf16_without_bom(units: usize, even_nuls: usize, odd_nuls: usize) -> Option<&'static Encoding> {
    let looks_like = |many: usize, few: usize| units > 0 && many * 4 >= units && few * 10 <= many;
    if looks_like(odd_nuls, even_nuls) {
        Some(UTF_16LE)
    } else if looks_like(even_nuls, odd_nuls) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Text has (almost) no control characters besides tab, line feed and carriage return;
/// binary data decoded as text has many.
fn check_control_chars(path: &Path, text: &str) -> Result<()> {
    let mut seen = 0usize;
    let mut controls = 0usize;
    let mut nuls = 0usize;
    for c in text.chars().take(SNIFF_BYTES) {
        seen += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{1a}') {
            controls += 1;
            nuls += usize::from(c == '\0');
        }
    }
    if controls >= 3 && controls * 20 > seen {
        let nul_note = if nuls > 0 { format!(", {nuls} of them NUL") } else { String::new() };
        return Err(encoding_error(
            path,
            format!("binary data: {controls} control characters{nul_note} in the first {seen} characters"),
        ));
    }
    Ok(())
}

fn encoding_error(path: &Path, detail: String) -> Error {
    Error::Encoding { path: path.to_path_buf(), detail }
}

fn describe_len(len: usize) -> String {
    if len == SNIFF_BYTES {
        "4 KiB".to_string()
    } else {
        format!("{len} bytes")
    }
}

// ---------------------------------------------------------------------------------------------
// Delimiter
// ---------------------------------------------------------------------------------------------

fn has_tab_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv") || e.eq_ignore_ascii_case("tab"))
}

/// Picks the candidate delimiter under which most of the first non-empty lines have the same
/// number of fields, that number being more than one. Comma when none fits.
fn sniff_delimiter(text: &str) -> u8 {
    let (sample, cut) = sample_lines(text, SNIFF_LINES);
    let mut best = (b',', 0usize);
    for &delimiter in &CANDIDATES {
        let score = consistency(sample, delimiter, cut);
        if score > best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

/// The text up to the end of its `n`th non-empty line (at most `SAMPLE_BYTES`), and whether that
/// cut anything off.
fn sample_lines(text: &str, n: usize) -> (&str, bool) {
    let mut non_empty = 0;
    let mut end = 0;
    for line in text.split_inclusive('\n') {
        end += line.len();
        if end > SAMPLE_BYTES {
            // One huge line (a whole file without line breaks): a prefix is enough to guess.
            let mut cut = SAMPLE_BYTES;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            return (&text[..cut], true);
        }
        if !line.trim().is_empty() {
            non_empty += 1;
            if non_empty == n {
                return (&text[..end], end < text.len());
            }
        }
    }
    (text, false)
}

/// How many records share the most common field count, 0 if that count is 1.
/// The csv parser does the splitting, so quoted delimiters and line breaks are handled.
fn consistency(sample: &str, delimiter: u8, cut: bool) -> usize {
    let mut reader = csv_reader(sample.as_bytes(), delimiter);
    let mut counts: Vec<usize> =
        reader.byte_records().map_while(|r| r.ok()).map(|r| r.len()).collect();
    if cut {
        counts.pop(); // may be a record cut in the middle of a quoted field
    }
    let mut tally: Vec<(usize, usize)> = Vec::new(); // (field count, records)
    for count in counts {
        match tally.iter_mut().find(|(c, _)| *c == count) {
            Some((_, n)) => *n += 1,
            None => tally.push((count, 1)),
        }
    }
    tally.into_iter().filter(|(c, _)| *c > 1).map(|(_, n)| n).max().unwrap_or(0)
}

fn csv_reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes)
}

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

/// Parses all records into a grid, keeping blank lines as empty rows and stopping at the limits.
///
/// Streams field by field (`csv_core`), so memory stays bounded by what the grid keeps: fields
/// past `MAX_COLS` are counted, not stored, a field is kept only up to `MAX_CELL_CHARS`, and
/// reading stops after `MAX_VISITED_CELLS` fields. (A 50 MB file of one line with 25 million
/// fields used to be held whole as one record: 1.2 GB.)
fn parse(text: &str, delimiter: u8, name: String) -> Grid {
    let bytes = text.as_bytes();
    let mut grid = Grid::new(name);
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    // The field being read, kept up to the cell limit; the reader writes through `chunk`.
    let cap = MAX_CELL_CHARS * 4; // bytes: the longest UTF-8 of MAX_CELL_CHARS characters
    let mut field: Vec<u8> = Vec::with_capacity(256);
    let mut chunk = vec![0u8; 64 * 1024];
    let mut field_cut = false;
    let (mut pos, mut row, mut col) = (0usize, 0usize, 0usize);
    let (mut wide_rows, mut row_is_wide, mut visited) = (0usize, false, 0usize);
    let mut record: Vec<String> = Vec::new();
    let mut record_start = true;
    // Records after the row limit are counted, not stored.
    let mut skipped_records = 0usize;
    let mut stop: Option<String> = None;
    loop {
        if record_start {
            // The reader skips blank lines before a record; each is an empty row.
            row = row.saturating_add(blank_lines_at(bytes, pos));
            record_start = false;
        }
        let (result, nin, nout) = reader.read_field(&bytes[pos..], &mut chunk);
        pos += nin;
        if row < MAX_ROWS && col < MAX_COLS {
            let room = cap.saturating_sub(field.len());
            field.extend_from_slice(&chunk[..nout.min(room)]);
            field_cut |= nout > room;
        }
        match result {
            csv_core::ReadFieldResult::InputEmpty | csv_core::ReadFieldResult::OutputFull => continue,
            csv_core::ReadFieldResult::End => break,
            csv_core::ReadFieldResult::Field { record_end } => {
                visited += 1;
                if row >= MAX_ROWS {
                    skipped_records += usize::from(record_end);
                } else if col < MAX_COLS {
                    let cell = String::from_utf8_lossy(&field).into_owned();
                    // `Grid::set` cuts and counts a cell over the limit; one of wide characters
                    // that the byte cap already cut is counted here.
                    grid.cut_cells += usize::from(field_cut && cell.chars().count() <= MAX_CELL_CHARS);
                    record.push(cell);
                } else {
                    row_is_wide = true;
                }
                field.clear();
                field_cut = false;
                col += 1;
                if record_end {
                    if row < MAX_ROWS {
                        store(&mut grid, row, &record);
                        wide_rows += usize::from(row_is_wide);
                    }
                    record.clear();
                    (row, col, row_is_wide, record_start) = (row + 1, 0, false, true);
                }
                if visited >= MAX_VISITED_CELLS {
                    if !record.is_empty() && row < MAX_ROWS {
                        store(&mut grid, row, &record);
                        wide_rows += usize::from(row_is_wide);
                    }
                    if pos < bytes.len() {
                        let line = bytes[..pos].iter().filter(|&&b| b == b'\n').count() + 1;
                        stop = Some(format!("reading stopped after {MAX_VISITED_CELLS} cells (Quire's limit per sheet): the rest of the file, from line {line}, was not read"));
                    }
                    break;
                }
            }
        }
    }
    if skipped_records > 0 {
        let rows_note = format!("rows after {MAX_ROWS} were not read ({skipped_records} more record{})", if skipped_records == 1 { "" } else { "s" });
        stop = Some(match stop {
            Some(s) => format!("{rows_note}; {s}"),
            None => rows_note,
        });
    }
    let mut parts: Vec<String> = stop.into_iter().collect();
    if wide_rows > 0 {
        parts.push(format!(
            "columns after {MAX_COLS} (past column {}) were not read on {wide_rows} row{}",
            col_letter(MAX_COLS - 1),
            if wide_rows == 1 { "" } else { "s" }
        ));
    }
    if !parts.is_empty() {
        grid.truncated = Some(parts.join("; "));
    }
    grid
}

/// Copies one record into grid row `row`; an all-empty record leaves the row empty.
fn store(grid: &mut Grid, row: usize, record: &[String]) {
    if record.iter().all(String::is_empty) {
        if grid.rows.len() <= row {
            grid.rows.resize_with(row + 1, Vec::new);
        }
        return;
    }
    for (col, field) in record.iter().enumerate().take(MAX_COLS) {
        grid.set(row, col, field.clone());
    }
}

/// How many empty lines start at byte `at`, the end of the previous record (or 0). A line feed
/// that completes the previous record's CR LF is not an empty line.
fn blank_lines_at(bytes: &[u8], at: usize) -> usize {
    let mut i = at;
    if i > 0 && bytes.get(i) == Some(&b'\n') && bytes.get(i - 1) == Some(&b'\r') {
        i += 1;
    }
    let mut blanks = 0;
    loop {
        match bytes.get(i) {
            Some(b'\r') if bytes.get(i + 1) == Some(&b'\n') => i += 2,
            Some(b'\r' | b'\n') => i += 1,
            _ => return blanks,
        }
        blanks += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str, bytes: &[u8]) -> Result<Grid> {
        read_delimited(Path::new(name), bytes)
    }

    fn rows(g: &Grid) -> Vec<Vec<&str>> {
        g.rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect()
    }

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
    }

    fn utf16be(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect()
    }

    const SAMPLE: &str = "ID,Question,Answer\n1,Do you encrypt data?,Yes\n2,\"Backups, offsite?\",No\n";

    fn assert_sample(g: &Grid) {
        assert_eq!(
            rows(g),
            vec![
                vec!["ID", "Question", "Answer"],
                vec!["1", "Do you encrypt data?", "Yes"],
                vec!["2", "Backups, offsite?", "No"],
            ]
        );
    }

    #[test]
    fn plain_utf8_and_name_from_stem() {
        let g = read("dir/vendor q.csv", SAMPLE.as_bytes()).unwrap();
        assert_eq!(g.name, "vendor q");
        assert!(!g.hidden);
        assert!(g.truncated.is_none());
        assert_sample(&g);
    }

    #[test]
    fn utf8_with_bom() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(SAMPLE.as_bytes());
        let g = read("q.csv", &bytes).unwrap();
        assert_sample(&g);
        assert_eq!(g.rows[0][0], "ID"); // no BOM left in the first cell
    }

    #[test]
    fn utf8_bom_with_invalid_bytes_is_an_encoding_error() {
        let err = read("q.csv", b"\xEF\xBB\xBFa,b\n\xFF,c\n").unwrap_err();
        assert!(matches!(err, Error::Encoding { .. }), "{err}");
        assert!(err.to_string().contains("byte 8"), "{err}");
    }

    #[test]
    fn utf16le_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(utf16le(SAMPLE));
        assert_sample(&read("q.csv", &bytes).unwrap());
    }

    #[test]
    fn utf16be_with_bom() {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(utf16be(SAMPLE));
        assert_sample(&read("q.csv", &bytes).unwrap());
    }

    #[test]
    fn utf16be_without_bom() {
        assert_sample(&read("q.csv", &utf16be(SAMPLE)).unwrap());
    }

    #[test]
    fn utf16le_without_bom_non_ascii() {
        let g = read("q.csv", &utf16le("Frage;Antwort\nVerschlüsselt?;Ja – immer\n")).unwrap();
        assert_eq!(rows(&g), vec![vec!["Frage", "Antwort"], vec!["Verschlüsselt?", "Ja – immer"]]);
    }

    #[test]
    fn windows_1252_fallback() {
        let bytes = b"Question,Answer\nCaf\xE9 policy,We don\x92t\n";
        let g = read("q.csv", bytes).unwrap();
        assert_eq!(rows(&g), vec![vec!["Question", "Answer"], vec!["Café policy", "We don’t"]]);
        assert!(g.notes.iter().any(|n| n.contains("read as Windows-1252")), "{:?}", g.notes);
    }

    #[test]
    fn mixed_utf8_and_windows_1252_lines_are_each_read_right_and_said() {
        // Issue 14: a file pasted together from a UTF-8 export and a Windows-1252 one was read
        // wholly as Windows-1252 ("FranÃ§ais") with no note.
        let bytes = "Question,Answer\nFrançais: données chiffrées?,Oui\n".as_bytes().iter().chain(b"Caf\xE9 policy,We don\x92t\n").copied().collect::<Vec<u8>>();
        let g = read("mixed.csv", &bytes).unwrap();
        assert_eq!(rows(&g), vec![vec!["Question", "Answer"], vec!["Français: données chiffrées?", "Oui"], vec!["Café policy", "We don’t"]]);
        assert!(g.notes.iter().any(|n| n.contains("mixes encodings") && n.contains("line 3")), "{:?}", g.notes);
    }

    #[test]
    fn utf16_with_a_utf8_tail_keeps_every_row_and_says_where_it_switched() {
        // Issue 14: the tail was decoded as UTF-16 nonsense and its rows were lost silently.
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(utf16le("ID,Question,Answer\nA-1,Is data encrypted at rest?,Yes\n"));
        bytes.extend_from_slice("A-2,Is MFA enforced for admins?,No\nA-3,Are logs kept for a year?,Yes\n".as_bytes());
        let g = read("mixed.csv", &bytes).unwrap();
        assert_eq!(g.rows.len(), 4, "{:?}", rows(&g));
        assert_eq!(g.cell(2, 1), "Is MFA enforced for admins?");
        assert_eq!(g.cell(3, 2), "Yes");
        assert!(g.notes.iter().any(|n| n.contains("switches from UTF-16") && n.contains("after line 2")), "{:?}", g.notes);
    }

    #[test]
    fn plain_utf8_needs_no_note() {
        let g = read("q.csv", "Question,Answer\nDonnées chiffrées ?,Oui\n".as_bytes()).unwrap();
        assert!(g.notes.is_empty(), "{:?}", g.notes);
    }

    #[test]
    fn semicolon_delimited_with_decimal_commas() {
        let text = "Nr;Frage;Gewicht\n1;Gibt es eine Richtlinie, die gilt?;0,5\n2;Backups;1,25\n3;MFA;2\n";
        let g = read("fragen.csv", text.as_bytes()).unwrap();
        assert_eq!(g.rows[1], vec!["1", "Gibt es eine Richtlinie, die gilt?", "0,5"]);
        assert_eq!(g.width(), 3);
    }

    #[test]
    fn pipe_delimited() {
        let g = read("q.txt", b"a|b|c\n1|2|3\n").unwrap();
        assert_eq!(rows(&g), vec![vec!["a", "b", "c"], vec!["1", "2", "3"]]);
    }

    #[test]
    fn tsv_by_extension_keeps_commas_in_cells() {
        let g = read("q.TSV", b"ID\tQuestion\n1\tA, B, and C?\n").unwrap();
        assert_eq!(rows(&g), vec![vec!["ID", "Question"], vec!["1", "A, B, and C?"]]);
    }

    #[test]
    fn tab_sniffed_without_extension() {
        let g = read("q.csv", b"ID\tQuestion\tAnswer\n1\tA, B?\tYes\n2\tC\tNo\n").unwrap();
        assert_eq!(g.rows[1], vec!["1", "A, B?", "Yes"]);
    }

    #[test]
    fn single_column_falls_back_to_comma() {
        let g = read("q.csv", b"just one column\nanother line\n").unwrap();
        assert_eq!(rows(&g), vec![vec!["just one column"], vec!["another line"]]);
    }

    #[test]
    fn quoted_newline_field_and_blank_lines_keep_row_numbers() {
        let text = "ID,Question\r\n1,\"First line\r\nsecond line\"\r\n\r\n3,\"x;y\"\r\n";
        let g = read("q.csv", text.as_bytes()).unwrap();
        assert_eq!(
            rows(&g),
            vec![
                vec!["ID", "Question"],
                vec!["1", "First line\r\nsecond line"],
                vec![],
                vec!["3", "x;y"],
            ]
        );
    }

    #[test]
    fn leading_blank_lines_are_empty_rows() {
        let g = read("q.csv", b"\n\na,b\n").unwrap();
        assert_eq!(rows(&g), vec![vec![], vec![], vec!["a", "b"]]);
    }

    #[test]
    fn empty_and_whitespace_only_files_give_empty_grids() {
        for bytes in [&b""[..], b"  \r\n\t\n", b"\xEF\xBB\xBF", b"\xFF\xFE"] {
            let g = read("empty.csv", bytes).unwrap();
            assert!(g.rows.is_empty() && g.is_empty());
            assert_eq!(g.name, "empty");
        }
    }

    #[test]
    fn binary_with_nul_bytes_is_an_encoding_error() {
        // Pseudo-random bytes (a PNG header and then noise): NULs everywhere, not UTF-16.
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        let mut x: u32 = 12345;
        for _ in 0..5000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            bytes.push((x >> 16) as u8);
        }
        let err = read("q.csv", &bytes).unwrap_err();
        assert!(matches!(err, Error::Encoding { .. }), "{err}");
        let msg = err.to_string();
        assert!(msg.contains("NUL bytes in the first 4 KiB that do not look like UTF-16"), "{msg}");
    }

    #[test]
    fn control_characters_are_an_encoding_error() {
        let bytes: Vec<u8> = (0..400u32).map(|i| if i % 4 == 0 { 0x01 } else { b'a' }).collect();
        let err = read("q.csv", &bytes).unwrap_err();
        assert!(matches!(err, Error::Encoding { .. }), "{err}");
        assert!(err.to_string().contains("100 control characters"), "{err}");
    }

    #[test]
    fn dos_eof_marker_is_ignored() {
        let g = read("q.csv", b"a,b\n1,2\n\x1a").unwrap();
        assert_eq!(rows(&g), vec![vec!["a", "b"], vec!["1", "2"]]);
    }

    #[test]
    fn row_limit_truncates_and_counts_the_rest() {
        let mut text = String::from("ID,Question\n");
        for i in 1..MAX_ROWS + 10 {
            text.push_str(&format!("{i},Question {i}\n"));
        }
        let g = read("big.csv", text.as_bytes()).unwrap();
        assert_eq!(g.rows.len(), MAX_ROWS);
        assert_eq!(g.cell(MAX_ROWS - 1, 0), (MAX_ROWS - 1).to_string());
        let note = g.truncated.unwrap();
        assert!(note.contains(&format!("rows after {MAX_ROWS} were not read (10 more records)")), "{note}");
    }

    #[test]
    fn column_limit_is_reported() {
        let wide: Vec<String> = (0..MAX_COLS + 5).map(|c| c.to_string()).collect();
        let text = format!("{}\na,b\n", wide.join(","));
        let g = read("wide.csv", text.as_bytes()).unwrap();
        assert_eq!(g.rows[0].len(), MAX_COLS);
        let note = g.truncated.unwrap();
        assert!(note.contains("columns after 256 (past column IV) were not read on 1 row"), "{note}");
    }
}
