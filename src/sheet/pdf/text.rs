//! The text of a PDF page with positions: each string a content stream shows becomes a chunk
//! (its start and end on the page, baseline, font size and text), and chunks become lines
//! (same baseline, left to right) made of segments (chunks close enough to be one phrase; a
//! wider gap, such as between two table columns, starts a new segment).
//!
//! Why by hand on lopdf rather than a crate such as `pdf-extract`: lopdf is already loaded
//! for the form fields, and it decodes fonts' encodings (standard, Differences, ToUnicode
//! CMaps); what it lacks is positions, which need only a small text-state interpreter (the
//! matrices of PDF 32000-1 §9.4). `pdf-extract` builds on an older lopdf (a second copy of it
//! in every build), parses the document again, and panics on malformed fonts. Widths come from
//! the font's `/Widths` (or `/W` of a CID font), else half an em per character: enough to
//! place the next string; question finding looks at where strings start.
//!
//! Untrusted input: page content is decompressed with a limit, the graphics-state stack and the
//! number of chunks per page are bounded, and form XObjects are not entered.

use lopdf::Encoding;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::BTreeMap;

/// A page's content streams inflate to at most this many bytes.
pub const MAX_CONTENT_BYTES: usize = 64 << 20;
/// Strings kept per page (a hostile page cannot fill memory).
const MAX_CHUNKS: usize = 200_000;
const MAX_STACK: usize = 256;

/// One shown string: from `x0` to `x1` on the baseline `y` (page space, y up).
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub x0: f32,
    pub x1: f32,
    pub y: f32,
    pub size: f32,
    pub text: String,
}

/// Chunks close together on one line: a phrase, a table cell's line, a label.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub x0: f32,
    pub x1: f32,
    pub text: String,
}

/// One line of a page, top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub y: f32,
    /// The largest font size on the line.
    pub size: f32,
    pub chunks: Vec<Chunk>,
    pub segments: Vec<Segment>,
}

impl Line {
    pub fn x0(&self) -> f32 {
        self.segments.first().map(|s| s.x0).unwrap_or(0.0)
    }

    /// The line's text, segments joined by a space.
    pub fn text(&self) -> String {
        self.segments.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" ")
    }
}

/// The text of one page.
#[derive(Debug, Clone, Default)]
pub struct PageText {
    /// 1-based page number.
    pub number: u32,
    pub width: f32,
    pub height: f32,
    pub lines: Vec<Line>,
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn translate(tx: f32, ty: f32) -> Matrix {
    [1.0, 0.0, 0.0, 1.0, tx, ty]
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
    .filter(|v| v.is_finite())
}

fn nums<const N: usize>(ops: &[Object]) -> Option<[f32; N]> {
    if ops.len() < N {
        return None;
    }
    let mut out = [0.0; N];
    for (i, o) in ops[ops.len() - N..].iter().enumerate() {
        out[i] = num(o)?;
    }
    Some(out)
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        o => o,
    }
}

/// What the interpreter needs of a font: how to decode its codes and how wide they are.
struct Font<'a> {
    encoding: Option<Encoding<'a>>,
    /// Bytes per character code (2 for Type0 fonts with Identity encodings).
    code_len: usize,
    first_char: u32,
    widths: Vec<f32>,
    cid_widths: BTreeMap<u32, f32>,
    default_width: f32,
}

impl<'a> Font<'a> {
    fn load(doc: &'a Document, d: &'a Dictionary) -> Font<'a> {
        let encoding = d.get_font_encoding_with_limit(doc, MAX_CONTENT_BYTES).ok();
        let type0 = d.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) == Some(b"Type0");
        let mut font = Font { encoding, code_len: if type0 { 2 } else { 1 }, first_char: 0, widths: Vec::new(), cid_widths: BTreeMap::new(), default_width: 500.0 };
        if type0 {
            let descendant = d
                .get(b"DescendantFonts")
                .ok()
                .map(|o| resolve(doc, o))
                .and_then(|o| o.as_array().ok())
                .and_then(|a| a.first())
                .map(|o| resolve(doc, o))
                .and_then(|o| o.as_dict().ok());
            if let Some(cid) = descendant {
                font.default_width = cid.get(b"DW").ok().and_then(num).unwrap_or(1000.0);
                if let Some(w) = cid.get(b"W").ok().map(|o| resolve(doc, o)).and_then(|o| o.as_array().ok()) {
                    font.cid_widths = cid_widths(doc, w);
                }
            }
        } else {
            font.first_char = d.get(b"FirstChar").ok().and_then(num).unwrap_or(0.0).max(0.0) as u32;
            if let Some(w) = d.get(b"Widths").ok().map(|o| resolve(doc, o)).and_then(|o| o.as_array().ok()) {
                font.widths = w.iter().take(65_536).map(|o| num(resolve(doc, o)).unwrap_or(0.0)).collect();
            }
        }
        font
    }

    fn width(&self, code: u32) -> f32 {
        if self.code_len == 2 {
            return self.cid_widths.get(&code).copied().unwrap_or(self.default_width);
        }
        code.checked_sub(self.first_char)
            .and_then(|i| self.widths.get(i as usize))
            .copied()
            .filter(|w| *w > 0.0)
            .unwrap_or(if code == 32 { 250.0 } else { self.default_width })
    }

    fn decode(&self, bytes: &[u8]) -> String {
        match &self.encoding {
            Some(e) => e.bytes_to_string(bytes).unwrap_or_default(),
            None => bytes.iter().map(|&b| b as char).collect(),
        }
    }
}

/// A CID font's `/W` array: `c [w1 w2 …]` and `cfirst clast w` entries.
fn cid_widths(doc: &Document, w: &[Object]) -> BTreeMap<u32, f32> {
    let mut out = BTreeMap::new();
    let mut i = 0;
    while i + 1 < w.len() && out.len() < 65_536 {
        let Some(first) = num(resolve(doc, &w[i])) else { break };
        match resolve(doc, &w[i + 1]) {
            Object::Array(ws) => {
                for (k, o) in ws.iter().take(65_536).enumerate() {
                    if let Some(v) = num(resolve(doc, o)) {
                        out.insert(first as u32 + k as u32, v);
                    }
                }
                i += 2;
            }
            o => {
                let (Some(last), Some(v)) = (num(o), w.get(i + 2).and_then(|o| num(resolve(doc, o)))) else { break };
                let (a, b) = (first as u32, (last as u32).min(first as u32 + 65_536));
                for c in a..=b {
                    out.insert(c, v);
                }
                i += 3;
            }
        }
    }
    out
}

/// The text state of the interpreter (PDF 32000-1 §9.3).
struct State {
    ctm: Matrix,
    tm: Matrix,
    tlm: Matrix,
    font: Option<Vec<u8>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    scale: f32,
    leading: f32,
    rise: f32,
}

/// The chunks of one page, in content order. `Err` when its content cannot be read at all.
pub fn page_chunks(doc: &Document, page_id: ObjectId) -> Result<Vec<Chunk>, String> {
    let fonts_dicts = doc.get_page_fonts(page_id).map_err(|e| e.to_string())?;
    let mut fonts: BTreeMap<Vec<u8>, Font<'_>> = BTreeMap::new();
    for (name, d) in fonts_dicts.into_iter().take(1_000) {
        fonts.insert(name, Font::load(doc, d));
    }
    let content = doc.get_page_content_with_limit(page_id, MAX_CONTENT_BYTES).map_err(|e| e.to_string())?;
    let content = lopdf::content::Content::decode(&content).map_err(|e| e.to_string())?;
    let mut st = State { ctm: IDENTITY, tm: IDENTITY, tlm: IDENTITY, font: None, size: 0.0, char_spacing: 0.0, word_spacing: 0.0, scale: 1.0, leading: 0.0, rise: 0.0 };
    let mut stack: Vec<Matrix> = Vec::new();
    let mut out = Vec::new();
    for op in &content.operations {
        if out.len() >= MAX_CHUNKS {
            break;
        }
        let o = &op.operands;
        match op.operator.as_str() {
            "q" if stack.len() < MAX_STACK => stack.push(st.ctm),
            "Q" => st.ctm = stack.pop().unwrap_or(IDENTITY),
            "cm" => {
                if let Some(m) = nums::<6>(o) {
                    st.ctm = mul(&m, &st.ctm);
                }
            }
            "BT" => {
                st.tm = IDENTITY;
                st.tlm = IDENTITY;
            }
            "Tf" => {
                st.font = o.first().and_then(|n| n.as_name().ok()).map(|n| n.to_vec());
                st.size = o.get(1).and_then(num).unwrap_or(0.0);
            }
            "Tc" => st.char_spacing = o.first().and_then(num).unwrap_or(0.0),
            "Tw" => st.word_spacing = o.first().and_then(num).unwrap_or(0.0),
            "Tz" => st.scale = o.first().and_then(num).unwrap_or(100.0) / 100.0,
            "TL" => st.leading = o.first().and_then(num).unwrap_or(0.0),
            "Ts" => st.rise = o.first().and_then(num).unwrap_or(0.0),
            "Td" | "TD" => {
                if let Some([tx, ty]) = nums::<2>(o) {
                    if op.operator == "TD" {
                        st.leading = -ty;
                    }
                    st.tlm = mul(&translate(tx, ty), &st.tlm);
                    st.tm = st.tlm;
                }
            }
            "Tm" => {
                if let Some(m) = nums::<6>(o) {
                    st.tlm = m;
                    st.tm = m;
                }
            }
            "T*" => next_line(&mut st),
            "Tj" => {
                if let Some(Object::String(s, _)) = o.first() {
                    show(&mut st, &fonts, s, &mut out);
                }
            }
            "'" => {
                next_line(&mut st);
                if let Some(Object::String(s, _)) = o.first() {
                    show(&mut st, &fonts, s, &mut out);
                }
            }
            "\"" => {
                if let Some([aw, ac]) = o.get(..2).and_then(nums::<2>) {
                    st.word_spacing = aw;
                    st.char_spacing = ac;
                }
                next_line(&mut st);
                if let Some(Object::String(s, _)) = o.get(2) {
                    show(&mut st, &fonts, s, &mut out);
                }
            }
            "TJ" => {
                if let Some(Object::Array(items)) = o.first() {
                    for item in items {
                        match item {
                            Object::String(s, _) => show(&mut st, &fonts, s, &mut out),
                            other => {
                                if let Some(n) = num(other) {
                                    let tx = -n / 1000.0 * st.size * st.scale;
                                    st.tm = mul(&translate(tx, 0.0), &st.tm);
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

fn next_line(st: &mut State) {
    st.tlm = mul(&translate(0.0, -st.leading), &st.tlm);
    st.tm = st.tlm;
}

/// Shows one string: records its chunk and advances the text matrix.
fn show(st: &mut State, fonts: &BTreeMap<Vec<u8>, Font<'_>>, bytes: &[u8], out: &mut Vec<Chunk>) {
    let font = st.font.as_ref().and_then(|n| fonts.get(n));
    let code_len = font.map(|f| f.code_len).unwrap_or(1);
    let mut advance = 0.0f32;
    for code in bytes.chunks(code_len) {
        let c = code.iter().fold(0u32, |a, &b| a * 256 + b as u32);
        let w = font.map(|f| f.width(c)).unwrap_or(if c == 32 { 250.0 } else { 500.0 });
        let spacing = st.char_spacing + if code_len == 1 && c == 32 { st.word_spacing } else { 0.0 };
        advance += (w / 1000.0 * st.size + spacing) * st.scale;
    }
    let text = match font {
        Some(f) => f.decode(bytes),
        None => bytes.iter().map(|&b| b as char).collect(),
    };
    let start = mul(&translate(0.0, st.rise), &mul(&st.tm, &st.ctm));
    let end = mul(&translate(advance, st.rise), &mul(&st.tm, &st.ctm));
    let scale_y = (start[2] * start[2] + start[3] * start[3]).sqrt();
    let size = (st.size * scale_y).abs();
    st.tm = mul(&translate(advance, 0.0), &st.tm);
    let text: String = text.chars().filter(|c| !c.is_control() || *c == '\t').map(|c| if c == '\t' || c == '\u{a0}' { ' ' } else { c }).collect();
    if text.trim().is_empty() || !start[4].is_finite() || !start[5].is_finite() {
        return;
    }
    let (x0, x1) = if end[4] >= start[4] { (start[4], end[4]) } else { (end[4], start[4]) };
    out.push(Chunk { x0, x1, y: start[5], size: if size > 0.0 { size } else { 1.0 }, text });
}

/// Chunks into lines, top to bottom, and each line into segments. A gap wider than
/// `segment_gap` ems starts a new segment.
pub fn lines(mut chunks: Vec<Chunk>) -> Vec<Line> {
    chunks.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<Line> = Vec::new();
    for c in chunks {
        match lines.last_mut() {
            Some(l) if (l.y - c.y).abs() <= 0.4 * l.size.max(c.size) => {
                l.size = l.size.max(c.size);
                l.chunks.push(c);
            }
            _ => lines.push(Line { y: c.y, size: c.size, chunks: vec![c], segments: Vec::new() }),
        }
    }
    for l in &mut lines {
        l.chunks.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        l.segments = segments(&l.chunks);
    }
    lines
}

/// Gap (in ems of the line's font) from which two chunks are separate segments.
const SEGMENT_GAP: f32 = 1.2;
/// Gap from which two chunks of one segment are separate words.
const WORD_GAP: f32 = 0.15;

fn segments(chunks: &[Chunk]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for c in chunks {
        match out.last_mut() {
            Some(s) if c.x0 - s.x1 < SEGMENT_GAP * c.size => {
                let gap = c.x0 - s.x1;
                if gap > WORD_GAP * c.size && !s.text.ends_with(' ') && !c.text.starts_with(' ') {
                    s.text.push(' ');
                }
                s.text.push_str(&c.text);
                s.x1 = s.x1.max(c.x1);
            }
            _ => out.push(Segment { x0: c.x0, x1: c.x1, text: c.text.clone() }),
        }
    }
    for s in &mut out {
        s.text = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out.retain(|s| !s.text.is_empty());
    out
}

/// Joins chunks of one line that fall in one table column into text.
pub fn join(chunks: &[&Chunk]) -> String {
    let mut text = String::new();
    let mut last_x1: Option<f32> = None;
    for c in chunks {
        if let Some(x1) = last_x1 {
            if c.x0 - x1 > WORD_GAP * c.size && !text.ends_with(' ') && !c.text.starts_with(' ') {
                text.push(' ');
            }
        }
        text.push_str(&c.text);
        last_x1 = Some(c.x1);
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The page's size from its (inherited) MediaBox; US Letter when it has none.
pub fn page_size(doc: &Document, page_id: ObjectId) -> (f32, f32) {
    let mut id = page_id;
    for _ in 0..32 {
        let Ok(d) = doc.get_dictionary(id) else { break };
        if let Some(b) = d.get(b"MediaBox").ok().map(|o| resolve(doc, o)).and_then(|o| o.as_array().ok()) {
            let v: Vec<f32> = b.iter().filter_map(|o| num(resolve(doc, o))).collect();
            if v.len() == 4 {
                return ((v[2] - v[0]).abs(), (v[3] - v[1]).abs());
            }
        }
        match d.get(b"Parent").and_then(Object::as_reference) {
            Ok(p) => id = p,
            Err(_) => break,
        }
    }
    (612.0, 792.0)
}

/// Every page's text, in page order; a page whose content cannot be read has no lines.
pub fn document_text(doc: &Document) -> Vec<PageText> {
    doc.get_pages()
        .into_iter()
        .map(|(number, id)| {
            let (width, height) = page_size(doc, id);
            let lines = page_chunks(doc, id).map(lines).unwrap_or_default();
            PageText { number, width, height, lines }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(x0: f32, x1: f32, y: f32, t: &str) -> Chunk {
        Chunk { x0, x1, y, size: 10.0, text: t.into() }
    }

    #[test]
    fn lines_and_segments_by_position() {
        let ls = lines(vec![chunk(300.0, 320.0, 700.0, "Yes"), chunk(72.0, 150.0, 700.5, "1. Do you"), chunk(152.0, 200.0, 700.0, "encrypt?"), chunk(72.0, 100.0, 686.0, "next")]);
        assert_eq!(ls.len(), 2);
        assert_eq!(ls[0].segments.iter().map(|s| s.text.as_str()).collect::<Vec<_>>(), ["1. Do you encrypt?", "Yes"]);
        assert_eq!(ls[1].text(), "next");
    }

    #[test]
    fn matrices_compose_as_the_spec_says() {
        let m = mul(&translate(10.0, 5.0), &[2.0, 0.0, 0.0, 2.0, 100.0, 100.0]);
        assert_eq!(m, [2.0, 0.0, 0.0, 2.0, 120.0, 110.0]);
    }
}


