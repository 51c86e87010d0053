//! The follow-up workbook of an assessment: "Findings" (with a status drop-down, owner and
//! notes for tracking remediation), "Domains", "All answers" and "Coverage".

use super::super::canvas::Rgb8;
use super::super::sheet_style::{finish_table, text_format, write_header, write_text};
use crate::assess::Assessment;
use crate::atomic::write_atomically;
use crate::error::{Error, Result};
use rust_xlsxwriter::{
    ConditionalFormatDataBar, ConditionalFormatText, ConditionalFormatTextRule, ConditionalFormatType, DataValidation,
    DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};
use std::path::Path;
use super::*;
use super::labels::*;
/// Writes the follow-up workbook of `a` to `out` (.xlsx), atomically.
pub fn findings_xlsx(a: &Assessment, out: &Path) -> Result<()> {
    write_atomically(out, |tmp| {
        let xerr = |e: XlsxError| Error::invalid("report.xlsx.cannot_write", format!("cannot write {}: {e}", out.display()));
        let mut wb = Workbook::new();
        let mut props = DocProperties::new()
            .set_title(format!("{} – findings {}", vendor_name(a), a.assessed_on))
            .set_subject("Vendor risk assessment follow-up")
            .set_author("Quire");
        if let Some(d) = date(&a.assessed_on) {
            if let Ok(at) = ExcelDateTime::from_ymd(d.year().clamp(1900, 9999) as u16, d.month() as u8, d.day()) {
                props = props.set_creation_datetime(&at);
            }
        }
        wb.set_properties(&props);
        findings_sheet(wb.add_worksheet(), a).map_err(xerr)?;
        domains_sheet(wb.add_worksheet(), a).map_err(xerr)?;
        answers_sheet(wb.add_worksheet(), a).map_err(xerr)?;
        coverage_sheet(wb.add_worksheet(), a).map_err(xerr)?;
        wb.save(tmp).map_err(xerr)
    })
}

/// Printed landscape, one page wide, the header row on every page.
fn print_setup(ws: &mut Worksheet) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

fn hex(c: Rgb8) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// A text cell coloured like the PDF's chip for the same value (pale fill, dark text).
fn chip_format(color: Rgb8) -> Format {
    let dark = Rgb8((color.0 as f32 * 0.7) as u8, (color.1 as f32 * 0.7) as u8, (color.2 as f32 * 0.7) as u8);
    let fill = Rgb8(
        (color.0 as f32 * 0.25 + 255.0 * 0.75) as u8,
        (color.1 as f32 * 0.25 + 255.0 * 0.75) as u8,
        (color.2 as f32 * 0.25 + 255.0 * 0.75) as u8,
    );
    text_format().set_bold().set_background_color(hex(fill).as_str()).set_font_color(hex(dark).as_str())
}

fn excel_date(s: &str) -> Option<ExcelDateTime> {
    let d = date(s)?;
    ExcelDateTime::from_ymd(u16::try_from(d.year()).ok()?, d.month() as u8, d.day()).ok()
}

/// Columns of the "Findings" sheet.
pub const FINDING_COLUMNS: [(&str, f64); 13] = [
    ("Ref", 11.0),
    ("Sheet", 16.0),
    ("Row", 6.0),
    ("Domain", 22.0),
    ("Question", 50.0),
    ("Vendor answer", 26.0),
    ("Why", 36.0),
    ("Severity", 10.0),
    ("Remediation", 42.0),
    ("Due date", 12.0),
    ("Status", 13.0),
    ("Owner", 18.0),
    ("Notes", 36.0),
];
const STATUS_COL: u16 = 10;

fn findings_sheet(ws: &mut Worksheet, a: &Assessment) -> Result<(), XlsxError> {
    ws.set_name(FINDINGS_SHEETS[0])?;
    write_header(ws, &FINDING_COLUMNS)?;
    let text = text_format();
    let number = Format::new().set_align(FormatAlign::Top);
    let due = Format::new().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Top).set_align(FormatAlign::Left);
    let findings = findings_by_severity(a);
    for (i, f) in findings.iter().enumerate() {
        let r = i as u32 + 1;
        write_text(ws, r, 0, &f.reference, &text)?;
        write_text(ws, r, 1, &f.sheet, &text)?;
        ws.write_number_with_format(r, 2, f.row as f64, &number)?;
        write_text(ws, r, 3, domain_title(a, &f.domain), &text)?;
        write_text(ws, r, 4, &f.question, &text)?;
        write_text(ws, r, 5, &f.answer, &text)?;
        write_text(ws, r, 6, &f.why, &text)?;
        write_text(ws, r, 7, &capitalised(f.severity.as_str()), &chip_format(severity_color(f.severity)))?;
        write_text(ws, r, 8, &f.remediation, &text)?;
        match excel_date(&f.due) {
            Some(d) => {
                ws.write_datetime_with_format(r, 9, &d, &due)?;
            }
            None => write_text(ws, r, 9, &f.due, &text)?,
        }
        write_text(ws, r, STATUS_COL, FINDING_STATUSES[0], &text)?;
    }
    let rows = findings.len();
    if rows > 0 {
        let last = rows as u32;
        let dv = DataValidation::new()
            .allow_list_strings(&FINDING_STATUSES)?
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_title("Status")?
            .set_error_message("A finding is Open, Accepted (risk accepted) or Remediated.")?;
        ws.add_data_validation(1, STATUS_COL, last, STATUS_COL, &dv)?;
        for (status, color) in [("Remediated", GREEN), ("Accepted", GREY)] {
            let fill = Format::new().set_background_color(hex(tint(color)).as_str()).set_font_color(hex(color).as_str());
            let cf = ConditionalFormatText::new().set_rule(ConditionalFormatTextRule::BeginsWith(status.into())).set_format(fill);
            ws.add_conditional_format(1, STATUS_COL, last, STATUS_COL, &cf)?;
        }
    }
    print_setup(ws)?;
    finish_table(ws, rows, FINDING_COLUMNS.len())
}

/// Columns of the "Domains" sheet.
pub const DOMAIN_COLUMNS: [(&str, f64); 7] =
    [("Domain", 36.0), ("Weight", 9.0), ("Score", 9.0), ("Earned", 9.0), ("Possible", 9.0), ("Questions", 11.0), ("Scored", 9.0)];

fn domains_sheet(ws: &mut Worksheet, a: &Assessment) -> Result<(), XlsxError> {
    ws.set_name(FINDINGS_SHEETS[1])?;
    write_header(ws, &DOMAIN_COLUMNS)?;
    let text = text_format();
    let num = Format::new().set_num_format("0.0").set_align(FormatAlign::Top);
    let int = Format::new().set_num_format("0").set_align(FormatAlign::Top);
    let domains = &a.scorecard.domains;
    for (i, d) in domains.iter().enumerate() {
        let r = i as u32 + 1;
        write_text(ws, r, 0, if d.title.trim().is_empty() { &d.id } else { &d.title }, &text)?;
        ws.write_number_with_format(r, 1, d.weight, &num)?;
        if let Some(s) = d.score {
            ws.write_number_with_format(r, 2, s, &num)?;
        }
        ws.write_number_with_format(r, 3, d.earned, &num)?;
        ws.write_number_with_format(r, 4, d.possible, &num)?;
        ws.write_number_with_format(r, 5, d.questions as f64, &int)?;
        ws.write_number_with_format(r, 6, d.scored as f64, &int)?;
    }
    if !domains.is_empty() {
        let bar = ConditionalFormatDataBar::new()
            .set_minimum(ConditionalFormatType::Number, 0)
            .set_maximum(ConditionalFormatType::Number, 100)
            .set_fill_color("#5B9BD5");
        ws.add_conditional_format(1, 2, domains.len() as u32, 2, &bar)?;
    }
    let below = domains.len() as u32 + 2;
    let bold = text_format().set_bold();
    write_text(ws, below, 0, "Overall (weighted)", &bold)?;
    if let Some(s) = a.scorecard.overall {
        ws.write_number_with_format(below, 2, s, &num.clone().set_bold())?;
    }
    let muted = Format::new().set_italic().set_font_color("#616E7C");
    let tiers = format!("Inherent tier {}, residual tier {}", a.inherent_tier.as_str(), a.residual_tier.as_str());
    write_text(ws, below + 1, 0, &tiers, &muted)?;
    write_text(ws, below + 2, 0, "A blank score: nothing in the domain could be scored (not 0).", &muted)?;
    print_setup(ws)?;
    finish_table(ws, domains.len(), DOMAIN_COLUMNS.len())
}

/// Columns of the "All answers" sheet.
pub const ANSWER_COLUMNS: [(&str, f64); 15] = [
    ("Ref", 11.0),
    ("Sheet", 16.0),
    ("Row", 6.0),
    ("Domain", 22.0),
    ("Question", 50.0),
    ("Answer", 18.0),
    ("Comment", 36.0),
    ("Read as", 11.0),
    ("Outcome", 14.0),
    ("Criticality", 11.0),
    ("Points", 8.0),
    ("Earned", 8.0),
    ("Placed by", 11.0),
    ("Frameworks", 28.0),
    ("Note", 36.0),
];

fn answers_sheet(ws: &mut Worksheet, a: &Assessment) -> Result<(), XlsxError> {
    ws.set_name(FINDINGS_SHEETS[2])?;
    write_header(ws, &ANSWER_COLUMNS)?;
    let text = text_format();
    let number = Format::new().set_align(FormatAlign::Top);
    let num = Format::new().set_num_format("0.0").set_align(FormatAlign::Top);
    for (i, q) in a.scorecard.questions.iter().enumerate() {
        let r = i as u32 + 1;
        write_text(ws, r, 0, &q.reference, &text)?;
        write_text(ws, r, 1, &q.sheet, &text)?;
        ws.write_number_with_format(r, 2, q.row as f64, &number)?;
        write_text(ws, r, 3, domain_title(a, &q.domain), &text)?;
        write_text(ws, r, 4, &q.question, &text)?;
        write_text(ws, r, 5, &q.answer, &text)?;
        write_text(ws, r, 6, &q.comment, &text)?;
        write_text(ws, r, 7, q.interpreted.response.as_str(), &text)?;
        write_text(ws, r, 8, outcome_label(q.outcome), &chip_format(outcome_color(q.outcome)))?;
        write_text(ws, r, 9, q.criticality.as_str(), &text)?;
        ws.write_number_with_format(r, 10, q.points, &num)?;
        ws.write_number_with_format(r, 11, q.earned, &num)?;
        let placed = match q.placement {
            crate::assess::score::Placement::Rubric => "rubric (ID)".to_string(),
            crate::assess::score::Placement::Text => format!("rubric by text ({})", q.placed_as.as_deref().unwrap_or("")),
            crate::assess::score::Placement::Classified => "classified (keywords)".to_string(),
            crate::assess::score::Placement::Guessed => "guesswork".to_string(),
        };
        write_text(ws, r, 12, &placed, &text)?;
        write_text(ws, r, 13, &q.frameworks.join(", "), &text)?;
        let mut note: Vec<String> = [&q.note, &q.interpreted.contradiction, &q.interpreted.note].into_iter().flatten().filter(|s| !s.trim().is_empty()).cloned().collect();
        if let Some(p) = &q.interpreted.planned {
            note.push(format!("planned by {p}"));
        }
        if !q.interpreted.evidence.is_empty() {
            note.push(format!("cites {}", q.interpreted.evidence.join(", ")));
        }
        let note = note.join("; ");
        write_text(ws, r, 14, &note, &text)?;
    }
    print_setup(ws)?;
    finish_table(ws, a.scorecard.questions.len(), ANSWER_COLUMNS.len())
}

/// Columns of the "Coverage" sheet.
pub const COVERAGE_COLUMNS: [(&str, f64); 8] = [
    ("Framework", 26.0),
    ("Control", 18.0),
    ("Title", 44.0),
    ("Kind", 12.0),
    ("Owner", 10.0),
    ("Status", 14.0),
    ("Supporting", 30.0),
    ("Contradicting", 30.0),
];

fn coverage_sheet(ws: &mut Worksheet, a: &Assessment) -> Result<(), XlsxError> {
    ws.set_name(FINDINGS_SHEETS[3])?;
    write_header(ws, &COVERAGE_COLUMNS)?;
    let text = text_format();
    let mut r = 0u32;
    for f in &a.coverage {
        let framework = if f.title.trim().is_empty() { f.id.as_str() } else { f.title.as_str() };
        for ctl in &f.controls {
            r += 1;
            write_text(ws, r, 0, framework, &text)?;
            write_text(ws, r, 1, &ctl.id, &text)?;
            write_text(ws, r, 2, &ctl.title, &text)?;
            write_text(ws, r, 3, &ctl.kind, &text)?;
            write_text(ws, r, 4, ctl.owner.as_deref().unwrap_or(""), &text)?;
            write_text(ws, r, 5, coverage_label(ctl.status), &chip_format(coverage_color(ctl.status)))?;
            write_text(ws, r, 6, &ctl.supporting.join(", "), &text)?;
            write_text(ws, r, 7, &ctl.contradicting.join(", "), &text)?;
        }
    }
    print_setup(ws)?;
    finish_table(ws, r as usize, COVERAGE_COLUMNS.len())
}

