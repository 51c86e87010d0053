//! The one look of the workbooks Quire writes from scratch (the clean answers export, the answer
//! library export): a bold shaded header row that stays frozen, an autofilter, wrapped text
//! aligned to the top, set column widths. Also the text rule: every value goes in as a string
//! cell (never a formula), cut to the 32,767 characters a cell can hold.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

/// Most characters an Excel cell holds.
pub const MAX_CELL_CHARS: usize = 32_767;

pub fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color("#DCE6F1")
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border_bottom(FormatBorder::Thin)
}

/// Body cells: wrapped, top-aligned.
pub fn text_format() -> Format {
    Format::new().set_text_wrap().set_align(FormatAlign::Top)
}

/// `s`, cut to what a cell holds (with "…" at the end when cut).
pub fn cell_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= MAX_CELL_CHARS || s.chars().count() <= MAX_CELL_CHARS {
        return s.into();
    }
    let mut out: String = s.chars().take(MAX_CELL_CHARS - 1).collect();
    out.push('…');
    out.into()
}

/// Writes `text` as a string cell (text stays text, even "=1+1").
pub fn write_text(ws: &mut Worksheet, row: u32, col: u16, text: &str, format: &Format) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, cell_text(text).as_ref(), format)?;
    Ok(())
}

/// Writes the header row (row 0) and sets the column widths.
pub fn write_header(ws: &mut Worksheet, columns: &[(&str, f64)]) -> Result<(), XlsxError> {
    let header = header_format();
    for (c, (title, width)) in columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *title, &header)?;
        ws.set_column_width(c as u16, *width)?;
    }
    Ok(())
}

/// Freezes the header row and puts an autofilter over the table when it has rows.
pub fn finish_table(ws: &mut Worksheet, rows: usize, columns: usize) -> Result<(), XlsxError> {
    ws.set_freeze_panes(1, 0)?;
    if rows > 0 && columns > 0 {
        ws.autofilter(0, 0, rows as u32, columns as u16 - 1)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_to_what_a_cell_holds() {
        assert_eq!(cell_text("short"), "short");
        let long = "é".repeat(40_000);
        let cut = cell_text(&long);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with('…'));
    }
}
