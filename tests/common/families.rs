//! Generated questionnaires of the families Quire recognises, for the assessment tests: a
//! HECVAT-3.0x-style workbook written here (Quire's own wording, no EDUCAUSE text), with its
//! version cell, title, sheet name, section order, answer style and scoping answers chosen by
//! the test; and variants of the real files in ../shared/questionnaires (read with Quire's
//! reader, changed in memory, written again with rust_xlsxwriter into a temporary folder —
//! nothing of them enters the repository).

use quire::sheet::grid::Grid;
use rust_xlsxwriter::Workbook;
use std::error::Error;
use std::path::{Path, PathBuf};

type R<T> = Result<T, Box<dyn Error>>;

/// How to write a HECVAT-3.0x-style questionnaire.
#[derive(Debug, Clone)]
pub struct HecvatStyle {
    /// The title in A1 ("Higher Education Community Vendor Assessment Toolkit (HECVAT) - Full").
    pub title: String,
    /// The version cell in E1 ("Version 3.06").
    pub version: String,
    /// The response sheet's name.
    pub sheet: String,
    /// The answer to the PHI scoping question ("No", "Yes", "").
    pub phi: String,
    /// Whether the HIPAA section is answered (else left blank, as vendors do after "No").
    pub hipaa_answered: bool,
    /// HIPAA, PCI and consulting sections moved before Documentation.
    pub reorder: bool,
    /// Answers written as dropdown picks ("1) Yes", "2) No").
    pub numbered: bool,
    /// Renumber the IDs within each section (as a different generation would): IDs then mean
    /// other things than the rubric's.
    pub renumber: bool,
}

impl Default for HecvatStyle {
    fn default() -> Self {
        HecvatStyle {
            title: "Higher Education Community Vendor Assessment Toolkit (HECVAT) - Full".into(),
            version: "Version 3.06".into(),
            sheet: "HECVAT - Full".into(),
            phi: "No".into(),
            hipaa_answered: false,
            reorder: false,
            numbered: false,
            renumber: false,
        }
    }
}

/// (section title, [(id, question, answer, comment)]), in Quire's own words.
pub fn hecvat_sections(s: &HecvatStyle) -> Vec<(&'static str, Vec<(&'static str, &'static str, String, &'static str)>)> {
    let hipaa = |a: &str| if s.hipaa_answered { a.to_string() } else { String::new() };
    vec![
        (
            "Qualifiers",
            vec![
                ("QUAL-01", "Does your product process protected health information (PHI) or other data covered by HIPAA?", s.phi.clone(), ""),
                ("QUAL-02", "Will institution data be shared with or hosted by any third parties?", "No".into(), ""),
                ("QUAL-03", "Is your business continuity plan (BCP) documented and tested annually?", "Yes".into(), ""),
                ("QUAL-04", "Is your disaster recovery plan (DRP) documented and tested annually?", "Yes".into(), ""),
                ("QUAL-05", "Is the product designed to process or store payment card data?", "No".into(), ""),
                ("QUAL-06", "Does your company provide professional services or consulting for this product?", "No".into(), ""),
            ],
        ),
        (
            "Company Overview",
            vec![
                ("COMP-02", "Has the service had an unplanned disruption in the last year?", "No".into(), ""),
                ("COMP-03", "Do you have dedicated information security staff?", "Yes".into(), "A team of six."),
            ],
        ),
        (
            "Documentation",
            vec![
                ("DOCU-01", "Has the product undergone a SOC 2 audit?", "Yes".into(), "Type 2, period ending March."),
                ("DOCU-02", "Have you completed the CSA self-assessment (CAIQ)?", "Yes".into(), ""),
                ("DOCU-04", "Does your security program follow a recognised security framework?", "Yes".into(), "NIST CSF"),
            ],
        ),
        ("Assessment of Third Parties", vec![("THRD-01", "Do you assess the security of third parties that hold institution data?", String::new(), "")]),
        (
            "Consulting",
            vec![
                ("CONS-01", "Will the consulting take place off-site?", String::new(), ""),
                ("CONS-02", "Will the consultant need no access to the institution's network?", String::new(), ""),
            ],
        ),
        (
            "Application/Service Security",
            vec![
                ("APPL-01", "Are institutional accounts given role or attribute-based access?", "Yes".into(), ""),
                ("APPL-03", "Does the application validate input?", "Yes".into(), ""),
                ("APPL-04", "Do you use a web application firewall?", "No".into(), "Planned for Q3 2027."),
            ],
        ),
        (
            "Authentication, Authorization, and Accounting",
            vec![
                ("AAAI-01", "Do you support SSO for users and admins?", "Yes".into(), ""),
                ("AAAI-03", "Can password aging be enforced?", "Yes".into(), ""),
                ("AAAI-14", "Are there any passwords hard-coded into your systems?", "No".into(), ""),
            ],
        ),
        (
            "Data",
            vec![
                ("DATA-03", "Is data encrypted in transit?", "Yes".into(), "TLS 1.2+"),
                ("DATA-04", "Is data encrypted at rest?", "Yes".into(), "AES-256"),
            ],
        ),
        ("Vulnerability Scanning", vec![("VULN-01", "Do you run external vulnerability scanning of your systems?", "Yes".into(), "Weekly")]),
        (
            "HIPAA - Optional based on QUALIFIER response",
            vec![
                ("HIPA-01", "Do your staff receive HIPAA and HITECH workforce training?", hipaa("Yes"), ""),
                ("HIPA-03", "Have you named HIPAA privacy and security officers?", hipaa("Yes"), ""),
                ("HIPA-05", "Have you performed a HIPAA risk analysis?", hipaa("No"), ""),
            ],
        ),
        ("PCI DSS", vec![("PCID-02", "Are you PCI DSS compliant?", String::new(), "")]),
    ]
}

fn numbered(answer: &str) -> String {
    match answer {
        "Yes" => "1) Yes".into(),
        "No" => "2) No".into(),
        other => other.to_string(),
    }
}

/// Writes the HECVAT-3.0x-style workbook: Instructions, the response sheet, an analyst view
/// repeating the IDs, and the hidden master list.
pub fn hecvat_style(dir: &Path, name: &str, s: &HecvatStyle) -> R<PathBuf> {
    let mut sections = hecvat_sections(s);
    if s.reorder {
        // HIPAA, PCI DSS and Consulting first (after the qualifiers).
        let moved: Vec<_> = sections.iter().filter(|(t, _)| t.starts_with("HIPAA") || *t == "PCI DSS" || *t == "Consulting").cloned().collect();
        sections.retain(|(t, _)| !(t.starts_with("HIPAA") || *t == "PCI DSS" || *t == "Consulting"));
        for (i, m) in moved.into_iter().enumerate() {
            sections.insert(1 + i, m);
        }
    }
    if s.renumber {
        // Rotate the texts within each section and number them from 07 up: the IDs no longer
        // say what the rubric's IDs say.
        for (_, qs) in sections.iter_mut() {
            let n = qs.len();
            let texts: Vec<_> = qs.iter().map(|(_, t, a, c)| (*t, a.clone(), *c)).collect();
            for (i, q) in qs.iter_mut().enumerate() {
                let (t, a, c) = texts[(i + 1) % n].clone();
                q.1 = t;
                q.2 = a;
                q.3 = c;
            }
        }
    }
    let mut wb = Workbook::new();
    let ins = wb.add_worksheet();
    ins.set_name("Instructions")?;
    ins.write_string(0, 0, &s.title)?;
    ins.write_string(2, 0, "Complete the qualifiers first, then every section that applies.")?;
    let ws = wb.add_worksheet();
    ws.set_name(&s.sheet)?;
    ws.write_string(0, 0, &s.title)?;
    ws.write_string(0, 4, &s.version)?;
    ws.write_string(1, 0, "Vendor security working group")?;
    ws.write_string(2, 0, "DATE-01")?;
    ws.write_string(2, 1, "Date")?;
    ws.write_string(2, 2, "2026-10-01")?;
    ws.write_string(3, 0, "General Information")?;
    ws.write_string(4, 0, "GNRL-01")?;
    ws.write_string(4, 1, "Vendor Name")?;
    ws.write_string(4, 2, "Acme Learning")?;
    let mut row = 5u32;
    let mut all_ids = Vec::new();
    for (title, qs) in &sections {
        ws.write_string(row, 0, *title)?;
        ws.write_string(row, 2, "Vendor Answers")?;
        ws.write_string(row, 3, "Additional Information")?;
        ws.write_string(row, 4, "Guidance")?;
        row += 1;
        for (k, (id, text, answer, comment)) in qs.iter().enumerate() {
            let id = if s.renumber { format!("{}-{:02}", &id[..4], 7 + k) } else { id.to_string() };
            ws.write_string(row, 0, &id)?;
            ws.write_string(row, 1, *text)?;
            let a = if s.numbered { numbered(answer) } else { answer.clone() };
            if !a.is_empty() {
                ws.write_string(row, 2, &a)?;
            }
            if !comment.is_empty() {
                ws.write_string(row, 3, *comment)?;
            }
            all_ids.push((id, text.to_string()));
            row += 1;
        }
    }
    let an = wb.add_worksheet();
    an.set_name("Analyst Report")?;
    an.write_string(0, 0, "HECVAT - Analyst Report")?;
    for (i, (id, text)) in all_ids.iter().enumerate() {
        an.write_string(2 + i as u32, 0, id)?;
        an.write_string(2 + i as u32, 1, text)?;
        an.write_string(2 + i as u32, 2, "Compliant")?;
    }
    let master = wb.add_worksheet();
    master.set_name("Questions")?;
    master.set_hidden(true);
    for (i, (id, text)) in all_ids.iter().enumerate() {
        master.write_string(i as u32, 0, id)?;
        master.write_string(i as u32, 1, text)?;
    }
    let path = dir.join(name);
    wb.save(&path)?;
    Ok(path)
}

/// The sheets of a real workbook as Quire reads them.
pub fn read_grids(path: &Path) -> R<Vec<Grid>> {
    Ok(quire::sheet::read::read_workbook(path)?.sheets)
}

/// Writes grids as a workbook (text cells; hidden sheets stay hidden).
pub fn write_grids(path: &Path, grids: &[Grid]) -> R<()> {
    let mut wb = Workbook::new();
    for g in grids {
        let ws = wb.add_worksheet();
        ws.set_name(&g.name)?;
        if g.hidden {
            ws.set_hidden(true);
        }
        for (r, row) in g.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32, c as u16, v)?;
                }
            }
        }
    }
    wb.save(path)?;
    Ok(())
}

/// Replaces a version cell's number everywhere in the first rows ("Version 3.00" → "Version 3.06").
pub fn set_version(grids: &mut [Grid], from: &str, to: &str) {
    for g in grids.iter_mut() {
        for row in g.rows.iter_mut().take(5) {
            for c in row.iter_mut() {
                if c.contains(from) && c.to_lowercase().contains("version") {
                    *c = c.replace(from, to);
                }
            }
        }
    }
}

/// Renames a sheet.
pub fn rename_sheet(grids: &mut [Grid], from: &str, to: &str) {
    for g in grids.iter_mut().filter(|g| g.name == from) {
        g.name = to.to_string();
    }
}

/// Moves the block of rows from the section titled `title` (up to the next section row, i.e.
/// a row whose A cell has no ID and whose C cell says "Vendor Answers") to just before the
/// section titled `before`.
pub fn move_section(g: &mut Grid, title: &str, before: &str) {
    let is_section = |r: &Vec<String>| r.get(2).is_some_and(|c| c.trim() == "Vendor Answers") || r.get(3).is_some_and(|c| c.trim() == "Additional Information");
    let starts_with = |r: &Vec<String>, t: &str| r.first().is_some_and(|c| c.trim().starts_with(t));
    let Some(start) = g.rows.iter().position(|r| starts_with(r, title) && is_section(r)) else { return };
    let end = g.rows.iter().enumerate().skip(start + 1).find(|(_, r)| is_section(r)).map(|(i, _)| i).unwrap_or(g.rows.len());
    let block: Vec<Vec<String>> = g.rows.drain(start..end).collect();
    let Some(at) = g.rows.iter().position(|r| starts_with(r, before) && is_section(r)) else {
        // Put it back where it was.
        for (i, r) in block.into_iter().enumerate() {
            g.rows.insert(start + i, r);
        }
        return;
    };
    for (i, r) in block.into_iter().enumerate() {
        g.rows.insert(at + i, r);
    }
}

/// Sets the answer (column C) of the row whose ID (column A) is `id`.
pub fn set_answer(g: &mut Grid, id: &str, answer: &str) {
    for r in g.rows.iter_mut() {
        if r.first().is_some_and(|c| c.trim() == id) {
            if r.len() < 3 {
                r.resize(3, String::new());
            }
            r[2] = answer.to_string();
        }
    }
}

/// Clears the answers and comments (C, D) of every row whose ID starts with `prefix`.
pub fn blank_section(g: &mut Grid, prefix: &str) {
    for r in g.rows.iter_mut() {
        if r.first().is_some_and(|c| c.trim().starts_with(prefix)) {
            for c in r.iter_mut().skip(2).take(2) {
                c.clear();
            }
        }
    }
}
