//! Keeping the workbook's calculation metadata true after answers replace formulas.
//!
//! `xl/calcChain.xml` lists every formula cell in the order Excel last calculated them
//! (`<c r="C13" i="8"/>`, `i` being the sheet's `sheetId`, omitted when it repeats the previous
//! entry's). An entry for a cell that no longer has a formula makes Excel report the file as
//! damaged, so the entries of replaced formulas are removed; if none remain, the part goes, with
//! its relationship and content type. And because answers feed formulas elsewhere (HECVAT
//! scores its answers on other sheets), the workbook is marked `fullCalcOnLoad` so those
//! formulas are recalculated when the file is opened instead of showing stale cached results.

use super::address::Cell;
use crate::ooxml::xml::{attr, rebuild_tag, split_bom};
use quick_xml::events::{BytesStart, Event};
use std::collections::BTreeSet;

/// Removes the entries of `gone` ((sheetId, cell) pairs). Returns the new part and how many
/// entries remain.
pub fn remove_entries(part: &str, gone: &BTreeSet<(String, Cell)>) -> Result<(String, usize), String> {
    let (bom, xml) = split_bom(part);
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::with_capacity(part.len());
    out.push_str(bom);
    let mut copied = 0usize;
    // The sheet of the entry being read, and of the last entry written.
    let (mut current, mut written) = (String::new(), String::new());
    let mut kept = 0usize;
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| format!("malformed XML at byte {}: {e}", reader.error_position()))?;
        let end = reader.buffer_position() as usize;
        let (e, empty) = match event {
            Event::Empty(e) => (e, true),
            Event::Start(e) => (e, false),
            Event::Eof => break,
            _ => continue,
        };
        if e.local_name().as_ref() != "c" {
            continue;
        }
        let elem_end = if empty {
            end
        } else {
            reader.read_to_end(e.name()).map_err(|err| format!("malformed XML: {err}"))?;
            reader.buffer_position() as usize
        };
        let explicit = attr(&e, "i");
        if let Some(i) = &explicit {
            current = i.clone();
        }
        let cell = attr(&e, "r").and_then(|r| Cell::parse(&r));
        out.push_str(&xml[copied..start]);
        copied = start;
        if cell.is_some_and(|c| gone.contains(&(current.clone(), c))) {
            copied = elem_end;
            continue;
        }
        kept += 1;
        if explicit.is_none() && current != written {
            // The entry it inherited its sheet from was removed: say the sheet outright.
            out.push_str(&with_attr(&e, "i", &current, empty));
            out.push_str(&xml[start + tag_len(&xml[start..])..elem_end]);
            copied = elem_end;
        }
        written = current.clone();
    }
    out.push_str(&xml[copied..]);
    Ok((out, kept))
}

fn with_attr(e: &BytesStart<'_>, key: &str, value: &str, empty: bool) -> String {
    rebuild_tag(e, &[key], &[(key, value)], empty)
}

/// Length of the start tag at the beginning of `s` (up to and including its `>`).
fn tag_len(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// Removes the elements with this local name for which `drop` says so.
pub fn remove_elements(part: &str, local: &str, drop: impl Fn(&BytesStart<'_>) -> bool) -> Result<String, String> {
    let (bom, xml) = split_bom(part);
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::with_capacity(part.len());
    out.push_str(bom);
    let mut copied = 0usize;
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| format!("malformed XML at byte {}: {e}", reader.error_position()))?;
        let (e, empty) = match event {
            Event::Empty(e) => (e, true),
            Event::Start(e) => (e, false),
            Event::Eof => break,
            _ => continue,
        };
        if e.local_name().as_ref() == local && drop(&e) {
            if !empty {
                reader.read_to_end(e.name()).map_err(|err| format!("malformed XML: {err}"))?;
            }
            out.push_str(&xml[copied..start]);
            copied = reader.buffer_position() as usize;
        }
    }
    out.push_str(&xml[copied..]);
    Ok(out)
}

/// `xl/workbook.xml` with `fullCalcOnLoad="1"` on its `<calcPr>`; `None` when it already says
/// so or has no `<calcPr>`.
pub fn recalc_on_open(part: &str) -> Option<String> {
    let (bom, workbook_xml) = split_bom(part);
    let mut reader = quick_xml::Reader::from_str(workbook_xml);
    loop {
        let start = reader.buffer_position() as usize;
        let (e, empty) = match reader.read_event().ok()? {
            Event::Empty(e) => (e, true),
            Event::Start(e) => (e, false),
            Event::Eof => return None,
            _ => continue,
        };
        if e.local_name().as_ref() != "calcPr" {
            continue;
        }
        if matches!(attr(&e, "fullCalcOnLoad").as_deref(), Some("1" | "true")) {
            return None;
        }
        let end = reader.buffer_position() as usize;
        let tag = rebuild_tag(&e, &["fullCalcOnLoad"], &[("fullCalcOnLoad", "1")], empty);
        return Some(format!("{bom}{}{tag}{}", &workbook_xml[..start], &workbook_xml[end..]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gone(list: &[(&str, &str)]) -> BTreeSet<(String, Cell)> {
        list.iter().map(|(i, c)| (i.to_string(), Cell::parse(c).unwrap())).collect()
    }

    #[test]
    fn entries_go_and_inherited_sheets_are_kept() {
        let xml = r#"<calcChain xmlns="m"><c r="C13" i="8" l="1"/><c r="C14"/><c r="A1" i="2"/><c r="C13"/></calcChain>"#;
        let (out, kept) = remove_entries(xml, &gone(&[("8", "C13")])).unwrap();
        assert_eq!(out, r#"<calcChain xmlns="m"><c r="C14" i="8"/><c r="A1" i="2"/><c r="C13"/></calcChain>"#);
        assert_eq!(kept, 3);
        let (_, kept) = remove_entries(xml, &gone(&[("8", "C13"), ("8", "C14"), ("2", "A1"), ("2", "C13")])).unwrap();
        assert_eq!(kept, 0);
    }

    #[test]
    fn relationships_and_calc_flag() {
        let rels = r#"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="a.xml"/><Relationship Id="rId9" Type="x/calcChain" Target="calcChain.xml"/></Relationships>"#;
        let out = remove_elements(rels, "Relationship", |e| attr(e, "Type").is_some_and(|t| t.ends_with("/calcChain"))).unwrap();
        assert_eq!(out, r#"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="a.xml"/></Relationships>"#);
        let wb = r#"<workbook><sheets/><calcPr calcId="191029"/></workbook>"#;
        assert_eq!(recalc_on_open(wb).unwrap(), r#"<workbook><sheets/><calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>"#);
        assert_eq!(recalc_on_open(r#"<workbook><calcPr fullCalcOnLoad="1"/></workbook>"#), None);
        assert_eq!(recalc_on_open(&format!("\u{feff}{wb}")).unwrap(), format!("\u{feff}{}", recalc_on_open(wb).unwrap()));
    }
}
