//! The grid: what every reader produces, whatever the file format. A grid is one sheet as rows of
//! cell texts; layout detection works on grids only, so it knows nothing of xlsx, csv or JSON.

use serde::Serialize;

/// Reading limits that keep memory and time bounded on hostile or accidental huge inputs.
pub const MAX_ROWS: usize = 50_000;
/// Columns past this one are not read (real questionnaires use fewer than 60).
pub const MAX_COLS: usize = 256;
/// Longest cell text kept, in characters: Excel's own limit. Longer text (a CSV or a crafted
/// file can hold more) is cut there, and the sheet's notes say how many cells were cut.
pub const MAX_CELL_CHARS: usize = 32_767;

/// One sheet, as text. `rows[0]` is spreadsheet row 1; `rows[r][c]` is column `c` (0 = A).
/// Rows may be ragged; a missing cell is empty.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub name: String,
    /// Hidden or very hidden in the workbook (masters, lookup tables).
    pub hidden: bool,
    pub rows: Vec<Vec<String>>,
    /// Set when the reader stopped early (row or column limits): what was not read, for the user.
    pub truncated: Option<String>,
    /// What else the reader had to assume or change, for the user (the text's encoding, cells
    /// cut at `MAX_CELL_CHARS`).
    pub notes: Vec<String>,
    /// Cells whose text was cut at `MAX_CELL_CHARS`.
    pub cut_cells: usize,
    /// The sheet could not be read (damaged): why. The workbook's other sheets still are.
    pub broken: Option<String>,
}

impl Grid {
    pub fn new(name: impl Into<String>) -> Self {
        Grid { name: name.into(), ..Default::default() }
    }

    /// The trimmed text of a cell, "" when absent.
    pub fn cell(&self, row: usize, col: usize) -> &str {
        self.rows.get(row).and_then(|r| r.get(col)).map(|s| s.trim()).unwrap_or("")
    }

    /// Sets a cell, growing the grid as needed. Cells past the limits are ignored; text past
    /// `MAX_CELL_CHARS` is cut (and counted).
    pub fn set(&mut self, row: usize, col: usize, mut value: String) {
        if row >= MAX_ROWS || col >= MAX_COLS {
            return;
        }
        if value.len() > MAX_CELL_CHARS {
            if let Some((at, _)) = value.char_indices().nth(MAX_CELL_CHARS) {
                value.truncate(at);
                self.cut_cells += 1;
            }
        }
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let r = &mut self.rows[row];
        if r.len() <= col {
            r.resize_with(col + 1, String::new);
        }
        r[col] = value;
    }

    pub fn width(&self) -> usize {
        self.rows.iter().map(|r| r.len()).max().unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.rows.iter().all(|r| r.iter().all(|c| c.trim().is_empty()))
    }

    /// Everything the reader has to tell the user about this sheet: what was not read, then
    /// its other notes.
    pub fn reader_notes(&self) -> Vec<String> {
        let mut out: Vec<String> = self.truncated.iter().cloned().collect();
        out.extend(self.notes.iter().cloned());
        if self.cut_cells > 0 {
            out.push(format!(
                "{} cell{} longer than {MAX_CELL_CHARS} characters (Excel's limit) {} cut there",
                self.cut_cells,
                if self.cut_cells == 1 { "" } else { "s" },
                if self.cut_cells == 1 { "was" } else { "were" }
            ));
        }
        out
    }
}

/// A whole questionnaire file as read: its format and its sheets, in workbook order.
#[derive(Debug, Clone)]
pub struct Workbook {
    pub format: Format,
    pub sheets: Vec<Grid>,
    /// SHA-256 of the file's bytes, hex: the file's identity in the library's provenance.
    pub sha256: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Xlsm,
    Xls,
    Ods,
    Csv,
    Tsv,
    Vsaq,
    /// A Word document (`sheet::docx`).
    Docx,
    /// A Word document with macros (read like .docx; the macros are never run or changed).
    Docm,
    /// A fillable PDF form (`sheet::pdf`): read, not filled in place.
    Pdf,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsm => "xlsm",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Vsaq => "vsaq",
            Format::Docx => "docx",
            Format::Docm => "docm",
            Format::Pdf => "pdf",
        }
    }
}

/// Column letters as in a spreadsheet: 0 → "A", 25 → "Z", 26 → "AA".
pub fn col_letter(col: usize) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Parses column letters ("A", "ab") to a 0-based index.
pub fn col_index(letters: &str) -> Option<usize> {
    let letters = letters.trim();
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n = 0usize;
    for b in letters.bytes() {
        if !b.is_ascii_alphabetic() {
            return None;
        }
        n = n * 26 + (b.to_ascii_uppercase() - b'A' + 1) as usize;
    }
    Some(n - 1)
}

/// A cell address like "C12" from a 0-based column and a 1-based row.
pub fn cell_address(col: usize, row1: usize) -> String {
    format!("{}{}", col_letter(col), row1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_round_trip() {
        for (i, s) in [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA")] {
            assert_eq!(col_letter(i), s);
            assert_eq!(col_index(s), Some(i));
        }
        assert_eq!(col_index("a"), Some(0));
        assert_eq!(col_index("A1"), None);
        assert_eq!(col_index(""), None);
    }

    #[test]
    fn set_ignores_cells_past_limits() {
        let mut g = Grid::new("s");
        g.set(MAX_ROWS, 0, "x".into());
        g.set(0, MAX_COLS, "x".into());
        assert!(g.rows.is_empty());
        g.set(2, 1, " y ".into());
        assert_eq!(g.cell(2, 1), "y");
        assert_eq!(g.cell(0, 0), "");
    }
}
