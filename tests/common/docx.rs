//! Generated Word questionnaires for the .docx tests: minimal valid OOXML packages written
//! with the `zip` crate (no Word, no LibreOffice needed), in the three styles customers send:
//!
//! * `tables`: a heading, then a table of questions (Ref | Question | Answer | Comments, a
//!   header row, one merged section cell spanning the whole row), a second heading and a
//!   second table;
//! * `numbered`: numbered bold questions (`w:numPr`), each followed by its answer place: an
//!   empty paragraph, a "[Response]" paragraph, or "Response: " and a plain-text content
//!   control showing "Click or tap here to enter text." (`w:showingPlcHdr`);
//! * `checkboxes`: numbered questions each followed by Yes / No / N/A content-control check
//!   boxes (`w14:checkbox` in `w:sdt`), or by plain "☐ Yes ☐ No" text.
//!
//! Every style has an answered variant (the answers a respondent would have written in the
//! same places) and returns its ground truth. Each package also carries parts a fill must
//! leave alone: styles, a header, a comments part, core properties (and a macro part for .docm).

use std::error::Error;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

pub type R<T> = Result<T, Box<dyn Error>>;

/// One question as written, with the answer the answered variant holds.
#[derive(Debug, Clone, PartialEq)]
pub struct DocxQuestion {
    pub reference: String,
    pub text: String,
    /// The answer in the answered variant ("Yes", "No", "N/A" or free text).
    pub answer: String,
    /// The comment in the answered variant ("" when none or the style has no comment place).
    pub comment: String,
    /// The section heading the question sits under.
    pub section: String,
}

/// A written document and what it holds.
#[derive(Debug, Clone)]
pub struct DocxFixture {
    pub path: PathBuf,
    pub questions: Vec<DocxQuestion>,
    pub answered: bool,
}

const W_NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="w14""#;

/// Escapes text for element content.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn run(text: &str) -> String {
    format!(r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#, esc(text))
}

fn bold_run(text: &str) -> String {
    format!(r#"<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#, esc(text))
}

pub fn heading(level: u8, text: &str) -> String {
    format!(r#"<w:p><w:pPr><w:pStyle w:val="Heading{level}"/></w:pPr>{}</w:p>"#, run(text))
}

pub fn para(text: &str) -> String {
    format!("<w:p>{}</w:p>", run(text))
}

fn numbered(text: &str) -> String {
    format!(r#"<w:p><w:pPr><w:pStyle w:val="ListNumber"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>{}</w:p>"#, bold_run(text))
}

fn cell(width: u32, inner: &str) -> String {
    format!(r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{inner}</w:tc>"#)
}

fn cell_text(width: u32, text: &str) -> String {
    if text.is_empty() {
        // An empty answer cell as Word writes it: a paragraph with only a paragraph mark
        // whose run properties (font size) the answer must keep.
        cell(width, r#"<w:p><w:pPr><w:rPr><w:sz w:val="18"/></w:rPr></w:pPr></w:p>"#)
    } else {
        cell(width, &format!("<w:p>{}</w:p>", run(text)))
    }
}

/// A content-control check box (Word 2010+), ticked or not.
pub fn checkbox(checked: bool) -> String {
    format!(
        r#"<w:sdt><w:sdtPr><w:rPr><w:rFonts w:ascii="MS Gothic" w:hAnsi="MS Gothic"/></w:rPr><w14:checkbox><w14:checked w14:val="{}"/><w14:checkedState w14:val="2612" w14:font="MS Gothic"/><w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:hAnsi="MS Gothic"/></w:rPr><w:t>{}</w:t></w:r></w:sdtContent></w:sdt>"#,
        if checked { 1 } else { 0 },
        if checked { '☒' } else { '☐' }
    )
}

/// A plain-text content control, showing its placeholder or holding `text`.
pub fn text_control(text: Option<&str>) -> String {
    match text {
        None => r#"<w:sdt><w:sdtPr><w:rPr><w:i/></w:rPr><w:showingPlcHdr/><w:text/></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rStyle w:val="PlaceholderText"/><w:i/></w:rPr><w:t>Click or tap here to enter text.</w:t></w:r></w:sdtContent></w:sdt>"#.to_string(),
        Some(t) => format!(r#"<w:sdt><w:sdtPr><w:rPr><w:i/></w:rPr><w:text/></w:sdtPr><w:sdtContent><w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r></w:sdtContent></w:sdt>"#, esc(t)),
    }
}

fn table(rows: &[String]) -> String {
    let grid = r#"<w:tblGrid><w:gridCol w:w="1200"/><w:gridCol w:w="4600"/><w:gridCol w:w="1400"/><w:gridCol w:w="2400"/></w:tblGrid>"#;
    format!(r#"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>{grid}{}</w:tbl>"#, rows.concat())
}

const WIDTHS: [u32; 4] = [1200, 4600, 1400, 2400];

fn header_row() -> String {
    let cells: String = ["Ref", "Question", "Answer", "Comments"].iter().zip(WIDTHS).map(|(t, w)| cell(w, &format!("<w:p>{}</w:p>", bold_run(t)))).collect();
    format!(r#"<w:tr><w:trPr><w:tblHeader/></w:trPr>{cells}</w:tr>"#)
}

fn question_row(q: &DocxQuestion, answered: bool) -> String {
    let (a, c) = if answered { (q.answer.as_str(), q.comment.as_str()) } else { ("", "") };
    format!("<w:tr>{}{}{}{}</w:tr>", cell_text(WIDTHS[0], &q.reference), cell_text(WIDTHS[1], &q.text), cell_text(WIDTHS[2], a), cell_text(WIDTHS[3], c))
}

/// A title row inside a table: one cell merged across the four columns.
fn merged_row(text: &str) -> String {
    format!(r#"<w:tr><w:tc><w:tcPr><w:tcW w:w="9600" w:type="dxa"/><w:gridSpan w:val="4"/></w:tcPr><w:p>{}</w:p></w:tc></w:tr>"#, bold_run(text))
}

pub fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W_NS}><w:body>{body}<w:sectPr><w:headerReference w:type="default" r:id="rIdH1"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    )
}

/// Writes a package around `document_xml`; `macros` makes it a .docm with a VBA part.
pub fn write_package(path: &Path, document_xml: &str, macros: bool) -> R<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let main_type = if macros { "application/vnd.ms-word.document.macroEnabled.main+xml" } else { "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml" };
    let vba_type = if macros { r#"<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>"# } else { "" };
    let types = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="{main_type}"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>{vba_type}</Types>"#
    );
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;
    let vba_rel = if macros { r#"<Relationship Id="rIdV" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>"# } else { "" };
    let doc_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdH1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rIdC" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>{vba_rel}</Relationships>"#
    );
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W_NS}><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/><w:basedOn w:val="Normal"/></w:style><w:style w:type="character" w:styleId="PlaceholderText"><w:name w:val="Placeholder Text"/><w:rPr><w:color w:val="808080"/></w:rPr></w:style><w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/></w:style></w:styles>"#
    );
    let header = format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr {W_NS}><w:p><w:r><w:t>Confidential — Example Health System</w:t></w:r></w:p></w:hdr>"#);
    // A reviewer's comment (id 0), which a document may anchor anywhere.
    let comments = format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments {W_NS}><w:comment w:id="0" w:author="Procurement" w:date="2026-01-05T10:00:00Z" w:initials="P"><w:p><w:r><w:t>Please be specific.</w:t></w:r></w:p></w:comment></w:comments>"#);
    let core = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Vendor security questionnaire</dc:title><dc:creator>Example Health System</dc:creator></cp:coreProperties>"#;

    let file = fs::File::create(path)?;
    let mut zip = zip::ZipWriter::new(file);
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut parts: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", types.into_bytes()),
        ("_rels/.rels", rels.as_bytes().to_vec()),
        ("word/document.xml", document_xml.as_bytes().to_vec()),
        ("word/_rels/document.xml.rels", doc_rels.into_bytes()),
        ("word/styles.xml", styles.into_bytes()),
        ("word/header1.xml", header.into_bytes()),
        ("word/comments.xml", comments.into_bytes()),
        ("docProps/core.xml", core.as_bytes().to_vec()),
    ];
    if macros {
        // Not a real VBA project: bytes that must come through a fill untouched.
        parts.push(("word/vbaProject.bin", (0u8..=255).cycle().take(3000).collect()));
    }
    for (name, bytes) in parts {
        zip.start_file(name, opts)?;
        zip.write_all(&bytes)?;
    }
    zip.finish()?;
    Ok(())
}

fn q(reference: &str, text: &str, answer: &str, comment: &str, section: &str) -> DocxQuestion {
    DocxQuestion { reference: reference.into(), text: text.into(), answer: answer.into(), comment: comment.into(), section: section.into() }
}

/// The questions of the table style: two sections, the first with a merged title row.
pub fn table_questions() -> Vec<DocxQuestion> {
    let a = "Governance";
    let b = "Data Protection";
    vec![
        q("GOV-01", "Do you have an information security policy approved by management?", "Yes", "Reviewed every year by the board.", a),
        q("GOV-02", "Is there a named person responsible for information security?", "Yes", "", a),
        q("GOV-03", "Do you perform background checks on employees with access to customer data?", "No", "Only for administrators; planned for all staff in 2027.", a),
        // After the merged title row "Access Control", which is the section from there on.
        q("IAM-01", "Is multi-factor authentication required for all remote access?", "Yes", "Hardware keys & <TOTP> apps.", "Access Control"),
        q("DATA-01", "Is customer data encrypted at rest?", "Yes", "AES-256", b),
        q("DATA-02", "Describe how backups are protected and how often restores are tested.", "Backups are encrypted and copied to a second region; restores are tested quarterly.", "", b),
        q("DATA-03", "Do you store customer data outside the European Union?", "N/A", "We host only in Frankfurt.", b),
    ]
}

/// Table style: heading, table (with a merged title row), heading, table.
pub fn tables(dir: impl AsRef<Path>, answered: bool) -> R<DocxFixture> {
    let questions = table_questions();
    let mut body = heading(1, "Vendor Security Questionnaire");
    body.push_str(&para("Please answer every question in the Answer column and add any detail under Comments."));
    for (section, rows) in [("Governance", &questions[..4]), ("Data Protection", &questions[4..])] {
        body.push_str(&heading(2, section));
        let mut trs = vec![header_row()];
        for (i, x) in rows.iter().enumerate() {
            if section == "Governance" && i == 3 {
                trs.push(merged_row("Access Control"));
            }
            trs.push(question_row(x, answered));
        }
        body.push_str(&table(&trs));
        body.push_str("<w:p/>");
    }
    let name = if answered { "tables-answered.docx" } else { "tables.docx" };
    let path = dir.as_ref().join(name);
    write_package(&path, &document(&body), false)?;
    Ok(DocxFixture { path, questions, answered })
}

/// The questions of the numbered-paragraph style.
pub fn numbered_questions() -> Vec<DocxQuestion> {
    let s = "Section A — Organization";
    vec![
        q("", "Have you undergone a SOC 2 Type II audit in the last twelve months?", "Yes, the report is available under NDA.", "", s),
        q("", "Describe your process for onboarding and offboarding employees.", "Accounts are created from HR records and removed within 24 hours of departure.", "", s),
        q("", "Do you have a documented change management process?", "Yes", "", s),
        q("", "How do you notify customers of a security incident?", "By e-mail to the named contacts within 48 hours.", "", s),
        q("", "Do you conduct annual penetration tests by an independent firm?", "No", "", s),
        q("", "Which cloud providers host the service?", "Amazon Web Services (eu-central-1) & Hetzner.", "", s),
    ]
}

/// Numbered-paragraph style; answer places cycle through an empty paragraph, a "[Response]"
/// paragraph and a "Response: " label with a plain-text content control.
pub fn numbered_paragraphs(dir: impl AsRef<Path>, answered: bool) -> R<DocxFixture> {
    let questions = numbered_questions();
    let mut body = heading(1, "Third-Party Security Questionnaire");
    body.push_str(&format!("<w:p>{}</w:p>", bold_run("Section A — Organization")));
    for (i, x) in questions.iter().enumerate() {
        body.push_str(&numbered(&x.text));
        let a = answered.then_some(x.answer.as_str());
        body.push_str(&match (i % 3, a) {
            (0, None) => r#"<w:p><w:pPr><w:ind w:left="720"/><w:rPr><w:color w:val="1F4E79"/></w:rPr></w:pPr></w:p>"#.to_string(),
            (0, Some(t)) => format!(r#"<w:p><w:pPr><w:ind w:left="720"/><w:rPr><w:color w:val="1F4E79"/></w:rPr></w:pPr><w:r><w:rPr><w:color w:val="1F4E79"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#, esc(t)),
            (1, None) => r#"<w:p><w:pPr><w:ind w:left="720"/></w:pPr><w:r><w:rPr><w:highlight w:val="yellow"/></w:rPr><w:t>[Response]</w:t></w:r></w:p>"#.to_string(),
            (1, Some(t)) => format!(r#"<w:p><w:pPr><w:ind w:left="720"/></w:pPr><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#, esc(t)),
            (_, t) => format!(r#"<w:p><w:pPr><w:ind w:left="720"/></w:pPr><w:r><w:t xml:space="preserve">Response: </w:t></w:r>{}</w:p>"#, text_control(t)),
        });
    }
    body.push_str(&para("Thank you for completing this questionnaire."));
    let name = if answered { "numbered-answered.docx" } else { "numbered.docx" };
    let path = dir.as_ref().join(name);
    write_package(&path, &document(&body), false)?;
    Ok(DocxFixture { path, questions, answered })
}

/// The questions of the check-box style (answers are Yes / No / N/A only).
pub fn checkbox_questions() -> Vec<DocxQuestion> {
    let s = "Privacy";
    vec![
        q("", "Do you sign a Business Associate Agreement with covered entities?", "Yes", "", s),
        q("", "Is protected health information ever stored on removable media?", "No", "", s),
        q("", "Do you transfer personal data to countries outside the EEA?", "N/A", "", s),
        q("", "Is access to production data logged and reviewed?", "Yes", "", s),
        q("", "Do you use subcontractors to process customer data?", "No", "", s),
    ]
}

/// Check-box style: the first three questions take Yes / No / N/A content-control check
/// boxes, the last two plain "☐ Yes ☐ No" text.
pub fn checkboxes(dir: impl AsRef<Path>, answered: bool) -> R<DocxFixture> {
    let questions = checkbox_questions();
    let mut body = heading(1, "Privacy and HIPAA Questionnaire");
    body.push_str(&heading(2, "Privacy"));
    for (i, x) in questions.iter().enumerate() {
        body.push_str(&numbered(&x.text));
        let pick = |label: &str| answered && x.answer == label;
        if i < 3 {
            let mut p = String::from(r#"<w:p><w:pPr><w:ind w:left="720"/></w:pPr>"#);
            for label in ["Yes", "No", "N/A"] {
                p.push_str(&checkbox(pick(label)));
                p.push_str(&run(&format!(" {label}    ")));
            }
            p.push_str("</w:p>");
            body.push_str(&p);
        } else {
            let g = |label: &str| if pick(label) { '☒' } else { '☐' };
            body.push_str(&format!(r#"<w:p><w:pPr><w:ind w:left="720"/></w:pPr>{}</w:p>"#, run(&format!("{} Yes   {} No", g("Yes"), g("No")))));
        }
    }
    let name = if answered { "checkboxes-answered.docx" } else { "checkboxes.docx" };
    let path = dir.as_ref().join(name);
    write_package(&path, &document(&body), false)?;
    Ok(DocxFixture { path, questions, answered })
}

/// A large table-style document of `n` questions in sections of 25 (one table each).
pub fn large_tables(dir: impl AsRef<Path>, n: usize) -> R<DocxFixture> {
    let topics = ["encryption of data at rest", "multi-factor authentication", "vulnerability scanning", "incident response", "backup restores", "access reviews", "security awareness training", "logging and monitoring"];
    let questions: Vec<DocxQuestion> = (0..n)
        .map(|i| {
            let t = topics[i % topics.len()];
            let section = format!("Section {}", i / 25 + 1);
            q(&format!("Q-{:03}", i + 1), &format!("Do you have a documented process for {t} covering system {}?", i + 1), if i % 3 == 0 { "No" } else { "Yes" }, "", &section)
        })
        .collect();
    let mut body = heading(1, "Large questionnaire");
    for chunk in questions.chunks(25) {
        body.push_str(&heading(2, &chunk[0].section));
        let mut trs = vec![header_row()];
        trs.extend(chunk.iter().map(|x| question_row(x, false)));
        body.push_str(&table(&trs));
    }
    let path = dir.as_ref().join(format!("large-{n}.docx"));
    write_package(&path, &document(&body), false)?;
    Ok(DocxFixture { path, questions, answered: false })
}

/// The table style saved as a macro-enabled document (.docm, with a VBA part).
pub fn docm(dir: impl AsRef<Path>) -> R<DocxFixture> {
    let mut f = tables(dir.as_ref(), false)?;
    let xml = read_entry(&f.path, "word/document.xml")?;
    let path = dir.as_ref().join("tables.docm");
    write_package(&path, &String::from_utf8(xml)?, true)?;
    f.path = path;
    Ok(f)
}

/// A zip holding something that is not a Word document, named .docx.
pub fn zip_not_word(dir: impl AsRef<Path>) -> R<PathBuf> {
    let path = dir.as_ref().join("photos.docx");
    let mut zip = zip::ZipWriter::new(fs::File::create(&path)?);
    zip.start_file("holiday/notes.txt", SimpleFileOptions::default())?;
    zip.write_all(b"not a questionnaire")?;
    zip.finish()?;
    Ok(path)
}

/// The bytes of one zip entry.
pub fn read_entry(path: &Path, name: &str) -> R<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(fs::File::open(path)?)?;
    let mut f = zip.by_name(name)?;
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut f, &mut out)?;
    Ok(out)
}

/// Every entry of a zip: name → (compressed bytes as stored, CRC-32).
pub fn raw_entries(path: &Path) -> R<Vec<(String, Vec<u8>, u32)>> {
    let mut zip = zip::ZipArchive::new(fs::File::open(path)?)?;
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i)?;
        let name = f.name()?.into_owned();
        let crc = f.crc32();
        let mut bytes = Vec::new();
        let mut f = f;
        std::io::Read::read_to_end(&mut f, &mut bytes)?;
        out.push((name, bytes, crc));
    }
    Ok(out)
}
