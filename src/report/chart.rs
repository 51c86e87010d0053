//! The summary's one chart, drawn with plain rectangles: a horizontal bar split into answered /
//! suggested / blank, and the legend that names the same colours.

use super::canvas::{Canvas, Rgb8, INK};
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
