//! The xlsx package: a zip of XML parts. Finds the parts filling needs (sheets, calcChain,
//! defined names), reads them with a size limit, and writes the filled copy, in which every
//! part that is not replaced is copied raw: the same compressed bytes, not even recompressed.

use crate::error::Result;
use crate::ooxml::xml::{attr, xml_elements};
use crate::ooxml::{part_name, read_part, sheet_parts, write_zip};
use crate::sheet::read::MAX_SHEET_XML_BYTES;
use quick_xml::events::Event;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;
use std::path::Path;
use zip::ZipArchive;

pub const WORKBOOK: &str = "xl/workbook.xml";
pub const WORKBOOK_RELS: &str = "xl/_rels/workbook.xml.rels";
pub const CONTENT_TYPES: &str = "[Content_Types].xml";
const CALC_CHAIN_TYPE: &str = "/calcChain";

/// A worksheet as the workbook lists it.
#[derive(Debug, Clone)]
pub struct SheetEntry {
    pub name: String,
    /// `sheetId`, which calcChain.xml refers to.
    pub id: String,
    /// The zip entry of its XML, when the relationships name one.
    pub part: Option<String>,
}

/// `<definedName name="YesNo" localSheetId="2">Lists!$A$1:$A$3</definedName>`.
#[derive(Debug, Clone, PartialEq)]
pub struct DefinedName {
    pub name: String,
    /// Index (in workbook order) of the sheet the name is scoped to; `None` for workbook-wide.
    pub local_sheet: Option<usize>,
    pub formula: String,
}

/// An opened package.
pub struct Package<'a> {
    pub path: &'a Path,
    zip: ZipArchive<Cursor<&'a [u8]>>,
    pub sheets: Vec<SheetEntry>,
    pub names: Vec<DefinedName>,
    pub workbook_xml: String,
    pub rels_xml: String,
    /// The calculation chain part, when the workbook has formulas Excel calculated.
    pub calc_chain: Option<String>,
}

impl<'a> Package<'a> {
    pub fn open(path: &'a Path, bytes: &'a [u8]) -> Result<Package<'a>> {
        let zip = crate::ooxml::open(path, bytes)?;
        let mut pkg = Package { path, zip, sheets: Vec::new(), names: Vec::new(), workbook_xml: String::new(), rels_xml: String::new(), calc_chain: None };
        pkg.workbook_xml = pkg.read_part(WORKBOOK)?;
        pkg.rels_xml = pkg.read_part(WORKBOOK_RELS)?;
        let parts = sheet_parts(&pkg.workbook_xml, &pkg.rels_xml);
        pkg.sheets = xml_elements(&pkg.workbook_xml, "sheet", &["name", "sheetId"])
            .into_iter()
            .map(|s| SheetEntry { part: parts.iter().find(|(n, _)| *n == s[0]).map(|(_, p)| p.clone()), name: s[0].clone(), id: s[1].clone() })
            .collect();
        pkg.names = defined_names(&pkg.workbook_xml);
        pkg.calc_chain = xml_elements(&pkg.rels_xml, "Relationship", &["Type", "Target"])
            .into_iter()
            .find(|r| r[0].ends_with(CALC_CHAIN_TYPE))
            .map(|r| part_name("xl/", &r[1]))
            .filter(|p| pkg.has(p));
        Ok(pkg)
    }

    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// A part as text, refusing parts that inflate past the sheet limit.
    pub fn read_part(&mut self, name: &str) -> Result<String> {
        read_part(&mut self.zip, self.path, name, MAX_SHEET_XML_BYTES)
    }

    /// The content type the package declares for its workbook part.
    pub fn workbook_content_type(&mut self) -> Option<String> {
        let types = self.read_part(CONTENT_TYPES).ok()?;
        xml_elements(&types, "Override", &["PartName", "ContentType"]).into_iter().find(|o| o[0] == format!("/{WORKBOOK}")).map(|o| o[1].clone())
    }

    /// Writes the package to `target`: `replaced` parts with their new content, `dropped` parts
    /// left out, every other entry copied raw, all in the original order.
    pub fn write(&mut self, target: &Path, replaced: &BTreeMap<String, String>, dropped: &BTreeSet<String>) -> Result<()> {
        write_zip(&mut self.zip, self.path, target, replaced, dropped)
    }
}

/// The defined names of `xl/workbook.xml`.
fn defined_names(workbook_xml: &str) -> Vec<DefinedName> {
    let mut reader = quick_xml::Reader::from_str(workbook_xml);
    let mut out = Vec::new();
    let mut current: Option<DefinedName> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "definedName" => {
                current = Some(DefinedName {
                    name: attr(&e, "name").unwrap_or_default(),
                    local_sheet: attr(&e, "localSheetId").and_then(|v| v.parse().ok()),
                    formula: String::new(),
                });
            }
            Ok(Event::Text(t)) => {
                if let Some(d) = current.as_mut() {
                    d.formula.push_str(&t.xml10_content());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some(d) = current.as_mut() {
                    crate::ooxml::xml::push_ref(&mut d.formula, &r);
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "definedName" => out.extend(current.take()),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defined_names_with_scope() {
        let wb = r#"<workbook><definedNames><definedName name="YesNo">Lists!$A$1:$A$3</definedName>
<definedName name="Local" localSheetId="1">'Q &amp; A'!$B:$B</definedName></definedNames></workbook>"#;
        let names = defined_names(wb);
        assert_eq!(names[0], DefinedName { name: "YesNo".into(), local_sheet: None, formula: "Lists!$A$1:$A$3".into() });
        assert_eq!(names[1].local_sheet, Some(1));
        assert_eq!(names[1].formula, "'Q & A'!$B:$B");
    }
}
