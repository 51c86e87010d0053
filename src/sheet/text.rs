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
use crate::sheet::grid::{col_letter, Grid, MAX_COLS, MAX_ROWS};

/// How many leading bytes (and decoded characters) the encoding checks look at.
const SNIFF_BYTES: usize = 4096;
/// How many non-empty lines the delimiter guess looks at.
const SNIFF_LINES: usize = 20;
/// Delimiters tried by the guess, in order of preference when two fit equally well.
const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];

/// Reads a delimited text file already loaded into `bytes`. `path` names the file in errors,
/// gives the grid its name (the file stem) and, through its extension, the delimiter for
/// `.tsv`/`.tab` files. An empty or whitespace-only file gives an empty grid.
pub fn read_delimited(path: &Path, bytes: &[u8]) -> Result<Grid> {
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let text = decode(path, bytes)?;
    let text = text.trim_end_matches('\u{1a}'); // DOS end-of-file marker
    if text.trim().is_empty() {
        return Ok(Grid::new(name));
    }
    let delimiter = if has_tab_extension(path) { b'\t' } else { sniff_delimiter(text) };
    parse(path, text, delimiter, name)
}

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

/// Decodes the file to text, or says why it is not text.
fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<Cow<'a, str>> {
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Cow::Borrowed(strict_utf8(path, rest, 3)?)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(UTF_16LE, rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(UTF_16BE, rest)
    } else {
        decode_without_bom(path, bytes)?
    };
    check_control_chars(path, &text)?;
    Ok(text)
}

/// No byte-order mark: UTF-16 recognised by its NUL bytes, then UTF-8, then Windows-1252.
fn decode_without_bom<'a>(path: &Path, bytes: &'a [u8]) -> Result<Cow<'a, str>> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let (even_nuls, odd_nuls) = count_nuls(head);
    if even_nuls + odd_nuls > 0 {
        return match utf16_without_bom(head.len() / 2, even_nuls, odd_nuls) {
            Some(encoding) => Ok(utf16(encoding, bytes)),
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
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(_) => Ok(WINDOWS_1252.decode_without_bom_handling(bytes).0),
    }
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

/// Decodes UTF-16 (without its BOM); malformed pairs become U+FFFD.
fn utf16(encoding: &'static Encoding, bytes: &[u8]) -> Cow<'static, str> {
    Cow::Owned(encoding.decode_without_bom_handling(bytes).0.into_owned())
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

/// The text up to the end of its `n`th non-empty line, and whether that cut anything off.
fn sample_lines(text: &str, n: usize) -> (&str, bool) {
    let mut non_empty = 0;
    let mut end = 0;
    for line in text.split_inclusive('\n') {
        end += line.len();
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
fn parse(path: &Path, text: &str, delimiter: u8, name: String) -> Result<Grid> {
    let mut grid = Grid::new(name);
    let mut reader = csv_reader(text.as_bytes(), delimiter);
    let mut record = csv::StringRecord::new();
    let mut row = 0usize; // grid row of the next record
    let mut wide_rows = 0usize;
    loop {
        // The reader's position before a record is the end of the previous one, so the blank
        // lines it skips on the way (it yields no record for them) lie just after it.
        let before = usize::try_from(reader.position().byte()).unwrap_or(usize::MAX);
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, &e)),
        }
        row = row.saturating_add(blank_lines_at(text.as_bytes(), before));
        if row >= MAX_ROWS {
            let skipped = 1 + count_remaining(&mut reader);
            grid.truncated = Some(truncation_note(Some(skipped), wide_rows));
            return Ok(grid);
        }
        wide_rows += usize::from(record.len() > MAX_COLS);
        store(&mut grid, row, &record);
        row += 1;
    }
    if wide_rows > 0 {
        grid.truncated = Some(truncation_note(None, wide_rows));
    }
    Ok(grid)
}

/// Copies one record into grid row `row`; an all-empty record leaves the row empty.
fn store(grid: &mut Grid, row: usize, record: &csv::StringRecord) {
    if record.iter().all(str::is_empty) {
        if grid.rows.len() <= row {
            grid.rows.resize_with(row + 1, Vec::new);
        }
        return;
    }
    for (col, field) in record.iter().enumerate().take(MAX_COLS) {
        grid.set(row, col, field.to_string());
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

/// Counts the records left without storing them; stops quietly at a parse error.
fn count_remaining(reader: &mut csv::Reader<&[u8]>) -> usize {
    let mut record = csv::ByteRecord::new();
    let mut n = 0;
    while let Ok(true) = reader.read_byte_record(&mut record) {
        n += 1;
    }
    n
}

fn truncation_note(skipped_rows: Option<usize>, wide_rows: usize) -> String {
    let mut parts = Vec::new();
    if let Some(skipped) = skipped_rows {
        parts.push(format!(
            "rows after {MAX_ROWS} were not read ({skipped} more record{})",
            if skipped == 1 { "" } else { "s" }
        ));
    }
    if wide_rows > 0 {
        parts.push(format!(
            "columns after {MAX_COLS} (past column {}) were not read on {wide_rows} row{}",
            col_letter(MAX_COLS - 1),
            if wide_rows == 1 { "" } else { "s" }
        ));
    }
    parts.join("; ")
}

fn csv_error(path: &Path, e: &csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    let detail = match line {
        Some(line) => format!("cannot parse line {line} as delimited text: {e}"),
        None => format!("cannot parse the file as delimited text: {e}"),
    };
    Error::corrupt(path, detail)
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
