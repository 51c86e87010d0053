//! Tables on a [`Canvas`]: a header row repeated on every page the table runs onto, rows whose
//! cells wrap within their column (long cells are cut with "…" after a few lines, so a row
//! always fits a page), alternate row shading, a bar-chart cell kind for the section table and a
//! coloured label kind (severity, status). Also the section heading and the note of the reports.

use super::canvas::{Align, Canvas, Rgb8, ACCENT, INK, MUTED, RULE, WHITE, ZEBRA};
use super::chart::stacked_bar;
use super::font::{text_width, Face};
use super::stats::Counts;
use super::wrap::{fit_line, wrap_capped};

pub const BODY_SIZE: f32 = 8.5;
const HEAD_SIZE: f32 = 7.5;
const LEADING: f32 = 11.0;
const PAD_X: f32 = 4.0;
const PAD_Y: f32 = 4.0;
const HEAD_HEIGHT: f32 = 18.0;

#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    /// Width in points; 0 takes what the other columns leave.
    pub width: f32,
    pub align: Align,
    pub face: Face,
    /// Lines a cell may take before it is cut with "…".
    pub max_lines: usize,
}

impl Column {
    pub fn new(title: &str, width: f32) -> Self {
        Column { title: title.to_string(), width, align: Align::Left, face: Face::Regular, max_lines: 4 }
    }
    pub fn right(mut self) -> Self {
        self.align = Align::Right;
        self
    }
    pub fn bold(mut self) -> Self {
        self.face = Face::Bold;
        self
    }
    pub fn lines(mut self, n: usize) -> Self {
        self.max_lines = n;
        self
    }
}

/// What a cell holds.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    /// A stacked bar of answered / suggested / blank.
    Bar(Counts),
    /// A short label on a coloured chip (a severity, a status); one line, cut with "…".
    Badge(String, Rgb8),
}

/// A cell ready to draw.
enum Drawn {
    Lines(Vec<String>),
    Bar(Counts),
    Badge(String, Rgb8),
}

const BADGE_SIZE: f32 = 7.5;

/// A coloured chip with `label` in it, `top` its top edge, no wider than `max_width`; returns its
/// width. Text is white on dark colours, ink on light ones.
pub fn badge(c: &mut Canvas, x: f32, top: f32, max_width: f32, label: &str, color: Rgb8, align: Align) -> f32 {
    badge_sized(c, x, top, max_width, label, color, align, BADGE_SIZE)
}

/// [`badge`] at a chosen text size; the chip is `size * 1.5` high.
#[allow(clippy::too_many_arguments)]
pub fn badge_sized(c: &mut Canvas, x: f32, top: f32, max_width: f32, label: &str, color: Rgb8, align: Align, size: f32) -> f32 {
    let pad = size * 0.55;
    let label = fit_line(label, Face::Bold, size, (max_width - 2.0 * pad).max(size));
    let w = (text_width(Face::Bold, size, &label) + 2.0 * pad).min(max_width.max(0.0));
    let x = match align {
        Align::Left => x,
        Align::Right => x + max_width - w,
    };
    let h = size * 1.5;
    c.rect(x, top, w, h, color);
    let ink = if color.is_light() { INK } else { WHITE };
    c.text(x + pad, top + h / 2.0 + size * 0.36, &label, Face::Bold, size, ink);
    w
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

/// Columns with their widths resolved to the canvas.
fn resolve(c: &Canvas, columns: &[Column]) -> Vec<Column> {
    let fixed: f32 = columns.iter().map(|c| c.width).sum();
    let flexible = columns.iter().filter(|c| c.width <= 0.0).count().max(1) as f32;
    let rest = ((c.content_width() - fixed) / flexible).max(40.0);
    columns.iter().map(|col| Column { width: if col.width > 0.0 { col.width } else { rest }, ..col.clone() }).collect()
}

fn draw_header(c: &mut Canvas, columns: &[Column]) {
    let top = c.y;
    let mut x = c.left();
    for col in columns {
        let inner = col.width - 2.0 * PAD_X;
        c.text_in(x + PAD_X, inner, top + 12.0, &col.title, Face::Bold, HEAD_SIZE, MUTED, col.align);
        x += col.width;
    }
    let w = c.content_width();
    c.hrule(c.left(), top + HEAD_HEIGHT - 1.0, w, 0.8, MUTED);
    c.y = top + HEAD_HEIGHT;
}

/// Draws a table at the cursor, breaking onto new pages as needed; a page it continues on
/// starts with "`title` (continued)" and the header row.
pub fn draw_table(c: &mut Canvas, title: &str, columns: &[Column], rows: impl IntoIterator<Item = Vec<Cell>>) {
    let columns = resolve(c, columns);
    c.ensure(HEAD_HEIGHT + LEADING + 2.0 * PAD_Y);
    draw_header(c, &columns);
    let repeat = columns.clone();
    let continued = format!("{title} (continued)");
    c.on_new_page = Some(Box::new(move |c: &mut Canvas| {
        let w = c.content_width();
        c.text_in(c.left(), w, c.y + 10.0, &continued, Face::Bold, 10.0, ACCENT, Align::Left);
        c.y += 18.0;
        draw_header(c, &repeat)
    }));

    for (i, row) in rows.into_iter().enumerate() {
        let cells: Vec<Drawn> = columns
            .iter()
            .zip(row.iter().chain(std::iter::repeat(&Cell::Text(String::new()))))
            .map(|(col, cell)| match cell {
                Cell::Text(t) => Drawn::Lines(wrap_capped(t, col.face, BODY_SIZE, col.width - 2.0 * PAD_X, col.max_lines)),
                Cell::Bar(counts) => Drawn::Bar(*counts),
                Cell::Badge(t, color) => Drawn::Badge(t.clone(), *color),
            })
            .collect();
        let lines = cells.iter().map(|d| if let Drawn::Lines(l) = d { l.len() } else { 1 }).max().unwrap_or(0).max(1);
        let height = lines as f32 * LEADING + 2.0 * PAD_Y;
        c.ensure(height);
        let top = c.y;
        if i % 2 == 1 {
            let w = c.content_width();
            c.rect(c.left(), top, w, height, ZEBRA);
        }
        let mut x = c.left();
        for (col, cell) in columns.iter().zip(&cells) {
            let inner = col.width - 2.0 * PAD_X;
            match cell {
                Drawn::Bar(counts) => stacked_bar(c, x + PAD_X, top + PAD_Y + 1.5, inner, LEADING - 3.0, counts),
                Drawn::Badge(label, color) if !label.trim().is_empty() => {
                    badge(c, x + PAD_X, top + PAD_Y - 0.5, inner, label, *color, col.align);
                }
                Drawn::Badge(..) => {}
                Drawn::Lines(lines) => {
                    for (n, line) in lines.iter().enumerate() {
                        let baseline = top + PAD_Y + 8.5 + n as f32 * LEADING;
                        c.text_in(x + PAD_X, inner, baseline, line, col.face, BODY_SIZE, INK, col.align);
                    }
                }
            }
            x += col.width;
        }
        let w = c.content_width();
        c.hrule(c.left(), top + height, w, 0.4, RULE);
        c.y = top + height;
    }
    c.on_new_page = None;
}

/// A section heading, kept with the start of what follows it, and an optional note under it.
pub fn heading(c: &mut Canvas, title: &str, subtitle: Option<&str>) {
    c.ensure(90.0);
    c.y += 12.0;
    let w = c.content_width();
    c.text_in(c.left(), w, c.y + 13.0, title, Face::Bold, 13.0, ACCENT, Align::Left);
    c.y += 20.0;
    if let Some(sub) = subtitle {
        note(c, sub, MUTED);
        c.y += 3.0;
    }
}

/// A one-line note in muted text at the cursor (e.g. "None." under an empty list).
pub fn note(c: &mut Canvas, text: &str, color: Rgb8) {
    let w = c.content_width();
    for line in wrap_capped(text, Face::Regular, 9.0, w, 6) {
        c.ensure(13.0);
        let base = c.y + 10.0;
        c.text(c.left(), base, &line, Face::Regular, 9.0, color);
        c.y += 13.0;
    }
}
