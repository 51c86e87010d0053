//! The two outputs of a vendor assessment ([`Assessment`]):
//!
//! - [`risk_pdf`]: the risk report for the hospital's risk committee — the vendor and its
//!   paperwork (BAA, certifications, warnings), the overall score and the inherent → residual
//!   tier, a bar chart of the domain scores, the most severe findings, what changed since the
//!   previous assessment, HIPAA Security Rule and ISO/IEC 27017 coverage, and an appendix with
//!   every answer. Drawn on the same canvas, font and tables as the questionnaire summary.
//! - [`findings_xlsx`]: the follow-up workbook — "Findings" (with a status drop-down, owner and
//!   notes for tracking remediation), "Domains", "All answers" and "Coverage".
//!
//! Both are dated by the assessment, not the clock: the same assessment gives the same report.

use super::canvas::{Align, Canvas, PageSize, Rgb8, ACCENT, INK, MUTED, RULE, ZEBRA};
use super::font::{text_width, Face};
use super::sheet_style::{finish_table, text_format, write_header, write_text};
use super::table::{badge_sized, draw_table, heading, note, Cell, Column, BODY_SIZE};
use super::wrap::wrap_capped;
use crate::assess::catalogue::Criticality;
use crate::assess::coverage::{ControlCoverage, CoverageStatus, FrameworkCoverage};
use crate::assess::score::{DomainScore, Finding, Outcome, QuestionScore};
use crate::assess::vendor::{BaaStatus, Certification, Connectivity, Hosting, Level, Tier, EXPIRY_NOTICE_DAYS};
use crate::assess::Assessment;
use crate::display::shorten;
use crate::atomic::{write_atomically, write_bytes};
use crate::error::{Error, Result};
use rust_xlsxwriter::{
    ConditionalFormatDataBar, ConditionalFormatText, ConditionalFormatTextRule, ConditionalFormatType, DataValidation,
    DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};
use std::path::Path;
use time::Date;

/// Findings listed in the PDF (most severe first); all of them are in the workbook.
pub const TOP_FINDINGS: usize = 25;

/// The statuses offered in the workbook's Status column.
pub const FINDING_STATUSES: [&str; 3] = ["Open", "Accepted", "Remediated"];

/// Sheets of the follow-up workbook, in order.
pub const FINDINGS_SHEETS: [&str; 4] = ["Findings", "Domains", "All answers", "Coverage"];

// ---------------------------------------------------------------------------------------------
// Labels and colours shared by the PDF and the workbook.

const RED: Rgb8 = Rgb8(0xB4, 0x23, 0x18);
const ORANGE: Rgb8 = Rgb8(0xD9, 0x5F, 0x0E);
const AMBER: Rgb8 = Rgb8(0xE0, 0xA1, 0x00);
const GREEN: Rgb8 = Rgb8(0x2E, 0x8B, 0x57);
const TEAL: Rgb8 = Rgb8(0x5F, 0xA8, 0x5A);
const SLATE: Rgb8 = Rgb8(0x5B, 0x70, 0x83);
const GREY: Rgb8 = Rgb8(0xB8, 0xC0, 0xCA);

fn tier_color(t: Tier) -> Rgb8 {
    match t {
        Tier::Low => GREEN,
        Tier::Moderate => AMBER,
        Tier::High => ORANGE,
        Tier::Critical => RED,
    }
}

fn severity_color(s: Criticality) -> Rgb8 {
    match s {
        Criticality::Critical => RED,
        Criticality::High => ORANGE,
        Criticality::Medium => AMBER,
        Criticality::Low => SLATE,
    }
}

/// A warning's severity ("critical", "high", "medium") as a colour.
fn warning_color(severity: &str) -> Rgb8 {
    match severity {
        "critical" => RED,
        "high" => ORANGE,
        _ => AMBER,
    }
}

fn score_color(score: f64) -> Rgb8 {
    match score {
        s if s >= 85.0 => GREEN,
        s if s >= 70.0 => TEAL,
        s if s >= 50.0 => AMBER,
        _ => RED,
    }
}

/// An outcome as the analyst reads it.
pub fn outcome_label(o: Outcome) -> &'static str {
    match o {
        Outcome::Met => "Met",
        Outcome::Partial => "Partial",
        Outcome::Contradicted => "Contradicted",
        Outcome::Gap => "Gap",
        Outcome::Unanswered => "Unanswered",
        Outcome::Unclear => "Unclear",
        Outcome::UnjustifiedNa => "N/A, no reason",
        Outcome::NotApplicable => "N/A",
        Outcome::Informational => "Informational",
        Outcome::NotInScope => "Not in scope",
        Outcome::Scoping => "Scoping question",
    }
}

fn outcome_color(o: Outcome) -> Rgb8 {
    match o {
        Outcome::Met => GREEN,
        Outcome::Partial | Outcome::Unclear | Outcome::UnjustifiedNa => AMBER,
        Outcome::Contradicted => ORANGE,
        Outcome::Gap => RED,
        Outcome::Unanswered => SLATE,
        Outcome::NotApplicable | Outcome::Informational | Outcome::NotInScope | Outcome::Scoping => GREY,
    }
}

/// A coverage status as the analyst reads it.
pub fn coverage_label(s: CoverageStatus) -> &'static str {
    match s {
        CoverageStatus::Supported => "Supported",
        CoverageStatus::Mixed => "Mixed",
        CoverageStatus::Contradicted => "Contradicted",
        CoverageStatus::NoEvidence => "No evidence",
    }
}

fn coverage_color(s: CoverageStatus) -> Rgb8 {
    match s {
        CoverageStatus::Supported => GREEN,
        CoverageStatus::Mixed => AMBER,
        CoverageStatus::Contradicted => RED,
        CoverageStatus::NoEvidence => GREY,
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn level_label(l: Level) -> &'static str {
    match l {
        Level::None => "none",
        Level::Low => "low",
        Level::Medium => "medium",
        Level::High => "high",
        Level::Critical => "critical",
    }
}

fn hosting_label(h: Hosting) -> &'static str {
    match h {
        Hosting::Saas => "SaaS",
        Hosting::Paas => "PaaS",
        Hosting::Iaas => "IaaS",
        Hosting::OnPrem => "on-premises (run by the hospital)",
    }
}

fn connectivity_label(c: Connectivity) -> &'static str {
    match c {
        Connectivity::None => "none (no connection to the hospital's systems)",
        Connectivity::Integration => "integration (files, API, interface or SSO)",
        Connectivity::Network => "network (VPN, site-to-site or remote access)",
    }
}

fn baa_label(s: BaaStatus) -> &'static str {
    match s {
        BaaStatus::NotNeeded => "not needed (no PHI)",
        BaaStatus::Missing => "missing",
        BaaStatus::Requested => "requested, not signed",
        BaaStatus::Signed => "signed",
    }
}

/// "SOC 2 … row 12" when a question has no ref.
fn label(reference: &str, sheet: &str, row: usize) -> String {
    if reference.trim().is_empty() {
        format!("{sheet} row {row}")
    } else {
        reference.to_string()
    }
}


fn score_text(score: Option<f64>) -> String {
    match score {
        Some(s) => format!("{s:.1}"),
        None => "no score".into(),
    }
}

fn signed(delta: f64) -> String {
    if delta > 0.0 {
        format!("+{delta:.1}")
    } else if delta < 0.0 {
        format!("−{:.1}", -delta)
    } else {
        "±0.0".into()
    }
}

fn date(s: &str) -> Option<Date> {
    crate::dates::date_prefix(s)
}

fn domain_title<'a>(a: &'a Assessment, id: &'a str) -> &'a str {
    a.scorecard.domains.iter().find(|d| d.id == id).map(|d| d.title.as_str()).unwrap_or(id)
}

/// The findings most severe first, then by due date, then in questionnaire order.
pub fn findings_by_severity(a: &Assessment) -> Vec<&Finding> {
    let mut f: Vec<&Finding> = a.scorecard.findings.iter().collect();
    f.sort_by(|x, y| y.severity.cmp(&x.severity).then_with(|| x.due.cmp(&y.due)));
    f
}

/// The file name of the questionnaire (the assessment keeps the path it was read from).
fn questionnaire_name(a: &Assessment) -> String {
    let q = a.questionnaire.trim();
    let name = Path::new(q).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if name.is_empty() {
        if q.is_empty() { "(unnamed questionnaire)".into() } else { q.to_string() }
    } else {
        name
    }
}

fn vendor_name(a: &Assessment) -> &str {
    match a.vendor.name.trim() {
        "" => "Unnamed vendor",
        n => n,
    }
}

/// A certification's standing on the assessment date.
fn certification_status(c: &Certification, today: Option<Date>) -> (String, Rgb8) {
    let Some(today) = today else { return ("—".into(), GREY) };
    if let Some(exp) = c.expires.as_deref().and_then(date) {
        if exp < today {
            return ("Expired".into(), RED);
        }
        if (exp - today).whole_days() <= EXPIRY_NOTICE_DAYS {
            return ("Expires soon".into(), AMBER);
        }
    }
    if let Some(end) = c.period_end.as_deref().and_then(date) {
        if (today - end).whole_days() > 365 {
            return ("Period over a year old".into(), AMBER);
        }
    }
    let unreadable = [&c.expires, &c.period_end].into_iter().flatten().any(|d| date(d).is_none());
    if unreadable {
        return ("Date unreadable".into(), GREY);
    }
    if c.expires.is_none() && c.period_end.is_none() {
        return ("No dates".into(), GREY);
    }
    ("Current".into(), GREEN)
}

// ---------------------------------------------------------------------------------------------
// The PDF.

/// Writes the risk report of `a` to `out` as a PDF (A4), atomically.
pub fn risk_pdf(a: &Assessment, out: &Path) -> Result<()> {
    write_bytes(out, &risk_pdf_bytes(a)?)
}

/// [`risk_pdf`] on the paper size chosen (US hospitals print on Letter).
pub fn risk_pdf_sized(a: &Assessment, out: &Path, size: PageSize) -> Result<()> {
    write_bytes(out, &risk_pdf_bytes_sized(a, size)?)
}

/// The risk report as PDF bytes (A4).
pub fn risk_pdf_bytes(a: &Assessment) -> Result<Vec<u8>> {
    risk_pdf_bytes_sized(a, PageSize::A4)
}

/// The risk report as PDF bytes on the paper size chosen.
pub fn risk_pdf_bytes_sized(a: &Assessment, size: PageSize) -> Result<Vec<u8>> {
    let name = vendor_name(a);
    let created = date(&a.assessed_on).map(|d| d.midnight().assume_utc().unix_timestamp()).unwrap_or(0);
    let title = format!("{name} – vendor risk assessment {}", a.assessed_on);
    let footer = format!("Quire · {name} · risk assessment {}", a.assessed_on);
    Ok(layout(a, size).finish(&title, &footer, created))
}

/// The report laid out on pages, before footers and fonts.
fn layout(a: &Assessment, size: PageSize) -> Canvas {
    let mut c = Canvas::new(size);
    title_block(&mut c, a);
    rating(&mut c, a);
    warnings(&mut c, a);
    profile(&mut c, a);
    domain_chart(&mut c, a);
    findings(&mut c, a);
    changes(&mut c, a);
    for f in &a.coverage {
        coverage(&mut c, a, f);
    }
    appendix(&mut c, a);
    c
}

/// A label and its value, the value wrapped beside the label.
fn key_value(c: &mut Canvas, key: &str, value: &str, max_lines: usize) {
    const KEY_W: f32 = 128.0;
    const SIZE: f32 = 9.0;
    const LINE: f32 = 12.5;
    let w = c.content_width() - KEY_W;
    let mut lines = wrap_capped(value, Face::Regular, SIZE, w, max_lines);
    if lines.is_empty() {
        lines.push("—".into());
    }
    c.ensure(lines.len() as f32 * LINE + 2.0);
    let x = c.left();
    c.text_in(x, KEY_W - 8.0, c.y + 9.5, key, Face::Bold, SIZE, MUTED, Align::Left);
    for line in &lines {
        c.text(x + KEY_W, c.y + 9.5, line, Face::Regular, SIZE, INK);
        c.y += LINE;
    }
    c.y += 1.5;
}

/// A smaller heading inside a section, kept with the header and first rows of its table.
fn subheading(c: &mut Canvas, text: &str) {
    c.y += 6.0;
    c.ensure(80.0);
    c.text_in(c.left(), c.content_width(), c.y + 10.0, text, Face::Bold, 10.0, INK, Align::Left);
    c.y += 16.0;
}

fn title_block(c: &mut Canvas, a: &Assessment) {
    let w = c.content_width();
    let x = c.left();
    c.text(x, c.y + 9.0, "VENDOR RISK ASSESSMENT", Face::Bold, 8.5, ACCENT);
    c.y += 16.0;
    for line in wrap_capped(vendor_name(a), Face::Bold, 20.0, w, 3) {
        c.text(x, c.y + 20.0, &line, Face::Bold, 20.0, INK);
        c.y += 25.0;
    }
    if !a.vendor.service.trim().is_empty() {
        for line in wrap_capped(&a.vendor.service, Face::Regular, 11.0, w, 3) {
            c.text(x, c.y + 11.0, &line, Face::Regular, 11.0, MUTED);
            c.y += 15.0;
        }
    }
    c.y += 6.0;
    key_value(c, "Assessed", &a.assessed_on, 1);
    key_value(c, "Questionnaire", &questionnaire_name(a), 3);
    let rubric = if a.scorecard.rubric_title.trim().is_empty() {
        a.scorecard.rubric.clone()
    } else {
        format!("{} ({})", a.scorecard.rubric_title, a.scorecard.rubric)
    };
    key_value(c, "Rubric", &rubric, 2);
    let ch = &a.choice;
    if let Some(r) = &ch.recognition {
        key_value(c, "Recognised as", &format!("{} ({}, confidence {:.2})", r.label(), r.certainty, r.confidence), 2);
    }
    if !ch.reason.is_empty() {
        key_value(c, "Why this rubric", &ch.reason, 5);
        key_value(
            c,
            "Placed",
            &format!("{} by question ID, {} by question text, {} classified by keywords, {} by guesswork (findings on those at most low)", ch.by_id, ch.by_text, ch.classified, ch.guessed),
            2,
        );
    }
    if !ch.unplaced.is_empty() {
        let shown: Vec<&str> = ch.unplaced.iter().take(12).map(String::as_str).collect();
        let more = if ch.unplaced.len() > shown.len() { format!("; … {} more in findings.xlsx", ch.unplaced.len() - shown.len()) } else { String::new() };
        key_value(c, "Not placed by the rubric", &format!("{}: {}{more}", ch.unplaced.len(), shown.join("; ")), 8);
    }
    let questions = a.scorecard.questions.len();
    let scored = a.scorecard.questions.iter().filter(|q| q.outcome.scored()).count();
    key_value(c, "Questions", &format!("{questions} read, {scored} scored"), 1);
    if !a.sha256.is_empty() {
        key_value(c, "File SHA-256", &a.sha256, 2);
    }
    c.y += 4.0;
    c.hrule(x, c.y, w, 1.2, ACCENT);
    c.y += 8.0;
}

/// The score, the tiers and the finding counts in one shaded panel.
fn rating(c: &mut Canvas, a: &Assessment) {
    const H: f32 = 92.0;
    c.ensure(H + 60.0);
    let (x, w) = (c.left(), c.content_width());
    let top = c.y + 4.0;
    c.rect(x, top, w, H, ZEBRA);
    // Score.
    let col1 = (w * 0.28).max(120.0);
    c.text_in(x + 12.0, col1 - 16.0, top + 18.0, "Overall score", Face::Bold, 8.5, MUTED, Align::Left);
    match a.scorecard.overall {
        Some(s) => {
            let big = format!("{s:.1}");
            c.text(x + 12.0, top + 52.0, &big, Face::Bold, 28.0, score_color(s));
            let bw = text_width(Face::Bold, 28.0, &big);
            c.text(x + 16.0 + bw, top + 52.0, "/ 100", Face::Regular, 11.0, MUTED);
            let bar_w = col1 - 28.0;
            c.rect(x + 12.0, top + 62.0, bar_w, 5.0, RULE);
            c.rect(x + 12.0, top + 62.0, bar_w * (s.clamp(0.0, 100.0) / 100.0) as f32, 5.0, score_color(s));
        }
        None => {
            c.text(x + 12.0, top + 48.0, "No score", Face::Bold, 20.0, MUTED);
            c.text_in(x + 12.0, col1 - 16.0, top + 64.0, "nothing could be scored", Face::Regular, 8.5, MUTED, Align::Left);
        }
    }
    c.text_in(x + 12.0, col1 - 16.0, top + 80.0, &format!("weighted over {} domains", a.scorecard.domains.len()), Face::Regular, 8.0, MUTED, Align::Left);
    // Tiers.
    let x2 = x + col1;
    let col2 = w * 0.40;
    c.line(x2, top + 10.0, x2, top + H - 10.0, 0.6, RULE, false);
    let half = (col2 - 24.0) / 2.0;
    c.text_in(x2 + 12.0, half, top + 18.0, "Inherent tier", Face::Bold, 8.5, MUTED, Align::Left);
    c.text_in(x2 + 12.0 + half + 12.0, half - 12.0, top + 18.0, "Residual tier", Face::Bold, 8.5, MUTED, Align::Left);
    let inherent = a.inherent_tier.as_str().to_uppercase();
    let residual = a.residual_tier.as_str().to_uppercase();
    badge_sized(c, x2 + 12.0, top + 30.0, half - 14.0, &inherent, tier_color(a.inherent_tier), Align::Left, 10.0);
    c.text(x2 + 12.0 + half - 8.0, top + 43.0, "→", Face::Bold, 12.0, MUTED);
    badge_sized(c, x2 + 12.0 + half + 12.0, top + 30.0, half - 12.0, &residual, tier_color(a.residual_tier), Align::Left, 10.0);
    let movement = match a.residual_tier.cmp(&a.inherent_tier) {
        std::cmp::Ordering::Less => "lowered by the score",
        std::cmp::Ordering::Equal => "kept by the score",
        std::cmp::Ordering::Greater => "raised by the score",
    };
    c.text_in(x2 + 12.0, col2 - 20.0, top + 66.0, movement, Face::Regular, 8.5, INK, Align::Left);
    let next = match &a.vendor.next_review {
        Some(n) => format!("next review {n}"),
        None => String::new(),
    };
    c.text_in(x2 + 12.0, col2 - 20.0, top + 80.0, &next, Face::Regular, 8.0, MUTED, Align::Left);
    // Finding counts.
    let x3 = x2 + col2;
    let col3 = w - col1 - col2;
    c.line(x3, top + 10.0, x3, top + H - 10.0, 0.6, RULE, false);
    let total = a.scorecard.findings.len();
    c.text_in(x3 + 12.0, col3 - 20.0, top + 18.0, &format!("Findings ({total})"), Face::Bold, 8.5, MUTED, Align::Left);
    for (i, sev) in [Criticality::Critical, Criticality::High, Criticality::Medium, Criticality::Low].into_iter().enumerate() {
        let n = a.finding_counts.get(sev.as_str()).copied().unwrap_or(0);
        let y = top + 32.0 + i as f32 * 14.0;
        c.rect(x3 + 12.0, y - 7.5, 8.0, 8.0, severity_color(sev));
        c.text_in(x3 + 26.0, col3 - 80.0, y, &capitalised(sev.as_str()), Face::Regular, 9.0, INK, Align::Left);
        c.text_in(x3 + col3 - 60.0, 44.0, y, &n.to_string(), Face::Bold, 9.0, INK, Align::Right);
    }
    c.y = top + H + 6.0;
    note(
        c,
        "The inherent tier comes from the intake (PHI volume, service criticality, connectivity, hosting). The residual tier adjusts it by the overall score: 85 or more lowers it one step, 70–85 keeps it, 50–70 raises it one step, under 50 makes it critical.",
        MUTED,
    );
}

fn warnings(c: &mut Canvas, a: &Assessment) {
    heading(c, "Paperwork warnings", None);
    if a.warnings.is_empty() {
        note(c, "None: the BAA and certifications on record raise no warning on the assessment date.", GREEN);
        return;
    }
    const SIZE: f32 = 9.0;
    const LINE: f32 = 12.0;
    const TAG_W: f32 = 72.0;
    let (x, w) = (c.left(), c.content_width());
    for warning in &a.warnings {
        let color = warning_color(&warning.severity);
        let lines = wrap_capped(&capitalised(&warning.message), Face::Regular, SIZE, w - TAG_W - 16.0, 6);
        let h = lines.len().max(1) as f32 * LINE + 8.0;
        c.ensure(h + 3.0);
        let top = c.y;
        c.rect(x, top, w, h, tint(color));
        c.rect(x, top, 3.0, h, color);
        c.text_in(x + 10.0, TAG_W - 12.0, top + 13.0, &warning.severity.to_uppercase(), Face::Bold, 8.0, color, Align::Left);
        for (i, line) in lines.iter().enumerate() {
            c.text(x + TAG_W, top + 13.5 + i as f32 * LINE, line, Face::Regular, SIZE, INK);
        }
        c.y = top + h + 3.0;
    }
}

/// A pale version of `color` for backgrounds.
fn tint(color: Rgb8) -> Rgb8 {
    let t = |v: u8| (v as f32 * 0.12 + 255.0 * 0.88) as u8;
    Rgb8(t(color.0), t(color.1), t(color.2))
}

fn profile(c: &mut Canvas, a: &Assessment) {
    let v = &a.vendor;
    heading(c, "Vendor profile", None);
    let phi: Vec<&str> = [(v.phi.creates, "creates"), (v.phi.receives, "receives"), (v.phi.maintains, "maintains"), (v.phi.transmits, "transmits")]
        .into_iter()
        .filter_map(|(on, w)| on.then_some(w))
        .collect();
    let ba = if phi.is_empty() { "No: handles no PHI".to_string() } else { format!("Yes: {} PHI", phi.join(", ")) };
    key_value(c, "Business associate", &ba, 2);
    key_value(c, "Hosting", hosting_label(v.intake.hosting), 1);
    key_value(c, "PHI volume", level_label(v.intake.phi_volume), 1);
    key_value(c, "Service criticality", level_label(v.intake.criticality), 1);
    key_value(c, "Connectivity", connectivity_label(v.intake.connectivity), 2);
    key_value(c, "Inherent tier", &format!("{} (reassessed every {} months)", v.inherent_tier.as_str(), v.inherent_tier.reassessment_months()), 1);
    let mut baa = capitalised(baa_label(v.baa.status));
    if let Some(s) = &v.baa.signed {
        baa.push_str(&format!(" on {s}"));
    }
    if let Some(e) = &v.baa.expires {
        baa.push_str(&format!(", expires {e}"));
    }
    key_value(c, "BAA", &baa, 2);
    if let Some(last) = &v.last_assessed {
        key_value(c, "Last assessed", last, 1);
    }
    if !v.notes.trim().is_empty() {
        key_value(c, "Notes", &v.notes, 6);
    }
    subheading(c, &format!("Certifications ({})", v.certifications.len()));
    if v.certifications.is_empty() {
        note(c, "None on record.", MUTED);
        return;
    }
    let today = date(&a.assessed_on);
    let columns = [
        Column::new("Certification or report", 0.0).bold().lines(3),
        Column::new("Period end", 72.0),
        Column::new("Expires", 72.0),
        Column::new("On the assessment date", 120.0),
    ];
    let rows = v.certifications.iter().map(|cert| {
        let (status, color) = certification_status(cert, today);
        vec![
            Cell::from(cert.kind.as_str()),
            Cell::from(cert.period_end.as_deref().unwrap_or("—")),
            Cell::from(cert.expires.as_deref().unwrap_or("—")),
            Cell::Badge(status, color),
        ]
    });
    draw_table(c, "Certifications", &columns, rows);
}

/// Geometry of the domain chart: label column, bar area, value and detail columns.
#[derive(Clone, Copy)]
struct Chart {
    x: f32,
    label_w: f32,
    bar_x: f32,
    bar_w: f32,
    value_w: f32,
    detail_w: f32,
}

impl Chart {
    fn new(c: &Canvas) -> Chart {
        let x = c.left();
        let w = c.content_width();
        let label_w = (w * 0.32).round();
        let value_w = 50.0;
        let detail_w = 62.0;
        Chart { x, label_w, bar_x: x + label_w, bar_w: w - label_w - value_w - detail_w - 8.0, value_w, detail_w }
    }

    fn at(&self, score: f64) -> f32 {
        self.bar_x + self.bar_w * (score.clamp(0.0, 100.0) / 100.0) as f32
    }

    /// The tick labels and column titles above the bars.
    fn axis(&self, c: &mut Canvas) {
        let base = c.y + 9.0;
        for t in [0.0, 25.0, 50.0, 75.0, 100.0] {
            let s = format!("{t:.0}");
            let tw = text_width(Face::Regular, 7.0, &s);
            c.text(self.at(t) - tw / 2.0, base, &s, Face::Regular, 7.0, MUTED);
        }
        c.text_in(self.x, self.label_w - 8.0, base, "DOMAIN", Face::Bold, 7.0, MUTED, Align::Left);
        let vx = self.bar_x + self.bar_w + 4.0;
        c.text_in(vx, self.value_w, base, "SCORE", Face::Bold, 7.0, MUTED, Align::Right);
        c.text_in(vx + self.value_w, self.detail_w, base, "WEIGHT · Q", Face::Bold, 7.0, MUTED, Align::Right);
        c.y += 13.0;
    }

    /// One bar row: the title (up to two lines), the bar or the "no score" box, the value.
    fn row(&self, c: &mut Canvas, title: &str, d: Option<&DomainScore>, score: Option<f64>, bold: bool, empty: &str) {
        const SIZE: f32 = 8.5;
        const LINE: f32 = 10.5;
        let face = if bold { Face::Bold } else { Face::Regular };
        let lines = wrap_capped(title, face, SIZE, self.label_w - 8.0, 2);
        let h = (lines.len().max(1) as f32 * LINE + 8.0).max(20.0);
        c.ensure(h);
        let top = c.y;
        for t in [0.0, 25.0, 50.0, 75.0, 100.0] {
            c.line(self.at(t), top, self.at(t), top + h, 0.4, RULE, t > 0.0 && t < 100.0);
        }
        let text_top = top + (h - lines.len().max(1) as f32 * LINE) / 2.0;
        for (i, line) in lines.iter().enumerate() {
            c.text(self.x, text_top + 8.0 + i as f32 * LINE, line, face, SIZE, INK);
        }
        let bar_h = 11.0;
        let bar_top = top + (h - bar_h) / 2.0;
        let vx = self.bar_x + self.bar_w + 4.0;
        let mid = bar_top + bar_h / 2.0 + 3.0;
        match score {
            Some(s) => {
                let color = score_color(s);
                let bw = self.at(s) - self.bar_x;
                c.rect(self.bar_x, bar_top, bw, bar_h, color);
                if bw < 1.5 {
                    // A score of 0: a red stub on the axis, so it does not read as "no bar".
                    c.rect(self.bar_x, bar_top, 1.5, bar_h, color);
                }
                c.text_in(vx, self.value_w, mid, &format!("{s:.1}"), Face::Bold, 9.0, INK, Align::Right);
            }
            None => {
                c.rect(self.bar_x, bar_top, self.bar_w, bar_h, Rgb8(0xFF, 0xFF, 0xFF));
                c.outline(self.bar_x, bar_top, self.bar_w, bar_h, 0.7, MUTED, true);
                c.text_in(self.bar_x + 6.0, self.bar_w - 12.0, mid - 0.5, empty, Face::Regular, 7.5, MUTED, Align::Left);
                c.text_in(vx, self.value_w, mid, "—", Face::Bold, 9.0, MUTED, Align::Right);
            }
        }
        if let Some(d) = d {
            let detail = format!("{} · {}/{}", trim_num(d.weight), d.scored, d.questions);
            c.text_in(vx + self.value_w, self.detail_w, mid, &detail, Face::Regular, 7.5, MUTED, Align::Right);
        }
        c.y = top + h;
    }
}

fn trim_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e12 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

fn domain_chart(c: &mut Canvas, a: &Assessment) {
    heading(
        c,
        "Domain scores",
        Some("Points earned of points possible in each domain, 0–100. Weight · Q: the domain's weight in the overall score and its scored / all questions."),
    );
    let chart = Chart::new(c);
    c.ensure(13.0 + 20.0 * (a.scorecard.domains.len().min(4) as f32) + 20.0);
    chart.axis(c);
    c.on_new_page = Some(Box::new(move |c: &mut Canvas| {
        let w = c.content_width();
        c.text_in(c.left(), w, c.y + 10.0, "Domain scores (continued)", Face::Bold, 10.0, ACCENT, Align::Left);
        c.y += 18.0;
        chart.axis(c);
    }));
    for d in &a.scorecard.domains {
        let title = if d.title.trim().is_empty() { d.id.as_str() } else { d.title.as_str() };
        chart.row(c, title, Some(d), d.score, false, "no score: nothing scorable in this domain");
    }
    c.hrule(c.left(), c.y, c.content_width(), 0.8, MUTED);
    chart.row(c, "Overall (weighted)", None, a.scorecard.overall, true, "no score: nothing could be scored");
    c.on_new_page = None;
    legend(c);
}

/// The colours of the chart, with the dashed "no score" box.
fn legend(c: &mut Canvas) {
    const SIZE: f32 = 8.0;
    let items: [(&str, Option<Rgb8>); 5] =
        [("85 or more", Some(GREEN)), ("70–85", Some(TEAL)), ("50–70", Some(AMBER)), ("under 50", Some(RED)), ("no score (not 0)", None)];
    c.y += 4.0;
    c.ensure(14.0);
    let right = c.left() + c.content_width();
    let mut x = c.left();
    for (text, color) in items {
        let w = 14.0 + text_width(Face::Regular, SIZE, text);
        if x > c.left() && x + w > right {
            c.y += 13.0;
            c.ensure(14.0);
            x = c.left();
        }
        let base = c.y + 9.0;
        match color {
            Some(col) => c.rect(x, base - 7.0, 9.0, 7.0, col),
            None => c.outline(x, base - 7.0, 9.0, 7.0, 0.7, MUTED, true),
        }
        c.text(x + 13.0, base, text, Face::Regular, SIZE, MUTED);
        x += w + 14.0;
    }
    c.y += 14.0;
}

fn findings(c: &mut Canvas, a: &Assessment) {
    let all = findings_by_severity(a);
    heading(c, &format!("Findings ({})", all.len()), None);
    if all.is_empty() {
        if a.scorecard.questions.iter().any(|q| q.outcome.scored()) {
            note(c, "None: every scored answer meets the rubric.", GREEN);
        } else {
            note(c, "None: no answer could be scored.", MUTED);
        }
        return;
    }
    let counts: Vec<String> = [Criticality::Critical, Criticality::High, Criticality::Medium, Criticality::Low]
        .iter()
        .map(|s| format!("{} {}", a.finding_counts.get(s.as_str()).copied().unwrap_or(0), s.as_str()))
        .collect();
    let shown = all.len().min(TOP_FINDINGS);
    let intro = if shown < all.len() {
        format!("{}. The {shown} most severe are below (then by due date); all {} are in the follow-up workbook and the appendix.", counts.join(" · "), all.len())
    } else {
        format!("{}. Most severe first, then by due date.", counts.join(" · "))
    };
    note(c, &intro, INK);
    c.y += 3.0;
    let flexible = c.content_width() - 52.0 - 54.0 - 58.0;
    let columns = [
        Column::new("Ref", 52.0).bold().lines(3),
        Column::new("Severity", 54.0),
        Column::new("Question · vendor answer", (flexible * 0.44).round()).lines(10),
        Column::new("Why · remediation", 0.0).lines(10),
        Column::new("Due", 58.0),
    ];
    let rows = all.iter().take(TOP_FINDINGS).map(|f| {
        let question = format!("{}\nAnswer: {}", shorten(&f.question, 170), shorten(&f.answer, 90));
        let why = format!("{}\n→ {}", shorten(&f.why, 140), shorten(&f.remediation, 280));
        vec![
            Cell::from(label(&f.reference, &f.sheet, f.row)),
            Cell::Badge(capitalised(f.severity.as_str()), severity_color(f.severity)),
            Cell::from(question),
            Cell::from(why),
            Cell::from(f.due.as_str()),
        ]
    });
    draw_table(c, "Findings", &columns, rows);
}

fn changes(c: &mut Canvas, a: &Assessment) {
    let Some(ch) = &a.changes else { return };
    heading(c, "Changes since the previous assessment", None);
    key_value(c, "Previous assessment", &ch.previous_on, 1);
    let overall = match (ch.previous_overall, a.scorecard.overall) {
        (Some(p), Some(n)) => format!("{p:.1} → {n:.1} ({})", signed(ch.overall_delta.unwrap_or(n - p))),
        (p, n) => format!("{} → {}", score_text(p), score_text(n)),
    };
    key_value(c, "Overall score", &overall, 1);
    let refs = |v: &[String]| if v.is_empty() { "none".to_string() } else { v.join(", ") };
    key_value(c, &format!("New findings ({})", ch.new_findings.len()), &refs(&ch.new_findings), 6);
    key_value(c, &format!("Closed findings ({})", ch.closed_findings.len()), &refs(&ch.closed_findings), 6);
    // Domains whose score moved, in the rubric's order (then any the rubric no longer has).
    let moved: Vec<(String, f64)> = a
        .scorecard
        .domains
        .iter()
        .filter_map(|d| ch.domain_deltas.get(&d.id).map(|delta| (d.title.clone(), *delta)))
        .chain(ch.domain_deltas.iter().filter(|(id, _)| !a.scorecard.domains.iter().any(|d| &d.id == *id)).map(|(id, d)| (id.clone(), *d)))
        .filter(|(_, delta)| delta.abs() >= 0.05)
        .collect();
    let unchanged = ch.domain_deltas.len() - moved.len();
    subheading(c, &format!("Domain scores changed ({})", moved.len()));
    if !moved.is_empty() {
        let columns = [Column::new("Domain", 0.0).lines(2), Column::new("Change (points)", 90.0).right().bold()];
        let rows = moved.iter().map(|(title, delta)| vec![Cell::from(title.as_str()), Cell::from(signed(*delta))]);
        draw_table(c, "Domain scores changed", &columns, rows);
    }
    if unchanged > 0 || moved.is_empty() {
        note(c, &format!("{unchanged} other domain{} scored the same both times.", if unchanged == 1 { "" } else { "s" }), MUTED);
    }
    subheading(c, &format!("Answers changed ({})", ch.answers.len()));
    if ch.answers.is_empty() {
        note(c, "None.", MUTED);
        return;
    }
    let columns = [Column::new("Ref", 0.0).bold().lines(2), Column::new("Before", 110.0), Column::new("Now", 110.0)];
    let rows = ch.answers.iter().map(|x| vec![Cell::from(x.reference.as_str()), Cell::from(x.before.as_str()), Cell::from(x.after.as_str())]);
    draw_table(c, "Answers changed", &columns, rows);
}

fn coverage(c: &mut Canvas, a: &Assessment, f: &FrameworkCoverage) {
    let title = if f.title.trim().is_empty() { f.id.as_str() } else { f.title.as_str() };
    let hosting = hosting_label(a.vendor.intake.hosting);
    let sub = format!(
        "{} controls: {} supported, {} contradicted or mixed, {} with no evidence. Supported: every answer mapped to the control meets it; contradicted: none does; mixed: some do. Owner: who operates the control for a {hosting} vendor.",
        f.controls.len(),
        f.supported,
        f.contradicted,
        f.no_evidence
    );
    heading(c, &format!("Coverage: {title}"), Some(&sub));
    if f.controls.is_empty() {
        note(c, "The catalogue lists no controls.", MUTED);
        return;
    }
    // The control column as wide as the longest ID ("164.308(a)(1)(ii)(A)"), within reason.
    let widest = f.controls.iter().map(|ctl| text_width(Face::Bold, BODY_SIZE, &ctl.id)).fold(0.0f32, f32::max);
    let columns = [
        Column::new("Control", (widest + 10.0).clamp(56.0, 120.0).ceil()).bold().lines(3),
        Column::new("Title", 0.0).lines(4),
        Column::new("Owner", 48.0),
        Column::new("Status", 76.0),
        Column::new("Supporting", 74.0).lines(4),
        Column::new("Contradicting", 74.0).lines(4),
    ];
    let list = |v: &[String]| if v.is_empty() { "—".to_string() } else { v.join(", ") };
    let rows = f.controls.iter().map(|ctl: &ControlCoverage| {
        vec![
            Cell::from(ctl.id.as_str()),
            Cell::from(ctl.title.as_str()),
            Cell::from(ctl.owner.as_deref().unwrap_or("—")),
            Cell::Badge(coverage_label(ctl.status).into(), coverage_color(ctl.status)),
            Cell::from(list(&ctl.supporting)),
            Cell::from(list(&ctl.contradicting)),
        ]
    });
    draw_table(c, &format!("Coverage: {title}"), &columns, rows);
}

fn appendix(c: &mut Canvas, a: &Assessment) {
    c.new_page();
    let qs = &a.scorecard.questions;
    heading(
        c,
        &format!("Appendix: all answers ({})", qs.len()),
        Some("Every question read from the questionnaire, in its order, with the vendor's answer (and comment), how it was scored and its domain."),
    );
    if qs.is_empty() {
        note(c, "No questions.", MUTED);
        return;
    }
    let columns = [
        Column::new("Ref", 52.0).bold().lines(3),
        Column::new("Question", 0.0).lines(6),
        Column::new("Answer", 120.0).lines(6),
        Column::new("Outcome", 66.0),
        Column::new("Domain", 92.0).lines(4),
    ];
    let rows = qs.iter().map(|q: &QuestionScore| {
        let mut answer = if q.answer.trim().is_empty() { "(blank)".to_string() } else { shorten(&q.answer, 80) };
        if !q.comment.trim().is_empty() {
            answer.push_str(&format!("\n{}", shorten(&q.comment, 160)));
        }
        if let Some(n) = q.note.as_deref().filter(|n| q.outcome == Outcome::NotInScope && !n.trim().is_empty()) {
            answer.push_str(&format!("\n({})", shorten(n, 120)));
        }
        vec![
            Cell::from(label(&q.reference, &q.sheet, q.row)),
            Cell::from(shorten(&q.question, 400)),
            Cell::from(answer),
            Cell::Badge(outcome_label(q.outcome).into(), outcome_color(q.outcome)),
            Cell::from(domain_title(a, &q.domain)),
        ]
    });
    draw_table(c, "All answers", &columns, rows);
}

// ---------------------------------------------------------------------------------------------
// The workbook.

/// Writes the follow-up workbook of `a` to `out` (.xlsx), atomically.
pub fn findings_xlsx(a: &Assessment, out: &Path) -> Result<()> {
    write_atomically(out, |tmp| {
        let xerr = |e: XlsxError| Error::Invalid(format!("cannot write {}: {e}", out.display()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_numbers_carry_their_sign() {
        assert_eq!(signed(-1.25), "−1.2");
        assert_eq!(signed(0.0), "±0.0");
    }

    #[test]
    fn certification_standing() {
        let today = crate::dates::parse_date("2026-03-02").ok();
        let cert = |p: Option<&str>, e: Option<&str>| Certification { kind: "SOC 2".into(), period_end: p.map(Into::into), expires: e.map(Into::into) };
        assert_eq!(certification_status(&cert(Some("2025-06-30"), Some("2026-12-31")), today).0, "Current");
        assert_eq!(certification_status(&cert(None, Some("2026-01-31")), today).0, "Expired");
        assert_eq!(certification_status(&cert(None, Some("2026-04-01")), today).0, "Expires soon");
        assert_eq!(certification_status(&cert(Some("2024-06-30"), None), today).0, "Period over a year old");
        assert_eq!(certification_status(&cert(Some("soon"), None), today).0, "Date unreadable");
        assert_eq!(certification_status(&cert(None, None), today).0, "No dates");
    }
}
