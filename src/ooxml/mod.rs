//! Office Open XML packages (xlsx/xlsm workbooks, docx/docm documents) as the readers in
//! `sheet` and the fillers in `fill` both need them: opening the zip, reading a part with a size
//! limit (zip bombs), resolving relationship targets to part names, a workbook's sheet parts,
//! and writing a filled copy in which every part that is not replaced is copied raw. XML helpers
//! are in [`xml`].

pub mod xml;

use crate::error::{Error, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufWriter, Cursor, Read, Seek, Write};
use std::path::Path;
use xml::xml_elements;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The zip container of a package held in memory.
pub fn open<'a>(path: &Path, bytes: &'a [u8]) -> Result<ZipArchive<Cursor<&'a [u8]>>> {
    ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::corrupt(path, format!("the zip container cannot be opened: {e}")))
}

/// The part `name` as text. A part that inflates beyond `limit` bytes is refused (a zip bomb,
/// or not a questionnaire) before anything is read; so is one that is not UTF-8.
pub fn read_part<R: Read + Seek>(zip: &mut ZipArchive<R>, path: &Path, name: &str, limit: u64) -> Result<String> {
    let f = zip.by_name(name).map_err(|e| Error::corrupt(path, format!("part {name} cannot be read: {e}")))?;
    if f.size() > limit {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            detail: format!("part {name} inflates to {} MB (limit {} MB): a zip bomb or not a questionnaire; nothing was read or written", f.size() >> 20, limit >> 20),
        });
    }
    let mut s = String::new();
    f.take(limit).read_to_string(&mut s).map_err(|e| Error::corrupt(path, format!("part {name} cannot be read as UTF-8 XML: {e}")))?;
    Ok(s)
}

/// Sheet name → worksheet part inside the package ("Organization" → "xl/worksheets/sheet2.xml"),
/// in workbook order, from `xl/workbook.xml` (name → relationship id) and
/// `xl/_rels/workbook.xml.rels` (id → target, relative to `xl/` unless it starts with `/`).
pub fn sheet_parts(workbook_xml: &str, rels_xml: &str) -> Vec<(String, String)> {
    let targets = xml_elements(rels_xml, "Relationship", &["Id", "Target"]);
    xml_elements(workbook_xml, "sheet", &["name", "r:id"])
        .into_iter()
        .filter_map(|s| {
            let t = targets.iter().find(|t| t[0] == s[1])?;
            Some((s[0].clone(), part_name("xl/", &t[1])))
        })
        .collect()
}

/// A relationship target as a zip entry name: absolute ("/xl/x.xml") or relative to `base`,
/// with "." and ".." segments resolved.
pub fn part_name(base: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("{base}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Writes a copy of the zip `source` to `target`: `replaced` parts with their new content,
/// `dropped` parts left out, every other entry copied raw (the same compressed bytes), all in
/// the original order. Shared by workbooks and Word documents.
pub fn write_zip(zip: &mut ZipArchive<Cursor<&[u8]>>, source: &Path, target: &Path, replaced: &BTreeMap<String, String>, dropped: &BTreeSet<String>) -> Result<()> {
    let werr = |e: std::io::Error| Error::write(target, e);
    let zerr = |e: zip::result::ZipError| Error::write(target, std::io::Error::other(e));
    let file = std::fs::File::create(target).map_err(werr)?;
    let mut out = ZipWriter::new(BufWriter::new(file));
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| Error::corrupt(source, format!("zip entry {i} cannot be read: {e}")))?;
        let name = entry.name().map_err(|e| Error::corrupt(source, format!("zip entry {i} has an unreadable name: {e}")))?.into_owned();
        if dropped.contains(&name) {
            continue;
        }
        match replaced.get(&name) {
            None => out.raw_copy_file(entry).map_err(zerr)?,
            Some(content) => {
                let mut opts = SimpleFileOptions::default().last_modified_time(entry.last_modified().unwrap_or_default());
                opts = if entry.compression() == CompressionMethod::Stored {
                    opts.compression_method(CompressionMethod::Stored)
                } else {
                    // Level 6 keeps to plain deflate (the zip crate's higher levels use zopfli).
                    opts.compression_method(CompressionMethod::Deflated).compression_level(Some(6))
                };
                if let Some(mode) = entry.unix_mode() {
                    opts = opts.unix_permissions(mode);
                }
                drop(entry);
                out.start_file(name, opts).map_err(zerr)?;
                out.write_all(content.as_bytes()).map_err(werr)?;
            }
        }
    }
    let buffered = out.finish().map_err(zerr)?;
    let file = buffered.into_inner().map_err(|e| werr(e.into_error()))?;
    file.sync_all().map_err(werr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_targets_become_part_names() {
        assert_eq!(part_name("xl/", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(part_name("xl/", "/xl/worksheets/sheet2.xml"), "xl/worksheets/sheet2.xml");
        assert_eq!(part_name("xl/worksheets/", "../drawings/./d1.xml"), "xl/drawings/d1.xml");
        assert_eq!(part_name("xl/", "../../../../etc/passwd"), "etc/passwd");
    }

    #[test]
    fn sheet_parts_follow_the_relationships() {
        let workbook = r#"<workbook xmlns:r="r"><sheets><sheet name="A" sheetId="1" r:id="rId2"/><sheet name="B" sheetId="2" r:id="rId1"/><sheet name="Gone" sheetId="3" r:id="rId9"/></sheets></workbook>"#;
        let rels = r#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml"/></Relationships>"#;
        assert_eq!(sheet_parts(workbook, rels), vec![("A".to_string(), "xl/worksheets/sheet2.xml".to_string()), ("B".to_string(), "xl/worksheets/sheet1.xml".to_string())]);
    }

    #[test]
    fn sheet_parts_are_mapped_by_relationship() {
        let wb = r#"<workbook xmlns:r="x"><sheets><sheet name="A &amp; B" sheetId="1" r:id="rId7"/></sheets></workbook>"#;
        let rels = r#"<Relationships><Relationship Id="rId7" Type="t" Target="worksheets/sheet3.xml"/></Relationships>"#;
        assert_eq!(xml::xml_elements(wb, "sheet", &["name", "r:id"]), vec![vec!["A & B".to_string(), "rId7".to_string()]]);
        assert_eq!(xml::xml_elements(rels, "Relationship", &["Id", "Target"])[0][1], "worksheets/sheet3.xml");
        assert_eq!(sheet_parts(wb, rels), vec![("A & B".to_string(), "xl/worksheets/sheet3.xml".to_string())]);
        assert_eq!(part_name("xl/", "/xl/worksheets/s.xml"), "xl/worksheets/s.xml");
        assert_eq!(part_name("xl/", "../customXml/item1.xml"), "customXml/item1.xml");
    }

    #[test]
    fn a_part_past_its_limit_is_refused_unread() {
        let mut buf = Vec::new();
        {
            let mut z = ZipWriter::new(Cursor::new(&mut buf));
            z.start_file("big.xml", SimpleFileOptions::default()).unwrap();
            z.write_all(&vec![b' '; 4096]).unwrap();
            z.finish().unwrap();
        }
        let path = Path::new("x.docx");
        let mut zip = open(path, &buf).unwrap();
        assert_eq!(read_part(&mut zip, path, "big.xml", 8192).unwrap().len(), 4096);
        let err = read_part(&mut zip, path, "big.xml", 1024).unwrap_err().to_string();
        assert!(err.contains("big.xml") && err.contains("limit"), "{err}");
        assert!(read_part(&mut zip, path, "missing.xml", 1024).is_err());
        assert!(open(path, b"not a zip").is_err());
    }
}
