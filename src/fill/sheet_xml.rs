//! Rewriting the target cells of one worksheet part. The part is streamed with quick-xml and
//! copied through as its original text; only the `<c>` elements of target cells are replaced,
//! and missing cells (or rows) are inserted where their column (row) order puts them. A target
//! cell keeps its style; a new one takes its row's style (when the row has a custom format) or
//! its column's default style from `<cols>`. Text is written as an inline string, which Excel
//! never evaluates, so an answer starting with `=` stays text and `sharedStrings.xml` is left
//! alone.

use super::address::Cell;
use crate::ooxml::xml::{attr, escape, prefix_of, rebuild_tag, split_bom};
use quick_xml::events::{BytesStart, Event};
use std::collections::BTreeMap;

/// What a target cell should hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    /// No value (a choice column that is not chosen). A missing cell stays missing.
    Empty,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub value: Value,
    /// Whether a formula in the cell may be replaced (when false the cell is left alone).
    pub replace_formula: bool,
}

/// The rewritten part and what happened to the targets.
#[derive(Debug, Default)]
pub struct Rewritten {
    pub xml: String,
    /// Target cells left as they were, with the reason.
    pub refused: Vec<(Cell, String)>,
    /// Target cells whose formula was removed: their calcChain entries must go.
    pub formulas_removed: Vec<Cell>,
    pub changed: bool,
}

/// Copies the original text through, with replacements spliced in.
struct Splice<'a> {
    src: &'a str,
    out: String,
    copied: usize,
}

impl Splice<'_> {
    fn copy_to(&mut self, pos: usize) {
        if pos > self.copied {
            self.out.push_str(&self.src[self.copied..pos]);
            self.copied = pos;
        }
    }
    fn insert_at(&mut self, pos: usize, s: &str) {
        self.copy_to(pos);
        self.out.push_str(s);
    }
    fn replace(&mut self, start: usize, end: usize, s: &str) {
        self.insert_at(start, s);
        self.copied = end;
    }
}

/// The targets still to place, in sheet order, and the styles new cells take.
struct Targets<'e> {
    edits: Vec<(Cell, &'e Edit)>,
    next: usize,
    col_styles: Vec<(u32, u32, String)>,
    prefix: String,
}

impl Targets<'_> {
    fn peek(&self) -> Option<Cell> {
        self.edits.get(self.next).map(|(c, _)| *c)
    }

    /// New `<c>` elements for the targets of `row` before column `before`.
    fn new_cells(&mut self, row: u32, before: u32, row_style: Option<&str>) -> String {
        let mut s = String::new();
        while let Some((cell, edit)) = self.edits.get(self.next).copied() {
            if cell.row != row || cell.col >= before {
                break;
            }
            self.next += 1;
            if let Value::Text(text) = &edit.value {
                let style = row_style.map(str::to_string).or_else(|| self.col_styles.iter().find(|(a, b, _)| (*a..=*b).contains(&cell.col)).map(|(_, _, st)| st.clone()));
                let p = &self.prefix;
                let s_attr = style.map(|st| format!(" s=\"{st}\"")).unwrap_or_default();
                s.push_str(&format!("<{p}c r=\"{}\"{s_attr} t=\"inlineStr\">{}</{p}c>", cell.name(), inline(p, text)));
            }
        }
        s
    }

    /// New `<row>` elements for the targets in rows before `before`.
    fn new_rows(&mut self, before: u32) -> String {
        let mut s = String::new();
        while let Some(cell) = self.peek() {
            if cell.row >= before {
                break;
            }
            let cells = self.new_cells(cell.row, u32::MAX, None);
            if !cells.is_empty() {
                let p = &self.prefix;
                s.push_str(&format!("<{p}row r=\"{}\">{cells}</{p}row>", cell.row));
            }
        }
        s
    }
}

/// `<is><t xml:space="preserve">…</t></is>` with the sheet's namespace prefix.
fn inline(p: &str, text: &str) -> String {
    format!("<{p}is><{p}t xml:space=\"preserve\">{}</{p}t></{p}is>", escape(text))
}

/// Rewrites the target cells of a worksheet part.
pub fn rewrite(part: &str, edits: &BTreeMap<Cell, Edit>) -> Result<Rewritten, String> {
    let (bom, xml) = split_bom(part);
    let mut result = Rewritten::default();
    let mut sp = Splice { src: xml, out: String::with_capacity(part.len() + edits.len() * 96), copied: 0 };
    sp.out.push_str(bom);
    let mut t = Targets { edits: edits.iter().map(|(c, e)| (*c, e)).collect(), next: 0, col_styles: Vec::new(), prefix: String::new() };
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut in_data = false;
    let mut seen_data = false;
    // The open row: its number and the style its new cells take.
    let mut row: Option<(u32, Option<String>)> = None;
    let (mut last_row, mut last_col) = (0u32, None::<u32>);
    let bad = |r: &quick_xml::Reader<&[u8]>, e: quick_xml::Error| format!("malformed XML at byte {}: {e}", r.error_position());
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| bad(&reader, e))?;
        let end = reader.buffer_position() as usize;
        let (e, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                match e.local_name().as_ref() {
                    "row" if in_data => {
                        if let Some((num, style)) = row.take() {
                            let cells = t.new_cells(num, u32::MAX, style.as_deref());
                            sp.insert_at(start, &cells);
                        }
                    }
                    "sheetData" => {
                        let rows = t.new_rows(u32::MAX);
                        sp.insert_at(start, &rows);
                        in_data = false;
                    }
                    _ => {}
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match e.local_name().as_ref() {
            "col" if !seen_data => {
                let num = |k: &str| attr(&e, k).and_then(|v| v.parse::<u32>().ok());
                if let (Some(min), Some(max), Some(style)) = (num("min"), num("max"), attr(&e, "style")) {
                    t.col_styles.push((min.saturating_sub(1), max.saturating_sub(1), style));
                }
            }
            "sheetData" => {
                t.prefix = prefix_of(e.name().as_ref()).to_string();
                seen_data = true;
                if empty {
                    let rows = t.new_rows(u32::MAX);
                    if !rows.is_empty() {
                        let p = &t.prefix;
                        sp.replace(start, end, &format!("<{p}sheetData>{rows}</{p}sheetData>"));
                    }
                } else {
                    in_data = true;
                }
            }
            "row" if in_data => {
                let num = attr(&e, "r").and_then(|v| v.parse::<u32>().ok()).unwrap_or(last_row + 1);
                last_row = num;
                last_col = None;
                let rows = t.new_rows(num);
                sp.insert_at(start, &rows);
                let custom = matches!(attr(&e, "customFormat").as_deref(), Some("1" | "true"));
                let style = if custom { attr(&e, "s") } else { None };
                if empty {
                    let cells = t.new_cells(num, u32::MAX, style.as_deref());
                    if !cells.is_empty() {
                        sp.replace(start, end, &format!("{}{cells}</{}>", rebuild_tag(&e, &[], &[], false), e.name().as_ref()));
                    }
                } else {
                    row = Some((num, style));
                }
            }
            "c" if row.is_some() => {
                let (num, style) = row.clone().unwrap_or_default();
                let col = attr(&e, "r").and_then(|r| Cell::parse(&r)).map(|c| c.col).unwrap_or_else(|| last_col.map_or(0, |c| c + 1));
                last_col = Some(col);
                let cells = t.new_cells(num, col, style.as_deref());
                sp.insert_at(start, &cells);
                let elem_end = if empty {
                    end
                } else {
                    reader.read_to_end(e.name()).map_err(|err| bad(&reader, err))?;
                    reader.buffer_position() as usize
                };
                let cell = Cell { row: num, col };
                if let Some((target, edit)) = t.edits.get(t.next).copied().filter(|(c, _)| *c == cell) {
                    t.next += 1;
                    match replace_cell(&xml[start..elem_end], &e, empty, target, edit)? {
                        Outcome::Keep => {}
                        Outcome::Refused(reason) => result.refused.push((target, reason)),
                        Outcome::Replace { markup, formula_removed } => {
                            sp.replace(start, elem_end, &markup);
                            if formula_removed {
                                result.formulas_removed.push(target);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if !seen_data && t.edits.iter().any(|(_, e)| matches!(e.value, Value::Text(_))) {
        return Err("the sheet has no cell table (<sheetData>)".into());
    }
    sp.copy_to(xml.len());
    result.changed = sp.out != part;
    result.xml = sp.out;
    Ok(result)
}

enum Outcome {
    Keep,
    Refused(String),
    Replace { markup: String, formula_removed: bool },
}

/// What a target `<c>` holds: (has a value or formula, the formula's kind).
fn inspect(elem: &str) -> Result<(bool, Option<Formula>), String> {
    let mut reader = quick_xml::Reader::from_str(elem);
    let (mut content, mut formula) = (false, None);
    let mut depth = 0;
    loop {
        let event = reader.read_event().map_err(|e| format!("malformed cell XML: {e}"))?;
        let (e, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                depth -= 1;
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        if depth == 1 {
            match e.local_name().as_ref() {
                "f" => {
                    content = true;
                    formula = Some(formula_kind(&e));
                }
                "v" | "is" => content = true,
                _ => {}
            }
        }
        if !empty {
            depth += 1;
        }
    }
    Ok((content, formula))
}

#[derive(Debug, PartialEq)]
enum Formula {
    /// Its own formula (or a follower of a shared one): safe to remove.
    Own,
    /// The anchor of a shared, array or data-table formula spanning other cells.
    Spanning,
}

fn formula_kind(f: &BytesStart<'_>) -> Formula {
    let t = attr(f, "t").unwrap_or_default();
    let multi = attr(f, "ref").is_some_and(|r| r.contains(':') && r.split(':').next() != r.split(':').nth(1));
    match t.as_str() {
        "shared" | "array" | "dataTable" if multi => Formula::Spanning,
        "dataTable" => Formula::Spanning,
        _ => Formula::Own,
    }
}

fn replace_cell(elem: &str, e: &BytesStart<'_>, empty: bool, cell: Cell, edit: &Edit) -> Result<Outcome, String> {
    let (content, formula) = if empty { (false, None) } else { inspect(elem)? };
    match formula {
        Some(Formula::Spanning) => {
            return Ok(Outcome::Refused(format!(
                "cell {} holds a formula that other cells share; left as it is (type the answer in yourself)",
                cell.name()
            )))
        }
        Some(Formula::Own) if !edit.replace_formula => {
            return Ok(Outcome::Refused(format!(
                "cell {} is calculated by a formula of the workbook; left as it is (fill with overwrite to replace it)",
                cell.name()
            )))
        }
        _ => {}
    }
    if edit.value == Value::Empty && !content {
        return Ok(Outcome::Keep);
    }
    let name = cell.name();
    let mut add: Vec<(&str, &str)> = Vec::new();
    if attr(e, "r").is_none() {
        add.push(("r", &name));
    }
    let drop = ["t", "cm", "vm"];
    let markup = match &edit.value {
        Value::Text(text) => {
            add.push(("t", "inlineStr"));
            let qname = e.name();
            let qname = qname.as_ref();
            format!("{}{}</{qname}>", rebuild_tag(e, &drop, &add, false), inline(prefix_of(qname), text))
        }
        Value::Empty => rebuild_tag(e, &drop, &add, true),
    };
    Ok(Outcome::Replace { markup, formula_removed: formula.is_some() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Edit {
        Edit { value: Value::Text(s.into()), replace_formula: true }
    }

    fn edits(list: &[(&str, Edit)]) -> BTreeMap<Cell, Edit> {
        list.iter().map(|(a, e)| (Cell::parse(a).unwrap(), e.clone())).collect()
    }

    const SHEET: &str = r#"<worksheet><cols><col min="3" max="3" width="9" style="7"/></cols><sheetData><row r="2" spans="1:3"><c r="A2" t="s"><v>0</v></c><c r="C2" s="4" t="s"><v>1</v></c></row><row r="4" s="9" customFormat="1"><c r="A4"><v>5</v></c><c r="D4" s="3"><f>A4*2</f><v>10</v></c></row><row r="6"/></sheetData><dataValidations count="1"/></worksheet>"#;

    #[test]
    fn replaces_keeps_style_and_drops_formula() {
        let r = rewrite(SHEET, &edits(&[("C2", text("Yes & <no>")), ("D4", text("=SUM(A1)"))])).unwrap();
        assert!(r.xml.contains(r#"<c r="C2" s="4" t="inlineStr"><is><t xml:space="preserve">Yes &amp; &lt;no&gt;</t></is></c>"#), "{}", r.xml);
        assert!(r.xml.contains(r#"<c r="D4" s="3" t="inlineStr"><is><t xml:space="preserve">=SUM(A1)</t></is></c>"#));
        assert!(!r.xml.contains("<f>"));
        assert_eq!(r.formulas_removed, vec![Cell::parse("D4").unwrap()]);
        assert!(r.xml.ends_with("<dataValidations count=\"1\"/></worksheet>"));
    }

    #[test]
    fn inserts_cells_and_rows_in_order() {
        let r = rewrite(SHEET, &edits(&[("B2", text("b")), ("E2", text("e")), ("B3", text("new row")), ("B4", text("row style")), ("C6", text("in empty row")), ("C9", text("after"))])).unwrap();
        let x = &r.xml;
        let pos = |s: &str| x.find(s).unwrap_or_else(|| panic!("{s} missing in {x}"));
        assert!(pos(r#"<c r="A2""#) < pos(r#"<c r="B2" t="inlineStr">"#) && pos(r#"<c r="B2""#) < pos(r#"<c r="C2""#));
        assert!(pos(r#"<c r="C2""#) < pos(r#"<c r="E2""#) && pos(r#"<c r="E2""#) < pos("</row><row r=\"3\">"));
        assert!(x.contains(r#"<row r="3"><c r="B3" t="inlineStr">"#));
        assert!(x.contains(r#"<c r="B4" s="9" t="inlineStr">"#), "row style wins: {x}");
        assert!(x.contains(r#"<row r="6"><c r="C6" s="7" t="inlineStr">"#), "column style: {x}");
        assert!(x.contains(r#"<row r="9"><c r="C9" s="7" t="inlineStr">"#));
        assert!(pos("<row r=\"9\">") < pos("</sheetData>"));
    }

    #[test]
    fn clears_and_refuses_formulas_when_asked() {
        let clear = Edit { value: Value::Empty, replace_formula: false };
        let r = rewrite(SHEET, &edits(&[("C2", clear.clone()), ("D4", Edit { value: Value::Text("x".into()), replace_formula: false }), ("F2", clear)])).unwrap();
        assert!(r.xml.contains(r#"<c r="C2" s="4"/>"#));
        assert!(!r.xml.contains("F2"));
        assert_eq!(r.refused.len(), 1);
        assert!(r.xml.contains("<f>A4*2</f>"));
    }

    #[test]
    fn shared_formula_anchors_are_left_alone() {
        let xml = r#"<worksheet><sheetData><row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">B1</f><v>1</v></c></row><row r="2"><c r="A2"><f t="shared" si="0"/><v>1</v></c></row></sheetData></worksheet>"#;
        let r = rewrite(xml, &edits(&[("A1", text("a")), ("A2", text("b"))])).unwrap();
        assert_eq!(r.refused.len(), 1);
        assert!(r.xml.contains(r#"<f t="shared" ref="A1:A3" si="0">B1</f>"#));
        assert!(r.xml.contains(r#"<c r="A2" t="inlineStr"><is>"#));
    }

    #[test]
    fn prefixed_parts_and_empty_sheet_data() {
        let xml = r#"<x:worksheet xmlns:x="main"><x:sheetData/></x:worksheet>"#;
        let r = rewrite(xml, &edits(&[("B2", text("hi"))])).unwrap();
        assert_eq!(r.xml, r#"<x:worksheet xmlns:x="main"><x:sheetData><x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t xml:space="preserve">hi</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>"#);
        let bom = format!("\u{feff}{SHEET}");
        let r = rewrite(&bom, &edits(&[("C2", text("Yes"))])).unwrap();
        assert!(r.xml.starts_with('\u{feff}') && r.xml.contains(r#"<c r="C2" s="4" t="inlineStr">"#));
        let unchanged = rewrite(SHEET, &BTreeMap::new()).unwrap();
        assert!(!unchanged.changed && unchanged.xml == SHEET);
    }
}
