//! The PDF summary of a filled questionnaire: what is answered, suggested and blank overall and
//! per section (with a bar chart), the answers to check (low confidence), the questions left
//! unanswered, and the evidence the answers cite.

use super::canvas::{Align, Canvas, PageSize, ACCENT, INK, MUTED};
use super::chart::{labelled_bar, legend};
use super::font::Face;
use super::stats::{summarize, Summary};
use super::table::{draw_table, heading, note, Cell, Column};
use super::wrap::wrap_capped;
use crate::atomic::write_bytes;
use crate::error::Result;
use crate::review::{Review, ReviewedQuestion};
use std::path::Path;
use time::OffsetDateTime;

/// How the summary is made.
#[derive(Debug, Clone)]
pub struct SummaryOptions {
    /// Answers whose confidence is below this are listed for checking (default 0.8).
    pub low_confidence: f32,
    pub page_size: PageSize,
    /// The time printed as "Generated …"; `None` for now.
    pub generated_at: Option<OffsetDateTime>,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        SummaryOptions { low_confidence: 0.8, page_size: PageSize::A4, generated_at: None }
    }
}

/// Writes the summary of `review` to `out` as a PDF, atomically.
pub fn summary_pdf(review: &Review, out: &Path, opts: &SummaryOptions) -> Result<()> {
    write_bytes(out, &summary_pdf_bytes(review, opts))
}

/// The summary as PDF bytes (for a preview, or to write elsewhere).
pub fn summary_pdf_bytes(review: &Review, opts: &SummaryOptions) -> Vec<u8> {
    let name = display_name(review);
    // One clock reading for the date printed and the document's metadata.
    let opts = &SummaryOptions { generated_at: Some(generated_at(opts)), ..opts.clone() };
    let created = generated_at(opts).unix_timestamp();
    layout(review, opts).finish(&format!("{name} – summary"), &format!("Quire · {name}"), created)
}

fn display_name(review: &Review) -> &str {
    match review.questionnaire.trim() {
        "" => "Untitled questionnaire",
        name => name,
    }
}

/// The summary laid out on pages, before the footers and fonts are added.
fn layout(review: &Review, opts: &SummaryOptions) -> Canvas {
    let summary = summarize(review, opts.low_confidence);
    let mut c = Canvas::new(opts.page_size);
    let name = display_name(review);
    title_block(&mut c, name, &summary, opts);
    overview(&mut c, &summary, opts.low_confidence);
    sections(&mut c, &summary);
    low_confidence(&mut c, &summary, opts.low_confidence);
    unanswered(&mut c, &summary);
    evidence(&mut c, &summary);
    c
}

fn generated_at(opts: &SummaryOptions) -> OffsetDateTime {
    opts.generated_at.unwrap_or_else(OffsetDateTime::now_utc)
}

fn generated(opts: &SummaryOptions) -> String {
    let at = generated_at(opts).to_offset(time::UtcOffset::UTC);
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    at.format(&fmt).unwrap_or_default()
}

fn title_block(c: &mut Canvas, name: &str, s: &Summary<'_>, opts: &SummaryOptions) {
    let w = c.content_width();
    let x = c.left();
    c.text(x, c.y + 9.0, "QUESTIONNAIRE SUMMARY", Face::Bold, 8.5, ACCENT);
    c.y += 16.0;
    for line in wrap_capped(name, Face::Bold, 19.0, w, 3) {
        c.text(x, c.y + 19.0, &line, Face::Bold, 19.0, INK);
        c.y += 24.0;
    }
    let questions = s.overall.total();
    let line = format!(
        "Generated {} · {} question{} in {} section{}",
        generated(opts),
        questions,
        if questions == 1 { "" } else { "s" },
        s.sections.len(),
        if s.sections.len() == 1 { "" } else { "s" }
    );
    c.text_in(x, w, c.y + 10.0, &line, Face::Regular, 9.0, MUTED, Align::Left);
    c.y += 18.0;
    c.hrule(x, c.y, w, 1.2, ACCENT);
    c.y += 8.0;
}

fn overview(c: &mut Canvas, s: &Summary<'_>, threshold: f32) {
    heading(c, "Overview", None);
    let w = c.content_width();
    labelled_bar(c, c.left(), c.y, w, 18.0, &s.overall);
    c.y += 26.0;
    legend(c, &s.overall);
    c.y += 2.0;
    let attention = format!(
        "{} unreviewed answer{} below {}% confidence and {} unanswered question{} need attention; they are listed below.",
        s.low_confidence.len(),
        if s.low_confidence.len() == 1 { "" } else { "s" },
        pct(threshold),
        s.unanswered.len(),
        if s.unanswered.len() == 1 { "" } else { "s" },
    );
    note(c, &attention, INK);
}

fn pct(threshold: f32) -> String {
    format!("{:.0}", (threshold * 100.0).clamp(0.0, 100.0))
}

fn sections(c: &mut Canvas, s: &Summary<'_>) {
    heading(c, "By section", Some("Each bar shows the section's questions: answered, suggested but not reviewed, and blank."));
    let columns = [
        Column::new("Section", 0.0).lines(3),
        Column::new("Progress", 150.0),
        Column::new("Answered", 52.0).right(),
        Column::new("Suggested", 54.0).right(),
        Column::new("Blank", 44.0).right(),
        Column::new("Total", 44.0).right().bold(),
    ];
    let rows = s.sections.iter().map(|sec| {
        let k = sec.counts;
        vec![
            Cell::from(sec.name.as_str()),
            Cell::Bar(k),
            k.answered.to_string().into(),
            k.suggested.to_string().into(),
            k.blank.to_string().into(),
            k.total().to_string().into(),
        ]
    });
    draw_table(c, "By section", &columns, rows);
}

fn place(q: &ReviewedQuestion) -> String {
    format!("{}\nrow {}", q.question.sheet, q.question.row)
}

fn low_confidence(c: &mut Canvas, s: &Summary<'_>, threshold: f32) {
    let sub = format!(
        "Answers not yet reviewed whose suggestion confidence is below {}%: check them before sending.",
        pct(threshold)
    );
    heading(c, &format!("Low-confidence answers ({})", s.low_confidence.len()), Some(&sub));
    if s.low_confidence.is_empty() {
        note(c, "None.", MUTED);
        return;
    }
    let columns = [
        Column::new("Ref", 54.0).bold().lines(2),
        Column::new("Where", 78.0).lines(3),
        Column::new("Question", 0.0).lines(10),
        Column::new("Answer", 92.0).lines(5),
        Column::new("Confidence", 56.0).right(),
    ];
    let rows = s.low_confidence.iter().map(|q| {
        let answer = format!("{}\n({})", q.answer.as_deref().unwrap_or("").trim(), q.status.as_str());
        let conf = q.confidence.map(|v| format!("{:.0}%", (v * 100.0).clamp(0.0, 100.0))).unwrap_or_default();
        vec![q.question.reference.as_str().into(), place(q).into(), q.question.text.as_str().into(), answer.into(), conf.into()]
    });
    draw_table(c, "Low-confidence answers", &columns, rows);
}

fn unanswered(c: &mut Canvas, s: &Summary<'_>) {
    heading(c, &format!("Unanswered questions ({})", s.unanswered.len()), None);
    if s.unanswered.is_empty() {
        note(c, "None: every question has an answer or a suggestion.", MUTED);
        return;
    }
    let columns = [
        Column::new("Ref", 54.0).bold().lines(2),
        Column::new("Where", 96.0).lines(3),
        Column::new("Question", 0.0).lines(10),
    ];
    let rows = s
        .unanswered
        .iter()
        .map(|q| vec![q.question.reference.as_str().into(), place(q).into(), q.question.text.as_str().into()]);
    draw_table(c, "Unanswered questions", &columns, rows);
}

fn evidence(c: &mut Canvas, s: &Summary<'_>) {
    heading(c, &format!("Evidence referenced ({})", s.evidence.len()), None);
    if s.evidence.is_empty() {
        note(c, "No answer cites an evidence document.", MUTED);
        return;
    }
    let columns = [Column::new("Document", 0.0).lines(3), Column::new("Answers citing it", 96.0).right()];
    let rows = s.evidence.iter().map(|(title, n)| vec![title.as_str().into(), n.to_string().into()]);
    draw_table(c, "Evidence referenced", &columns, rows);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::ReviewStatus;
    use crate::sheet::model::Question;

    fn hostile_review() -> Review {
        let texts = [
            "Zürich 東京 ﺍﻟﻌﺮﺑﻴﺔ 😀 \u{202E}reversed\u{202C} tab\there\u{0}nul".to_string(),
            format!("https://example.com/{}", "x".repeat(3000)),
            "Do you encrypt data at rest? ".repeat(80),
            "W".repeat(500),
            String::new(),
        ];
        let statuses = [ReviewStatus::Blank, ReviewStatus::Suggested, ReviewStatus::Draft, ReviewStatus::Approved];
        let questions = (0..60)
            .map(|i| {
                let t = &texts[i % texts.len()];
                crate::review::ReviewedQuestion {
                    question: Question {
                        sheet: if i % 2 == 0 { t.clone() } else { "Sheet1".into() },
                        row: i + 2,
                        reference: t.chars().take(40).collect(),
                        text: t.clone(),
                        domain: if i % 3 == 0 { t.clone() } else { String::new() },
                        answer: String::new(),
                        answer_kind: None,
                        comment: String::new(),
                        answer_cell: None,
                        choice_cells: Vec::new(),
                        comment_cell: None,
                    },
                    answer: Some(t.clone()),
                    comment: None,
                    status: statuses[i % statuses.len()],
                    confidence: Some((i % 10) as f32 / 10.0),
                    source: None,
                    evidence: vec![t.clone()], alternatives: Vec::new(), changed_by: None, changed_at: None,
                }
            })
            .collect();
        Review { questionnaire: texts[1].clone(), questions }
    }

    #[test]
    fn no_text_runs_past_the_right_margin() {
        for size in [PageSize::A4, PageSize::Letter] {
            let opts = SummaryOptions { page_size: size, ..Default::default() };
            let c = layout(&hostile_review(), &opts);
            let limit = c.width - super::super::canvas::MARGIN + 0.01;
            assert!(c.widest > 0.0 && c.widest <= limit, "{size:?}: text reaches {} pt, limit {limit}", c.widest);
            let pdf = c.finish("t", "n", 0);
            assert!(pdf.starts_with(b"%PDF"));
        }
    }

    #[test]
    fn an_empty_review_still_makes_a_page() {
        let review = Review { questionnaire: String::new(), questions: Vec::new() };
        let pdf = summary_pdf_bytes(&review, &SummaryOptions::default());
        assert!(pdf.starts_with(b"%PDF"));
    }
}
