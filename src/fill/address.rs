//! A1 addresses as sheet XML, data validations and formulas write them: `C12`, `$C$12`, areas
//! `A1:B5`, whole columns `$A:$A` and whole rows `3:5`. Rows are 1-based, columns 0-based (as in
//! `sheet::grid`), so a `Cell` orders the way cells follow each other in a worksheet part.

use crate::sheet::grid::{col_index, col_letter};

/// Excel's sheet limits.
pub const MAX_ROW: u32 = 1_048_576;
pub const MAX_COL: u32 = 16_384;

/// One cell: ordered by row, then column, as `<sheetData>` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cell {
    pub row: u32,
    pub col: u32,
}

impl Cell {
    /// Parses "C12" or "$C$12".
    pub fn parse(a: &str) -> Option<Cell> {
        let a: String = a.trim().chars().filter(|c| *c != '$').collect();
        let split = a.find(|c: char| c.is_ascii_digit())?;
        let (letters, digits) = a.split_at(split);
        let col = col_index(letters)? as u32;
        let row: u32 = digits.parse().ok()?;
        ((1..=MAX_ROW).contains(&row) && col < MAX_COL).then_some(Cell { row, col })
    }

    pub fn name(self) -> String {
        format!("{}{}", col_letter(self.col as usize), self.row)
    }
}

/// A rectangle of cells (inclusive corners).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    pub first: Cell,
    pub last: Cell,
}

impl Area {
    /// Parses "A1", "A1:B5", "$A:$A" (whole columns) or "3:5" (whole rows).
    pub fn parse(s: &str) -> Option<Area> {
        let s = s.trim();
        let (a, b) = s.split_once(':').unwrap_or((s, s));
        let (first, last) = match (Cell::parse(a), Cell::parse(b)) {
            (Some(x), Some(y)) => (x, y),
            _ if !s.contains(':') => return None,
            _ => {
                let bare = |t: &str| -> String { t.trim().chars().filter(|c| *c != '$').collect() };
                let (a, b) = (bare(a), bare(b));
                if let (Some(x), Some(y)) = (col_index(&a), col_index(&b)) {
                    if x.max(y) >= MAX_COL as usize {
                        return None;
                    }
                    (Cell { row: 1, col: x as u32 }, Cell { row: MAX_ROW, col: y as u32 })
                } else {
                    let (x, y): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
                    (Cell { row: x.max(1), col: 0 }, Cell { row: y.min(MAX_ROW), col: MAX_COL - 1 })
                }
            }
        };
        Some(Area {
            first: Cell { row: first.row.min(last.row), col: first.col.min(last.col) },
            last: Cell { row: first.row.max(last.row), col: first.col.max(last.col) },
        })
    }

    pub fn contains(&self, c: Cell) -> bool {
        (self.first.row..=self.last.row).contains(&c.row) && (self.first.col..=self.last.col).contains(&c.col)
    }
}

/// The areas of a space-separated `sqref` ("C22:C28 C30 E5").
pub fn parse_sqref(s: &str) -> Vec<Area> {
    s.split_whitespace().filter_map(Area::parse).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_areas() {
        assert_eq!(Cell::parse("$C$12"), Some(Cell { row: 12, col: 2 }));
        assert_eq!(Cell::parse("AA1").map(Cell::name).as_deref(), Some("AA1"));
        assert_eq!(Cell::parse("C0"), None);
        assert_eq!(Cell::parse("12"), None);
        let a = Area::parse("$B$5:$A$1").unwrap();
        assert!(a.contains(Cell { row: 3, col: 1 }) && !a.contains(Cell { row: 6, col: 0 }));
        let col = Area::parse("$J:$J").unwrap();
        assert!(col.contains(Cell { row: 900_000, col: 9 }));
        assert!(Area::parse("2:3").unwrap().contains(Cell { row: 3, col: 200 }));
        assert_eq!(parse_sqref("C22:C28  C30").len(), 2);
        assert_eq!(Area::parse("No"), None);
        assert_eq!(Area::parse("Yes:No"), None);
    }
}
