//! The risk report for the hospital's risk committee (see the module above for its sections),
//! drawn on the same canvas, font and tables as the questionnaire summary.

use super::super::chart::ScoreChart;
use super::super::canvas::{Align, Canvas, PageSize, Rgb8, ACCENT, INK, MUTED, RULE, ZEBRA};
use super::super::font::{text_width, Face};
use super::super::table::{badge_sized, draw_table, heading, note, Cell, Column, BODY_SIZE};
use super::super::wrap::wrap_capped;
use crate::assess::catalogue::Criticality;
use crate::assess::coverage::{ControlCoverage, FrameworkCoverage};
use crate::assess::score::{Outcome, QuestionScore};
use crate::assess::Assessment;
use crate::display::shorten;
use crate::atomic::write_bytes;
use crate::error::Result;
use std::path::Path;
use super::*;
use super::labels::*;
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
    let chart = ScoreChart::new(c);
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
        let detail = format!("{} · {}/{}", trim_num(d.weight), d.scored, d.questions);
        chart.row(c, title, Some(&detail), d.score.map(|s| (s, score_color(s))), false, "no score: nothing scorable in this domain");
    }
    c.hrule(c.left(), c.y, c.content_width(), 0.8, MUTED);
    chart.row(c, "Overall (weighted)", None, a.scorecard.overall.map(|s| (s, score_color(s))), true, "no score: nothing could be scored");
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

