//! The font of PDF reports: DejaVu Sans, regular and bold, compiled into the binary from
//! `assets/fonts/` (licence beside it), so that any name or answer prints — printpdf's built-in
//! fonts cover Windows-1252 only.
//!
//! Two jobs: measuring text (advance widths straight from the font's `hmtx`, the same widths the
//! PDF viewer uses, so wrapped lines never run off the page) and subsetting the font to the
//! glyphs a report uses (the whole fonts are 1.4 MB; printpdf without its `text_layout`
//! feature embeds fonts whole).
//!
//! printpdf is used with `default-features = false`: its `ParsedFont` is then the plain struct
//! parsed by allsorts, whose `lookup_glyph_index` / `get_glyph_width` this module relies on.

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use allsorts::tag;
use printpdf::ParsedFont;
use std::collections::BTreeSet;
use std::sync::OnceLock;

static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The two faces reports use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    Regular,
    Bold,
}

impl Face {
    pub const ALL: [Face; 2] = [Face::Regular, Face::Bold];

    /// The PostScript name, as the PDF names the font.
    fn name(self) -> &'static str {
        match self {
            Face::Regular => "DejaVuSans",
            Face::Bold => "DejaVuSans-Bold",
        }
    }

    fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => REGULAR_TTF,
            Face::Bold => BOLD_TTF,
        }
    }

    /// The parsed face, parsed once per process. `None` only if the embedded font were damaged,
    /// which a unit test rules out.
    pub fn parsed(self) -> Option<&'static ParsedFont> {
        static REGULAR: OnceLock<Option<ParsedFont>> = OnceLock::new();
        static BOLD: OnceLock<Option<ParsedFont>> = OnceLock::new();
        let cell = match self {
            Face::Regular => &REGULAR,
            Face::Bold => &BOLD,
        };
        cell.get_or_init(|| ParsedFont::from_bytes(self.bytes(), 0, &mut Vec::new())).as_ref()
    }
}

/// Drawn in place of a character the font lacks (CJK, most emoji): U+FFFD, the replacement
/// character. printpdf would draw such a character as glyph 0 but give it the PDF's default
/// width, not the one measured here, so lines with many of them would run long.
pub const REPLACEMENT: char = '\u{FFFD}';

/// The character as it is drawn: itself, or [`REPLACEMENT`] when the face has no glyph for it.
pub fn displayable(face: Face, c: char) -> char {
    match face.parsed() {
        Some(font) if font.lookup_glyph_index(c as u32).is_some_and(|g| g != 0) => c,
        _ => REPLACEMENT,
    }
}

/// Advance width of one character in points at `size`, as drawn (see [`displayable`]).
pub fn char_width(face: Face, size: f32, c: char) -> f32 {
    let Some(font) = face.parsed() else { return size * 0.6 };
    let gid = font.lookup_glyph_index(displayable(face, c) as u32).unwrap_or(0);
    let advance = font.get_glyph_width(gid).unwrap_or(0) as f32;
    let upem = font.units_per_em.max(1) as f32;
    advance / upem * size
}

/// Width of a single line of text in points at `size`. printpdf writes glyphs one after the
/// other without kerning, so the width is the sum of the advances.
pub fn text_width(face: Face, size: f32, text: &str) -> f32 {
    text.chars().map(|c| char_width(face, size, c)).sum()
}

/// Distance from the baseline to the top of the tallest glyphs, as a fraction of the size.
pub fn ascent(face: Face) -> f32 {
    match face.parsed() {
        Some(f) => f.font_metrics.ascent as f32 / f.units_per_em.max(1) as f32,
        None => 0.8,
    }
}

/// The face reduced to the glyphs of `chars`, ready to embed. Falls back to the whole face if
/// subsetting fails or the subset would measure differently from what the layout measured.
pub fn embeddable(face: Face, chars: &BTreeSet<char>) -> Option<ParsedFont> {
    let full = face.parsed()?;
    let mut font = match subset_face(face, full, chars) {
        // ISO 32000-1 9.6.4: a subset's name carries a six-letter tag.
        Some(sub) => ParsedFont { font_name: Some(format!("{}+{}", subset_tag(chars), face.name())), ..sub },
        None => full.clone(),
    };
    if font.font_name.is_none() {
        font.font_name = Some(face.name().to_string());
    }
    Some(font)
}

/// Six capital letters that differ between subsets of different characters.
fn subset_tag(chars: &BTreeSet<char>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in chars {
        h = (h ^ *c as u64).wrapping_mul(0x0100_0000_01b3);
    }
    (0..6).map(|i| (b'A' + ((h >> (i * 5)) % 26) as u8) as char).collect()
}

fn subset_face(face: Face, full: &ParsedFont, chars: &BTreeSet<char>) -> Option<ParsedFont> {
    let mut gids: BTreeSet<u16> = chars.iter().filter_map(|c| full.lookup_glyph_index(*c as u32)).collect();
    gids.remove(&0);
    // allsorts wants .notdef first, then no duplicates.
    let glyph_ids: Vec<u16> = std::iter::once(0).chain(gids).collect();
    let data = ReadScope::new(face.bytes()).read::<FontData<'_>>().ok()?;
    let provider = data.table_provider(0).ok()?;
    let mut tables = vec![
        tag::CMAP,
        tag::HEAD,
        tag::CVT,
        tag::FPGM,
        tag::HHEA,
        tag::HMTX,
        tag::MAXP,
        tag::NAME,
        tag::POST,
        tag::PREP,
        tag::OS_2,
    ];
    tables.sort_unstable();
    let bytes = subset(&provider, &glyph_ids, &SubsetProfile::Custom(tables), CmapTarget::Unicode).ok()?;
    let sub = ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())?;
    // Every character must still map to a glyph of the same width, or wrapped lines would no
    // longer match what is drawn.
    let same = chars.iter().all(|c| {
        let before = full.lookup_glyph_index(*c as u32).unwrap_or(0);
        let after = sub.lookup_glyph_index(*c as u32).unwrap_or(0);
        (before == 0) == (after == 0)
            && full.get_glyph_width(before).map(|w| w as u32 * sub.units_per_em as u32)
                == sub.get_glyph_width(after).map(|w| w as u32 * full.units_per_em as u32)
    });
    same.then_some(sub)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_fonts_parse_and_measure() {
        for face in Face::ALL {
            assert!(face.parsed().is_some(), "{face:?}");
        }
        // DejaVu Sans: "W" is wider than "i"; bold is wider than regular.
        assert!(char_width(Face::Regular, 10.0, 'W') > char_width(Face::Regular, 10.0, 'i'));
        assert!(text_width(Face::Bold, 10.0, "Hello") > text_width(Face::Regular, 10.0, "Hello"));
        // A character the font lacks is drawn and measured as the replacement character.
        for face in Face::ALL {
            assert!(face.parsed().unwrap().lookup_glyph_index(REPLACEMENT as u32).is_some_and(|g| g != 0));
            assert_eq!(displayable(face, '東'), REPLACEMENT);
            assert_eq!(displayable(face, 'ü'), 'ü');
        }
        assert_eq!(char_width(Face::Regular, 10.0, '\u{10FFFD}'), char_width(Face::Regular, 10.0, REPLACEMENT));
    }

    #[test]
    fn subset_keeps_glyphs_and_widths_and_is_small() {
        let chars: BTreeSet<char> = "Zürich 東京 ﺍﻟﻌﺮﺑﻴﺔ 😀 Answered 120 𝐀".chars().collect();
        for face in Face::ALL {
            let full = face.parsed().unwrap();
            let sub = subset_face(face, full, &chars).expect("subset");
            assert!(sub.original_bytes.len() < full.original_bytes.len() / 10, "{}", sub.original_bytes.len());
            for c in &chars {
                let g = full.lookup_glyph_index(*c as u32).unwrap_or(0);
                if g != 0 {
                    assert!(sub.lookup_glyph_index(*c as u32).is_some_and(|s| s != 0), "{c:?}");
                }
            }
        }
    }
}
