//! The reports' charts, drawn with plain rectangles: the summary's horizontal bar split into
//! answered / suggested / blank with the legend that names the same colours, and the risk
//! report's score bars (`ScoreChart`).

use super::canvas::{Align, Canvas, Rgb8, INK, MUTED, RULE};
use super::wrap::wrap_capped;
use super::font::{text_width, Face};
use super::stats::{percent, Counts};

/// Answered by a person (Draft, Reviewed, Approved).
pub const ANSWERED: Rgb8 = Rgb8(0x2E, 0x8B, 0x57);
/// Suggested by Quire, not reviewed.
pub const SUGGESTED: Rgb8 = Rgb8(0xF0, 0xA2, 0x02);
/// Blank.
pub const BLANK: Rgb8 = Rgb8(0xC7, 0xCE, 0xD8);

/// The three parts of a bar, in drawing order, with their labels.
pub fn parts(counts: &Counts) -> [(&'static str, usize, Rgb8); 3] {
    [
        ("Answered", counts.answered, ANSWERED),
        ("Suggested, not reviewed", counts.suggested, SUGGESTED),
        ("Blank", counts.blank, BLANK),
    ]
}

/// A stacked bar `width` wide; each part's length is its share of the total.
pub fn stacked_bar(c: &mut Canvas, x: f32, top: f32, width: f32, height: f32, counts: &Counts) {
    bar(c, x, top, width, height, counts, false)
}

/// The large overall bar, with percentages inside the parts that have room.
pub fn labelled_bar(c: &mut Canvas, x: f32, top: f32, width: f32, height: f32, counts: &Counts) {
    bar(c, x, top, width, height, counts, true)
}

fn bar(c: &mut Canvas, x: f32, top: f32, width: f32, height: f32, counts: &Counts, labels: bool) {
    let total = counts.total();
    if total == 0 {
        c.rect(x, top, width, height, BLANK);
        return;
    }
    let mut at = x;
    for (_, n, color) in parts(counts) {
        let w = width * n as f32 / total as f32;
        c.rect(at, top, w, height, color);
        if labels && n > 0 {
            let size = (height * 0.6).min(9.0);
            let label = format!("{}%", percent(n, total));
            let lw = text_width(Face::Bold, size, &label);
            if lw + 8.0 <= w {
                let ink = if color == BLANK || color == SUGGESTED { INK } else { Rgb8(0xFF, 0xFF, 0xFF) };
                c.text(at + (w - lw) / 2.0, top + height / 2.0 + size * 0.36, &label, Face::Bold, size, ink);
            }
        }
        at += w;
    }
}

/// The legend with counts: "■ Answered 120 (40%)  ■ Suggested, not reviewed 60 (20%)  ■ Blank …",
/// flowing onto more lines when the page is narrow or the numbers long.
pub fn legend(c: &mut Canvas, counts: &Counts) {
    const SIZE: f32 = 9.0;
    const LINE: f32 = 15.0;
    const SWATCH: f32 = 8.0;
    let total = counts.total();
    let left = c.left();
    let right = left + c.content_width();
    let mut x = left;
    c.ensure(LINE);
    for (label, n, color) in parts(counts) {
        let head = format!("{label} ");
        let num = n.to_string();
        let pct = format!(" ({}%)", percent(n, total));
        let w = SWATCH + 5.0
            + text_width(Face::Regular, SIZE, &head)
            + text_width(Face::Bold, SIZE, &num)
            + text_width(Face::Regular, SIZE, &pct);
        if x > left && x + w > right {
            c.y += LINE;
            c.ensure(LINE);
            x = left;
        }
        let base = c.y + 10.0;
        c.rect(x, base - SWATCH, SWATCH, SWATCH, color);
        let mut tx = x + SWATCH + 5.0;
        c.text(tx, base, &head, Face::Regular, SIZE, INK);
        tx += text_width(Face::Regular, SIZE, &head);
        c.text(tx, base, &num, Face::Bold, SIZE, INK);
        tx += text_width(Face::Bold, SIZE, &num);
        c.text(tx, base, &pct, Face::Regular, SIZE, super::canvas::MUTED);
        x += w + 18.0;
    }
    c.y += LINE;
}

/// Horizontal score bars on a 0–100 axis (the risk report's domain scores): a title column, the
/// bar or a dashed "no score" box, the value, and a detail column.
#[derive(Clone, Copy)]
pub struct ScoreChart {
    x: f32,
    label_w: f32,
    bar_x: f32,
    bar_w: f32,
    value_w: f32,
    detail_w: f32,
}

impl ScoreChart {
    pub fn new(c: &Canvas) -> ScoreChart {
        let x = c.left();
        let w = c.content_width();
        let label_w = (w * 0.32).round();
        let value_w = 50.0;
        let detail_w = 62.0;
        ScoreChart { x, label_w, bar_x: x + label_w, bar_w: w - label_w - value_w - detail_w - 8.0, value_w, detail_w }
    }

    fn at(&self, score: f64) -> f32 {
        self.bar_x + self.bar_w * (score.clamp(0.0, 100.0) / 100.0) as f32
    }

    /// The tick labels and column titles above the bars.
    pub fn axis(&self, c: &mut Canvas) {
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

    /// One bar row: the title (up to two lines), the bar in its colour or the "no score" box
    /// saying `empty`, the value, and the detail.
    pub fn row(&self, c: &mut Canvas, title: &str, detail: Option<&str>, score: Option<(f64, Rgb8)>, bold: bool, empty: &str) {
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
            Some((s, color)) => {
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
        if let Some(detail) = detail {
            c.text_in(vx + self.value_w, self.detail_w, mid, detail, Face::Regular, 7.5, MUTED, Align::Right);
        }
        c.y = top + h;
    }
}
