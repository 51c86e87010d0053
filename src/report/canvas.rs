//! A page-flow canvas over printpdf's operations: positions are measured from the top-left of
//! the page in points, a cursor moves down as content is placed, and a new page starts when the
//! next block would cross the bottom margin. It remembers the characters drawn in each face so
//! the embedded font can be subset to them, and stamps "Page N of M" footers at the end.

use super::font::{self, text_width, Face};
use super::wrap::fit_line;
use printpdf::{
    Color, FontId, Line, LineDashPattern, LinePoint, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point, Pt, Rect, Rgb, TextItem,
};
use std::collections::BTreeSet;

/// Paper sizes, in points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PageSize {
    /// 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl PageSize {
    fn points(self) -> (f32, f32) {
        match self {
            PageSize::A4 => (595.28, 841.89),
            PageSize::Letter => (612.0, 792.0),
        }
    }
}

/// An sRGB colour from a "#RRGGBB"-style triple.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb8(pub u8, pub u8, pub u8);

impl Rgb8 {
    fn color(self) -> Color {
        Color::Rgb(Rgb::new(self.0 as f32 / 255.0, self.1 as f32 / 255.0, self.2 as f32 / 255.0, None))
    }

    /// Whether dark text reads better on this colour than white text.
    pub fn is_light(self) -> bool {
        0.299 * self.0 as f32 + 0.587 * self.1 as f32 + 0.114 * self.2 as f32 > 150.0
    }
}

/// White, for text on dark fills.
pub const WHITE: Rgb8 = Rgb8(0xFF, 0xFF, 0xFF);

/// Horizontal alignment of a line of text in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

pub const MARGIN: f32 = 48.0;
/// Room kept below the content for the footer.
const FOOTER: f32 = 26.0;

pub struct Canvas {
    pub width: f32,
    pub height: f32,
    /// Distance of the cursor from the top of the page.
    pub y: f32,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    used: [BTreeSet<char>; 2],
    /// The right edge of the widest text drawn, to check that nothing runs off the page.
    pub widest: f32,
    /// Drawn after each new page starts (e.g. a table's header row); set by the caller.
    pub on_new_page: Option<PageHook>,
}

/// Something drawn at the top of each new page.
pub type PageHook = Box<dyn Fn(&mut Canvas)>;

fn font_id(face: Face) -> FontId {
    FontId(match face {
        Face::Regular => "DejaVuSans".into(),
        Face::Bold => "DejaVuSansBold".into(),
    })
}

impl Canvas {
    pub fn new(size: PageSize) -> Self {
        let (width, height) = size.points();
        Canvas { width, height, y: MARGIN, pages: Vec::new(), ops: Vec::new(), used: Default::default(), widest: 0.0, on_new_page: None }
    }

    pub fn left(&self) -> f32 {
        MARGIN
    }

    pub fn content_width(&self) -> f32 {
        self.width - 2.0 * MARGIN
    }

    /// The lowest the content may reach.
    pub fn bottom(&self) -> f32 {
        self.height - MARGIN - FOOTER
    }

    /// Room left on this page below the cursor.
    pub fn room(&self) -> f32 {
        self.bottom() - self.y
    }

    pub fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.ops));
        self.y = MARGIN;
        if let Some(hook) = self.on_new_page.take() {
            hook(self);
            self.on_new_page = Some(hook);
        }
    }

    /// Starts a new page unless `height` more points fit below the cursor.
    pub fn ensure(&mut self, height: f32) {
        if height > self.room() && self.y > MARGIN {
            self.new_page();
        }
    }

    /// Draws one line of text with its baseline at `baseline` (from the top). The caller makes
    /// it fit; this never wraps.
    pub fn text(&mut self, x: f32, baseline: f32, text: &str, face: Face, size: f32, color: Rgb8) {
        if text.is_empty() {
            return;
        }
        let text: String = text.chars().map(|c| font::displayable(face, c)).collect();
        let text = text.as_str();
        let slot = match face {
            Face::Regular => 0,
            Face::Bold => 1,
        };
        self.used[slot].extend(text.chars());
        self.widest = self.widest.max(x + text_width(face, size, text));
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor { col: color.color() },
            Op::SetFont { font: PdfFontHandle::External(font_id(face)), size: Pt(size) },
            Op::SetTextCursor { pos: Point { x: Pt(x), y: Pt(self.height - baseline) } },
            Op::ShowText { items: vec![TextItem::Text(text.to_string())] },
            Op::EndTextSection,
        ]);
    }

    /// One line in a box `width` wide at `x`, aligned, cut with "…" if it would not fit.
    #[allow(clippy::too_many_arguments)]
    pub fn text_in(&mut self, x: f32, width: f32, baseline: f32, text: &str, face: Face, size: f32, color: Rgb8, align: Align) {
        let line = fit_line(text, face, size, width);
        let x = match align {
            Align::Left => x,
            Align::Right => x + width - text_width(face, size, &line),
        };
        self.text(x, baseline, &line, face, size, color);
    }

    /// A filled rectangle; `top` is measured from the top of the page.
    pub fn rect(&mut self, x: f32, top: f32, width: f32, height: f32, color: Rgb8) {
        if width <= 0.0 || height <= 0.0 {
            return;
        }
        self.ops.push(Op::SetFillColor { col: color.color() });
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                mode: Some(PaintMode::Fill),
                ..Rect::from_xywh(Pt(x), Pt(self.height - top - height), Pt(width), Pt(height))
            },
        });
    }

    /// A horizontal rule across `width` at `y` (from the top).
    pub fn hrule(&mut self, x: f32, y: f32, width: f32, thickness: f32, color: Rgb8) {
        let p = |x: f32| LinePoint { p: Point { x: Pt(x), y: Pt(self.height - y) }, bezier: false };
        self.ops.extend([
            Op::SetOutlineColor { col: color.color() },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine { line: Line { points: vec![p(x), p(x + width)], is_closed: false } },
        ]);
    }

    /// A straight line from (`x1`, `y1`) to (`x2`, `y2`), measured from the top; dashed when
    /// `dashed`.
    #[allow(clippy::too_many_arguments)]
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thickness: f32, color: Rgb8, dashed: bool) {
        let h = self.height;
        let p = |x: f32, y: f32| LinePoint { p: Point { x: Pt(x), y: Pt(h - y) }, bezier: false };
        self.stroke(thickness, color, dashed, Op::DrawLine { line: Line { points: vec![p(x1, y1), p(x2, y2)], is_closed: false } });
    }

    /// The outline of a rectangle; `top` is measured from the top of the page.
    #[allow(clippy::too_many_arguments)]
    pub fn outline(&mut self, x: f32, top: f32, width: f32, height: f32, thickness: f32, color: Rgb8, dashed: bool) {
        if width <= 0.0 || height <= 0.0 {
            return;
        }
        let rectangle = Rect { mode: Some(PaintMode::Stroke), ..Rect::from_xywh(Pt(x), Pt(self.height - top - height), Pt(width), Pt(height)) };
        self.stroke(thickness, color, dashed, Op::DrawRectangle { rectangle });
    }

    /// A stroked shape in its own graphics state, so a dash pattern does not leak into later
    /// lines.
    fn stroke(&mut self, thickness: f32, color: Rgb8, dashed: bool, shape: Op) {
        self.ops.push(Op::SaveGraphicsState);
        self.ops.push(Op::SetOutlineColor { col: color.color() });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        if dashed {
            self.ops.push(Op::SetLineDashPattern { dash: LineDashPattern::new(0.0, &[3.0, 2.0]) });
        }
        self.ops.push(shape);
        self.ops.push(Op::RestoreGraphicsState);
    }

    /// Finishes the document: a footer on every page (`left_note` and "Page N of M"), the font
    /// subset to what was drawn, and the PDF's bytes. `created` (Unix time) dates the document.
    pub fn finish(mut self, title: &str, left_note: &str, created: i64) -> Vec<u8> {
        self.on_new_page = None;
        if !self.ops.is_empty() || self.pages.is_empty() {
            self.pages.push(std::mem::take(&mut self.ops));
        }
        let total = self.pages.len();
        let pages = std::mem::take(&mut self.pages);
        let (w, h) = (self.width, self.height);
        let mut out = Vec::with_capacity(total);
        for (i, ops) in pages.into_iter().enumerate() {
            self.ops = ops;
            let rule_y = h - MARGIN - FOOTER + 12.0;
            let base = rule_y + 12.0;
            let cw = self.content_width();
            self.hrule(MARGIN, rule_y, cw, 0.5, RULE);
            let number = format!("Page {} of {}", i + 1, total);
            let nw = text_width(Face::Regular, 8.0, &number);
            self.text(w - MARGIN - nw, base, &number, Face::Regular, 8.0, MUTED);
            self.text_in(MARGIN, cw - nw - 24.0, base, left_note, Face::Regular, 8.0, MUTED, Align::Left);
            out.push(PdfPage::new(Pt(w).into(), Pt(h).into(), std::mem::take(&mut self.ops)));
        }

        let mut doc = PdfDocument::new(title);
        doc.metadata.info.creator = "Quire".into();
        doc.metadata.info.producer = "Quire".into();
        if let Ok(at) = printpdf::OffsetDateTime::from_unix_timestamp(created) {
            doc.metadata.info.creation_date = at;
            doc.metadata.info.modification_date = at;
            doc.metadata.info.metadata_date = at;
        }
        for face in Face::ALL {
            let used = &self.used[face as usize];
            if let Some(font) = font::embeddable(face, used) {
                doc.resources.fonts.map.insert(font_id(face), printpdf::PdfFont::new(font));
            }
        }
        let opts = PdfSaveOptions { subset_fonts: false, ..Default::default() };
        doc.with_pages(out).save(&opts, &mut Vec::new())
    }
}

/// Body text.
pub const INK: Rgb8 = Rgb8(0x1F, 0x29, 0x33);
/// Secondary text: dates, notes, footers.
pub const MUTED: Rgb8 = Rgb8(0x61, 0x6E, 0x7C);
/// Headings.
pub const ACCENT: Rgb8 = Rgb8(0x1F, 0x4E, 0x79);
/// Rules between blocks and rows.
pub const RULE: Rgb8 = Rgb8(0xD5, 0xDB, 0xE3);
/// Alternate table rows.
pub const ZEBRA: Rgb8 = Rgb8(0xF4, 0xF6, 0xF9);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_break_and_footers_are_added() {
        let mut c = Canvas::new(PageSize::A4);
        for i in 0..200 {
            c.ensure(14.0);
            let y = c.y + 10.0;
            c.text(c.left(), y, &format!("line {i} Zürich 東京"), Face::Regular, 10.0, INK);
            c.y += 14.0;
        }
        assert!(c.pages.len() >= 3);
        let pdf = c.finish("t", "note", 0);
        assert!(pdf.starts_with(b"%PDF"));
        // Subset fonts: far below the 1.4 MB of the whole faces.
        assert!(pdf.len() < 200_000, "{}", pdf.len());
    }
}
