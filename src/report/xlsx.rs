//! The clean export: a new workbook with one row per question and its answer ("Answers"), and the
//! counts overall and per section ("Summary"). Unlike filling, which changes only the answer cells
//! of the customer's own workbook, this is Quire's own layout, for people who want the answers in
//! a plain table. Every text is written as a string cell, never a formula.

use super::sheet_style::{finish_table, text_format, write_header, write_text};
use super::stats::{section_of, summarize, Counts};
use crate::atomic::write_atomically;
use crate::error::{Error, Result};
use crate::review::{Review, ReviewStatus};
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, FormatAlign, Workbook, Worksheet, XlsxError};
use std::path::Path;

/// Columns of the "Answers" sheet, with their widths.
pub const ANSWER_COLUMNS: [(&str, f64); 11] = [
    ("Sheet", 18.0),
    ("Row", 7.0),
    ("Question ref", 13.0),
    ("Section", 22.0),
    ("Question", 60.0),
    ("Answer", 14.0),
    ("Comment", 45.0),
    ("Status", 12.0),
    ("Confidence", 11.0),
    ("Source", 36.0),
    ("Evidence", 36.0),
];
const ANSWER_COL: u16 = 5;

/// The answers offered in the Answer column's drop-down; other text is still accepted.
pub const ANSWER_CHOICES: [&str; 4] = ["Yes", "No", "N/A", "Partial"];

/// Writes the clean export of `review` to `out` (.xlsx), atomically.
pub fn export_answers_xlsx(review: &Review, out: &Path) -> Result<()> {
    write_atomically(out, |tmp| {
        let xerr = |e: XlsxError| Error::invalid("report.xlsx.cannot_write", format!("cannot write {}: {e}", out.display()));
        let mut wb = Workbook::new();
        answers_sheet(wb.add_worksheet(), review).map_err(xerr)?;
        summary_sheet(wb.add_worksheet(), review).map_err(xerr)?;
        wb.save(tmp).map_err(xerr)
    })
}

/// The status as a person reads it.
pub fn status_label(status: ReviewStatus) -> &'static str {
    match status {
        ReviewStatus::Blank => "Blank",
        ReviewStatus::Suggested => "Suggested",
        ReviewStatus::Draft => "Draft",
        ReviewStatus::Reviewed => "Reviewed",
        ReviewStatus::Approved => "Approved",
    }
}

fn answers_sheet(ws: &mut Worksheet, review: &Review) -> Result<(), XlsxError> {
    ws.set_name("Answers")?;
    write_header(ws, &ANSWER_COLUMNS)?;
    let text = text_format();
    let number = Format::new().set_align(FormatAlign::Top);
    let percent = Format::new().set_num_format("0%").set_align(FormatAlign::Top);
    for (i, rq) in review.questions.iter().enumerate() {
        let r = i as u32 + 1;
        let q = &rq.question;
        write_text(ws, r, 0, &q.sheet, &text)?;
        ws.write_number_with_format(r, 1, q.row as f64, &number)?;
        write_text(ws, r, 2, &q.reference, &text)?;
        write_text(ws, r, 3, &section_of(rq), &text)?;
        write_text(ws, r, 4, &q.text, &text)?;
        if let Some(a) = rq.answer.as_deref().filter(|a| !a.is_empty()) {
            write_text(ws, r, ANSWER_COL, a, &text)?;
        }
        if let Some(c) = rq.comment.as_deref().filter(|c| !c.is_empty()) {
            write_text(ws, r, 6, c, &text)?;
        }
        write_text(ws, r, 7, status_label(rq.status), &text)?;
        if let Some(c) = rq.confidence.filter(|c| c.is_finite()) {
            ws.write_number_with_format(r, 8, c.clamp(0.0, 1.0) as f64, &percent)?;
        }
        if let Some(s) = rq.source.as_deref().filter(|s| !s.is_empty()) {
            write_text(ws, r, 9, s, &text)?;
        }
        if !rq.evidence.is_empty() {
            write_text(ws, r, 10, &rq.evidence.join("; "), &text)?;
        }
    }
    let rows = review.questions.len();
    if rows > 0 {
        let dv = DataValidation::new()
            .allow_list_strings(&ANSWER_CHOICES)?
            .set_error_style(DataValidationErrorStyle::Information)
            .set_error_title("Answer")?
            .set_error_message("Answers are usually Yes, No, N/A or Partial. Other text is kept as typed.")?;
        ws.add_data_validation(1, ANSWER_COL, rows as u32, ANSWER_COL, &dv)?;
    }
    finish_table(ws, rows, ANSWER_COLUMNS.len())
}

fn summary_sheet(ws: &mut Worksheet, review: &Review) -> Result<(), XlsxError> {
    ws.set_name("Summary")?;
    let columns = [
        ("Section", 40.0),
        ("Questions", 11.0),
        ("Answered", 11.0),
        ("Suggested, not reviewed", 14.0),
        ("Blank", 9.0),
        ("Answered %", 12.0),
    ];
    write_header(ws, &columns)?;
    let summary = summarize(review, 0.0);
    let text = text_format();
    let bold = text_format().set_bold();
    let percent = Format::new().set_num_format("0%").set_align(FormatAlign::Top);
    let bold_percent = percent.clone().set_bold();
    let row = |ws: &mut Worksheet, r: u32, name: &str, k: &Counts, total: bool| -> Result<(), XlsxError> {
        let (t, p) = if total { (&bold, &bold_percent) } else { (&text, &percent) };
        write_text(ws, r, 0, name, t)?;
        for (c, n) in [k.total(), k.answered, k.suggested, k.blank].into_iter().enumerate() {
            ws.write_number_with_format(r, c as u16 + 1, n as f64, t)?;
        }
        if k.total() > 0 {
            ws.write_number_with_format(r, 5, k.answered as f64 / k.total() as f64, p)?;
        }
        Ok(())
    };
    row(ws, 1, "All sections", &summary.overall, true)?;
    for (i, s) in summary.sections.iter().enumerate() {
        row(ws, i as u32 + 2, &s.name, &s.counts, false)?;
    }
    let note_row = summary.sections.len() as u32 + 3;
    let muted = Format::new().set_italic().set_font_color("#616E7C");
    write_text(ws, note_row, 0, &format!("Questionnaire: {}", review.questionnaire), &muted)?;
    let legend = "Answered: put in by a person (draft, reviewed or approved). Suggested: proposed by Quire, not reviewed yet.";
    write_text(ws, note_row + 1, 0, legend, &muted)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}
