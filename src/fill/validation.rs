//! Dropdowns: which values a cell accepts, and which of them says what an answer says.
//!
//! Excel keeps list validations in two places: the classic `<dataValidations>` of a sheet
//! (`<formula1>"Yes,No,N/A"</formula1>`), and the Excel 2010 extension in the sheet's `<extLst>`
//! (`<x14:dataValidation>` with the source in `<xm:f>` and the cells in `<xm:sqref>`), which
//! Excel writes whenever a list refers to another sheet; HECVAT 4 has only those. A list source
//! is a literal, a range on the same or another sheet, or a defined name standing for a range.
//! Range values are read with calamine (cached values of formulas included).

use super::address::{parse_sqref, Area, Cell};
use super::package::DefinedName;
use crate::ooxml::xml::{attr, push_ref};
use crate::answer::{classify, AnswerKind};
use calamine::{Data, Range, Reader, Xlsx};
use quick_xml::events::Event;
use std::collections::HashMap;
use std::io::Cursor;

/// At most this many cells of a list source are read (real dropdowns have a handful).
const MAX_LIST_CELLS: usize = 5_000;

/// A `type="list"` validation: the cells it covers and its source formula as written.
#[derive(Debug, Clone, PartialEq)]
pub struct ListValidation {
    pub areas: Vec<Area>,
    pub source: String,
}

impl ListValidation {
    pub fn covers(&self, c: Cell) -> bool {
        self.areas.iter().any(|a| a.contains(c))
    }
}

/// Which text of a validation is being read.
#[derive(Clone, Copy, PartialEq)]
enum Capture {
    Nothing,
    Formula,
    Sqref,
}

/// The list validations of a worksheet part, classic and x14 alike.
pub fn list_validations(xml: &str) -> Result<Vec<ListValidation>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    // (is a list, sqref, formula1) of the validation being read.
    let mut current: Option<(bool, String, String)> = None;
    let mut capture = Capture::Nothing;
    loop {
        let event = reader.read_event().map_err(|e| format!("malformed XML at byte {}: {e}", reader.error_position()))?;
        let mut text = String::new();
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                // Cells cannot hold validations: skip the bulk of the part unparsed.
                "sheetData" => {
                    reader.read_to_end(e.name()).map_err(|e| format!("malformed XML in the cells: {e}"))?;
                }
                "dataValidation" => {
                    let is_list = attr(&e, "type").as_deref() == Some("list");
                    current = Some((is_list, attr(&e, "sqref").unwrap_or_default(), String::new()));
                }
                "formula1" if current.is_some() => capture = Capture::Formula,
                "sqref" if current.is_some() => capture = Capture::Sqref,
                _ => {}
            },
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => push_ref(&mut text, &r),
            Event::End(e) => match e.local_name().as_ref() {
                "formula1" | "sqref" => capture = Capture::Nothing,
                "dataValidation" => {
                    if let Some((true, sqref, source)) = current.take() {
                        if !source.trim().is_empty() {
                            out.push(ListValidation { areas: parse_sqref(&sqref), source: source.trim().to_string() });
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        if let Some((_, sqref, source)) = current.as_mut() {
            match capture {
                Capture::Formula => source.push_str(&text),
                Capture::Sqref => {
                    sqref.push(' ');
                    sqref.push_str(&text);
                }
                Capture::Nothing => {}
            }
        }
    }
    Ok(out)
}

/// What a list source allows.
#[derive(Debug, Clone, PartialEq)]
pub enum Allowed {
    Values(Vec<String>),
    /// A source Quire cannot evaluate (INDIRECT, OFFSET, another workbook…): the formula.
    Unknown(String),
}

/// Resolves list sources of one workbook, reading ranges of other sheets on demand.
pub struct Sources<'a> {
    bytes: &'a [u8],
    sheets: Vec<String>,
    names: Vec<DefinedName>,
    book: Option<Option<Xlsx<Cursor<&'a [u8]>>>>,
    ranges: HashMap<String, Option<Range<Data>>>,
}

impl<'a> Sources<'a> {
    /// `sheets` in workbook order (defined names scoped to a sheet give its index).
    pub fn new(bytes: &'a [u8], sheets: Vec<String>, names: Vec<DefinedName>) -> Self {
        Sources { bytes, sheets, names, book: None, ranges: HashMap::new() }
    }

    /// The values a list validation on `sheet` allows.
    pub fn allowed(&mut self, source: &str, sheet: &str) -> Allowed {
        let f = source.trim().trim_start_matches('=').trim();
        if let Some(inner) = f.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            let inner = inner.replace("\"\"", "\"");
            return Allowed::Values(inner.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect());
        }
        match self.reference(f, sheet, 0) {
            Some(values) => Allowed::Values(values),
            None => Allowed::Unknown(f.to_string()),
        }
    }

    /// The text of one cell of a sheet ("" when empty or unreadable).
    pub fn cell_text(&mut self, sheet: &str, cell: Cell) -> String {
        self.range(sheet)
            .and_then(|r| r.get_value((cell.row - 1, cell.col)))
            .map(|v| v.to_string().trim().to_string())
            .unwrap_or_default()
    }

    fn reference(&mut self, f: &str, sheet: &str, depth: u8) -> Option<Vec<String>> {
        let (on, area) = split_sheet(f);
        if let Some(area) = Area::parse(area) {
            return self.values(on.as_deref().unwrap_or(sheet), area);
        }
        if depth > 0 || on.is_some() {
            return None;
        }
        // A defined name: the one scoped to this sheet first, then the workbook-wide one.
        let here = self.sheets.iter().position(|s| s == sheet);
        let found = self
            .names
            .iter()
            .filter(|n| n.name.eq_ignore_ascii_case(f))
            .min_by_key(|n| if n.local_sheet.is_some() && n.local_sheet == here { 0 } else if n.local_sheet.is_none() { 1 } else { 2 })
            .filter(|n| n.local_sheet.is_none() || n.local_sheet == here)?
            .formula
            .clone();
        self.reference(found.trim().trim_start_matches('='), sheet, depth + 1)
    }

    fn values(&mut self, sheet: &str, area: Area) -> Option<Vec<String>> {
        let range = self.range(sheet)?;
        let (end_row, end_col) = range.end().unwrap_or((0, 0));
        let mut out: Vec<String> = Vec::new();
        let mut visited = 0usize;
        'rows: for r in area.first.row - 1..=(area.last.row - 1).min(end_row) {
            for c in area.first.col..=area.last.col.min(end_col) {
                visited += 1;
                if visited > MAX_LIST_CELLS {
                    break 'rows;
                }
                if let Some(v) = range.get_value((r, c)) {
                    let t = v.to_string().trim().to_string();
                    if !t.is_empty() && !out.contains(&t) {
                        out.push(t);
                    }
                }
            }
        }
        Some(out)
    }

    fn range(&mut self, sheet: &str) -> Option<&Range<Data>> {
        if !self.ranges.contains_key(sheet) {
            let bytes = self.bytes;
            let book = self.book.get_or_insert_with(|| Xlsx::new(Cursor::new(bytes)).ok());
            let range = book.as_mut().and_then(|b| b.worksheet_range(sheet).ok());
            self.ranges.insert(sheet.to_string(), range);
        }
        self.ranges.get(sheet).and_then(|r| r.as_ref())
    }
}

/// Splits "'Sheet Name'!$A$1:$A$3" into the sheet (unquoted) and the rest.
fn split_sheet(f: &str) -> (Option<String>, &str) {
    let Some(i) = f.rfind('!') else { return (None, f) };
    let (sheet, rest) = (&f[..i], &f[i + 1..]);
    let sheet = match sheet.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        Some(q) => q.replace("''", "'"),
        None => sheet.to_string(),
    };
    (Some(sheet), rest)
}

/// The allowed value that says what `answer` says: the same text first (ignoring case and a
/// list number: "1) Yes"), else the one value with the same meaning ("Yes" → "YES" or "Y";
/// "N/A" → "Not Applicable"; "No" → "2) No").
pub fn choose(answer: &str, allowed: &[String]) -> Option<String> {
    let a = answer.trim().to_lowercase();
    if let Some(v) = allowed.iter().find(|v| v.trim().to_lowercase() == a || unnumbered(v).to_lowercase() == a) {
        return Some(v.clone());
    }
    let kind = classify(&a).filter(|k| *k != AnswerKind::Text)?;
    let same: Vec<&String> = allowed.iter().filter(|v| classify(unnumbered(v)) == Some(kind)).collect();
    match same.as_slice() {
        [one] => Some((*one).clone()),
        // Several values mean the same ("Yes", "Yes - partially"): only a bare one decides.
        many => {
            let bare: Vec<&&String> = many.iter().filter(|v| is_bare(unnumbered(v))).collect();
            (bare.len() == 1).then(|| (**bare[0]).clone())
        }
    }
}

/// A list value without its leading number: "1) Yes", "2. No", "(3) N/A" → "Yes", "No", "N/A".
fn unnumbered(v: &str) -> &str {
    let t = v.trim();
    let rest = t.strip_prefix('(').unwrap_or(t);
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 2 {
        return t;
    }
    match rest[digits..].strip_prefix([')', '.', ':', '-']) {
        Some(after) if after.starts_with(' ') => after.trim_start(),
        _ => t,
    }
}

fn is_bare(v: &str) -> bool {
    matches!(
        v.trim().to_lowercase().as_str(),
        "yes" | "y" | "no" | "n" | "n/a" | "na" | "n.a." | "not applicable" | "partial" | "partially" | "x" | "true" | "false"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn classic_and_x14_validations() {
        let xml = r#"<worksheet xmlns:x14="x" xmlns:xm="m"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>
<dataValidations count="2"><dataValidation type="list" sqref="C5:C9 C12"><formula1>"Yes,No,N/A"</formula1></dataValidation>
<dataValidation allowBlank="1" prompt="p" sqref="A1"/><dataValidation type="whole" sqref="B1"><formula1>1</formula1></dataValidation></dataValidations>
<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"><x14:dataValidations count="1"><x14:dataValidation type="list" allowBlank="1">
<x14:formula1><xm:f>'Auto Responses'!$J$3:$J$5</xm:f></x14:formula1><xm:sqref>C68 C22:C28</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>"#;
        let v = list_validations(xml).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].source, "\"Yes,No,N/A\"");
        assert!(v[0].covers(Cell { row: 12, col: 2 }) && !v[0].covers(Cell { row: 10, col: 2 }));
        assert_eq!(v[1].source, "'Auto Responses'!$J$3:$J$5");
        assert!(v[1].covers(Cell { row: 68, col: 2 }) && v[1].covers(Cell { row: 23, col: 2 }));
    }

    #[test]
    fn literal_sources_and_sheet_refs() {
        let mut s = Sources::new(b"", vec![], vec![]);
        assert_eq!(s.allowed("\"Yes, No,N/A\"", "S"), Allowed::Values(strings(&["Yes", "No", "N/A"])));
        assert_eq!(s.allowed("INDIRECT(A1)", "S"), Allowed::Unknown("INDIRECT(A1)".into()));
        assert_eq!(split_sheet("'It''s'!$A$1:$A$2"), (Some("It's".to_string()), "$A$1:$A$2"));
        assert_eq!(split_sheet("A1:A3"), (None, "A1:A3"));
    }

    #[test]
    fn answers_map_to_the_workbook_spelling() {
        let yes_no = strings(&["YES", "NO", "N/A"]);
        assert_eq!(choose("Yes", &yes_no).as_deref(), Some("YES"));
        assert_eq!(choose("Not applicable", &yes_no).as_deref(), Some("N/A"));
        assert_eq!(choose("Partial", &yes_no), None);
        assert_eq!(choose("NA", &strings(&["Y", "N", "Not Applicable"])).as_deref(), Some("Not Applicable"));
        assert_eq!(choose("self-hosted", &strings(&["Self-Hosted", "SaaS"])).as_deref(), Some("Self-Hosted"));
        assert_eq!(choose("Yes", &strings(&["Yes", "Yes - partially", "No"])).as_deref(), Some("Yes"));
        assert_eq!(choose("Yes", &strings(&["Yes, fully", "Yes, partly"])), None);
        assert_eq!(choose("Some text", &yes_no), None);
        let numbered = strings(&["1) Yes", "2) No", "3) Both modes available", "4) N/A"]);
        assert_eq!(choose("No", &numbered).as_deref(), Some("2) No"));
        assert_eq!(choose("n/a", &numbered).as_deref(), Some("4) N/A"));
        assert_eq!(choose("Both modes available", &numbered).as_deref(), Some("3) Both modes available"));
        assert_eq!(unnumbered("2.5 GHz"), "2.5 GHz");
        assert_eq!(unnumbered("(3) N/A"), "N/A");
    }
}
