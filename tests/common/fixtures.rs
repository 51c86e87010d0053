//! Generated questionnaire fixtures for Quire's integration tests and benchmarks.
//!
//! Every fixture is produced by code (rust_xlsxwriter for workbooks, plain byte
//! writers for the malformed inputs), so the tests need no external data. Each
//! workbook generator returns a [`Fixture`]: the path it wrote plus the ground
//! truth it knows (which sheets hold questions, where the header and columns
//! are, and every question row with its answer), so a test can compare what
//! the reader detects against what was written.
//!
//! Conventions used throughout the truth tables:
//! * rows are 1-based spreadsheet row numbers (as shown by Excel/openpyxl);
//! * columns are spreadsheet letters ("A", "B", ...);
//! * text is exactly what was written into the cell (for a formula cell, its
//!   cached string result); a blank cell is `""`.
//!
//! Everything is deterministic: no clocks, no randomness (the few "random"
//! bytes come from a fixed-seed LCG).

use std::error::Error;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    Color, DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    FormatPattern, Formula, Workbook, Worksheet,
};

/// Result type of the generators.
pub type FixtureResult<T> = Result<T, Box<dyn Error>>;

/// Ground truth for one worksheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetTruth {
    pub name: String,
    /// Holds questionnaire questions (false for cover, instructions, lists, change log...).
    pub used: bool,
    /// Sheet is hidden in the workbook.
    pub hidden: bool,
    /// Number of question rows on the sheet (section-title and instruction rows excluded).
    pub questions: usize,
    /// Question rows that carry an answer (non-blank answer cell, or a marked answer column).
    pub answered: usize,
    /// 1-based row of the column-header row; `None` when the sheet has no header row
    /// (and for unused sheets).
    pub header_row: Option<u32>,
    /// How many rows the header occupies starting at `header_row` (0 if none; 2 when a
    /// sub-header row follows, as in the CAIQ-like fixture).
    pub header_rows: u32,
    /// Column headers as written: (column letter, label). Empty when there is no header.
    pub headers: Vec<(String, String)>,
    pub ref_col: Option<String>,
    /// `None` only for unused sheets.
    pub question_col: Option<String>,
    /// Single answer column. `None` for unused sheets and for answers-by-columns layouts
    /// (see `answer_choice_cols`).
    pub answer_col: Option<String>,
    /// Answers-by-columns layouts: (column letter, answer the column stands for), e.g.
    /// ("D", "Yes"), ("E", "No"), ("F", "N/A"). A mark ("x") in that column means that answer.
    pub answer_choice_cols: Vec<(String, String)>,
    pub comment_col: Option<String>,
    /// Column holding a domain name per row (vertically merged over each group).
    pub domain_col: Option<String>,
    /// Column holding a control ID that groups several questions (vertically merged).
    pub control_col: Option<String>,
    /// Columns with content that are none of the above and must not be taken for answers
    /// or comments (e.g. the SIG "Scoring" column).
    pub ignored_cols: Vec<String>,
    /// 1-based rows that are section titles (not questions) inside the question area.
    pub section_rows: Vec<u32>,
    /// Merged ranges as written, in A1 notation ("A1:E1"), in write order.
    pub merged: Vec<String>,
    /// List data validations: (range in A1 notation, source as written in the workbook:
    /// either the literal list "Yes,No,N/A" or a formula such as "=Lists!$A$1:$A$3").
    pub dropdowns: Vec<(String, String)>,
}

/// Ground truth for one question row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemTruth {
    pub sheet: String,
    /// 1-based row.
    pub row: u32,
    pub r#ref: String,
    /// Question text (for a formula cell: its cached result).
    pub question: String,
    /// True when the question cell is a formula whose cached value is `question`.
    pub question_is_formula: bool,
    /// Answer as written, `""` if blank. For answers-by-columns layouts: the label of the
    /// marked column ("Yes"/"No"/"N/A"), `""` when no column is marked.
    pub answer: String,
    pub comment: String,
    /// Domain / section the question belongs to: the domain column value (HITRUST-like),
    /// or the text of the closest section-title row above it (SIG-like, no-header);
    /// `""` when the layout has neither.
    pub domain: String,
    /// Control ID of a vertically merged control column (CAIQ-like), else `""`.
    pub control: String,
}

/// A generated workbook and what it contains.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub path: PathBuf,
    /// Every sheet of the workbook, in workbook order.
    pub sheets: Vec<SheetTruth>,
    /// Every question row of every used sheet, in sheet then row order.
    pub items: Vec<ItemTruth>,
}

impl Fixture {
    /// The truth for the sheet called `name`. Panics if there is none.
    pub fn sheet(&self, name: &str) -> &SheetTruth {
        self.sheets
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("fixture {} has no sheet {name:?}", self.path.display()))
    }

    /// Sheets that hold questions.
    pub fn used_sheets(&self) -> Vec<&SheetTruth> {
        self.sheets.iter().filter(|s| s.used).collect()
    }

    /// Question rows of one sheet.
    pub fn items_in(&self, sheet: &str) -> Vec<&ItemTruth> {
        self.items.iter().filter(|i| i.sheet == sheet).collect()
    }

    /// The question row with this reference (first match). Panics if there is none.
    pub fn item(&self, r#ref: &str) -> &ItemTruth {
        self.items
            .iter()
            .find(|i| i.r#ref == r#ref)
            .unwrap_or_else(|| panic!("fixture {} has no item {ref:?}", self.path.display()))
    }

    pub fn total_questions(&self) -> usize {
        self.sheets.iter().map(|s| s.questions).sum()
    }

    pub fn total_answered(&self) -> usize {
        self.sheets.iter().map(|s| s.answered).sum()
    }
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

/// Spreadsheet column letter for a 0-based column index (0 -> "A", 26 -> "AA").
pub fn col_letter(col: u16) -> String {
    let mut n = col as u32 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII column letters")
}

/// A1-notation range from 0-based coordinates.
fn range_a1(r0: u32, c0: u16, r1: u32, c1: u16) -> String {
    format!("{}{}:{}{}", col_letter(c0), r0 + 1, col_letter(c1), r1 + 1)
}

/// A workbook with fixed document properties, so that the same generator always writes
/// the same bytes (rust_xlsxwriter otherwise stamps the current time into docProps/core.xml).
fn new_workbook() -> FixtureResult<Workbook> {
    let created = ExcelDateTime::from_ymd(2024, 3, 15)?.and_hms(9, 30, 0)?;
    let props = DocProperties::new()
        .set_author("Acme Cloud Services")
        .set_company("Acme Cloud Services, Inc.")
        .set_creation_datetime(&created);
    let mut wb = Workbook::new();
    wb.set_properties(&props);
    Ok(wb)
}

fn prepare_dir(dir: &Path) -> FixtureResult<()> {
    fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create fixture directory {}: {e}", dir.display()))?;
    Ok(())
}

fn s(v: &str) -> String {
    v.to_string()
}

fn unused_sheet(name: &str, hidden: bool) -> SheetTruth {
    SheetTruth {
        name: s(name),
        used: false,
        hidden,
        questions: 0,
        answered: 0,
        header_row: None,
        header_rows: 0,
        headers: vec![],
        ref_col: None,
        question_col: None,
        answer_col: None,
        answer_choice_cols: vec![],
        comment_col: None,
        domain_col: None,
        control_col: None,
        ignored_cols: vec![],
        section_rows: vec![],
        merged: vec![],
        dropdowns: vec![],
    }
}

struct Formats {
    title: Format,
    bold: Format,
    header: Format,
    section: Format,
    wrap: Format,
    group: Format,
}

fn formats() -> Formats {
    Formats {
        title: Format::new().set_bold().set_font_size(14),
        bold: Format::new().set_bold(),
        header: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_pattern(FormatPattern::Solid)
            .set_background_color(Color::RGB(0x1F4E78))
            .set_font_color(Color::White)
            .set_border(FormatBorder::Thin),
        section: Format::new()
            .set_bold()
            .set_pattern(FormatPattern::Solid)
            .set_background_color(Color::RGB(0xD9E1F2))
            .set_border(FormatBorder::Thin),
        wrap: Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin),
        group: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter)
            .set_border(FormatBorder::Thin),
    }
}

// ---------------------------------------------------------------------------
// 1. SIG-style workbook
// ---------------------------------------------------------------------------

/// (ref, question, answer, additional information, question written as a formula)
type SigQ = (&'static str, &'static str, &'static str, &'static str, bool);

struct SigSheet {
    name: &'static str,
    title: &'static str,
    /// Literal list validation when true, reference to the hidden Lists sheet when false.
    literal_dropdown: bool,
    sections: &'static [(&'static str, &'static [SigQ])],
}

const SIG_SHEETS: &[SigSheet] = &[
    SigSheet {
        name: "A. Risk Management",
        title: "A. Risk Management",
        literal_dropdown: true,
        sections: &[
            (
                "A.1 Risk Governance",
                &[
                    ("A.1", "Is there a documented risk management program that has been approved by management?", "Yes", "Enterprise Risk Management Policy v4.2, approved by the Board in January 2024.", false),
                    ("A.1.1", "Does the risk management program include a formal risk appetite statement?", "Yes", "", false),
                    ("A.1.2", "Is the risk management program reviewed and updated at least annually?", "Yes", "Last review completed 2024-02-12.", true),
                    ("A.1.3", "Is an owner assigned to maintain and review the risk management program?", "Yes", "Chief Information Security Officer.", false),
                ],
            ),
            (
                "A.2 Risk Assessment",
                &[
                    ("A.2", "Is a formal risk assessment performed at least annually?", "Yes", "", false),
                    ("A.2.1", "Does the risk assessment identify threats and vulnerabilities for all critical assets?", "Partial", "Completed for production systems; corporate IT is scheduled for Q3.", false),
                    ("A.2.2", "Are risk assessment results documented and tracked through to remediation?", "Yes", "", false),
                    ("A.2.3", "Are risks rated using a defined methodology (e.g., likelihood and impact)?", "Risks are rated on a 5x5 likelihood and impact matrix defined in the Risk Assessment Standard; ratings are calibrated quarterly by the risk committee and any accepted high risk requires CISO sign-off.", "", false),
                ],
            ),
            (
                "A.3 Third-Party Risk",
                &[
                    ("A.3", "Is there a third-party risk management program to assess vendors with access to scoped data?", "Yes", "", false),
                    ("A.3.1", "Are third parties contractually required to notify you of security incidents affecting your data?", "No", "Contract template update in progress.", false),
                    ("A.3.2", "Are fourth-party (subcontractor) risks assessed?", "", "", false),
                    ("A.3.3", "Are vendor risk assessments refreshed when the scope of services changes?", "N/A", "", false),
                ],
            ),
        ],
    },
    SigSheet {
        name: "B. Security Policy",
        title: "B. Security Policy",
        literal_dropdown: true,
        sections: &[
            (
                "B.1 Information Security Policy",
                &[
                    ("B.1", "Is there a written information security policy that has been approved by management?", "Yes", "Information Security Policy v7, approved 2024-02-01.", false),
                    ("B.1.1", "Has the information security policy been communicated to all employees and contractors?", "Yes", "", false),
                    ("B.1.2", "Is the information security policy reviewed at least annually?", "Yes", "", true),
                    ("B.1.3", "Does the policy define roles and responsibilities for information security?", "Yes", "", false),
                ],
            ),
            (
                "B.2 Policy Exceptions",
                &[
                    ("B.2", "Is there a formal process for requesting and approving exceptions to security policies?", "Partial", "Exceptions are tracked in the ticketing system; the approval workflow is being formalized.", false),
                    ("B.2.1", "Do policy exceptions have an expiry date and documented compensating controls?", "", "", false),
                    ("B.2.2", "Are employees required to acknowledge the acceptable use policy upon hire and annually thereafter?", "Yes", "", false),
                ],
            ),
            (
                "B.3 Security Awareness",
                &[
                    ("B.3", "Is security awareness training provided to all personnel upon hire and at least annually?", "Yes", "", false),
                    ("B.3.1", "Are phishing simulation exercises conducted?", "Monthly phishing simulations are run by the security team using a commercial platform; click rates are reported to the executive committee and repeat clickers are enrolled in targeted training.", "", false),
                    ("B.3.2", "Is secure development training provided to all engineers?", "No", "Planned for FY2025.", false),
                    ("B.3.3", "Is training completion tracked and enforced?", "", "", false),
                ],
            ),
        ],
    },
    SigSheet {
        name: "C. Access Control",
        title: "C. Access Control",
        literal_dropdown: false,
        sections: &[
            (
                "C.1 Identity Management",
                &[
                    ("C.1", "Is there a documented access control policy?", "Yes", "", false),
                    ("C.1.1", "Are unique user IDs assigned to all users?", "Yes", "", false),
                    ("C.1.2", "Are shared or generic accounts prohibited or tightly controlled?", "Partial", "Break-glass accounts are vaulted and monitored.", false),
                    ("C.1.3", "Are user access rights reviewed at least quarterly for systems that store or process scoped data?", "Yes", "", true),
                ],
            ),
            (
                "C.2 Authentication",
                &[
                    ("C.2", "Is multi-factor authentication required for all remote access?", "Yes", "Push-based MFA or FIDO2 hardware keys.", false),
                    ("C.2.1", "Is multi-factor authentication enforced for privileged and administrative accounts?", "Yes", "", false),
                    ("C.2.2", "Do password requirements meet or exceed NIST SP 800-63B guidance?", "Minimum length is 14 characters and passwords are screened against known-breached lists; composition rules and periodic rotation are not enforced, per NIST SP 800-63B, and accounts lock after 10 failed attempts.", "", false),
                    ("C.2.3", "Are default vendor passwords changed before systems are deployed to production?", "Yes", "", false),
                ],
            ),
            (
                "C.3 Privileged Access",
                &[
                    ("C.3", "Is privileged access granted on a least-privilege, need-to-know basis?", "Yes", "", false),
                    ("C.3.1", "Are privileged sessions logged and monitored?", "No", "Session recording is deployed for production servers only.", false),
                    ("C.3.2", "Is access revoked within 24 hours of termination?", "Yes", "", false),
                    ("C.3.3", "Are service account credentials rotated automatically?", "", "", false),
                    ("C.3.4", "Is remote administrative access restricted to company-managed devices?", "N/A", "No remote administrative access; administration is performed through an on-premises bastion.", false),
                ],
            ),
        ],
    },
];

const SIG_SCORING: [&str; 4] = ["High", "Medium", "Low", "Medium"];

/// SIG-style answered workbook `sig-style.xlsx`.
///
/// Sheets, in order: "Cover", "Instructions" (unused), three question sheets
/// ("A. Risk Management", "B. Security Policy", "C. Access Control") and the hidden
/// "Lists" sheet (unused). Question sheets: title merged A1:E1, instruction merged A3:E3,
/// header row 5 ("Ques Num" | "Question/Request" | "Response" | "Additional Information" |
/// "Scoring"), section titles merged across A:E with a fill, one question per sheet written
/// as a formula with a cached result, and a list validation on the Response column
/// (literal "Yes,No,N/A" on sheets A and B, `=Lists!$A$1:$A$3` on sheet C).
pub fn sig_style(dir: impl AsRef<Path>) -> FixtureResult<Fixture> {
    let dir = dir.as_ref();
    prepare_dir(dir)?;
    let path = dir.join("sig-style.xlsx");
    let f = formats();
    let mut wb = new_workbook()?;
    let mut sheets = Vec::new();
    let mut items = Vec::new();

    // Cover
    {
        let ws = wb.add_worksheet();
        ws.set_name("Cover")?;
        ws.set_column_width(0, 28)?;
        ws.set_column_width(1, 44)?;
        ws.write_string_with_format(
            0,
            0,
            "Standardized Information Gathering (SIG)-style questionnaire",
            &f.title,
        )?;
        let lines: [(&str, &str); 5] = [
            ("Company Name:", "Acme Cloud Services, Inc."),
            ("Date Completed:", "2024-03-15"),
            (
                "Completed By:",
                "Jane Doe, Chief Information Security Officer",
            ),
            ("Contact Email:", "security@acme-cloud.example"),
            ("Questionnaire Version:", "2024 Lite"),
        ];
        for (i, (k, v)) in lines.iter().enumerate() {
            let r = 2 + i as u32;
            ws.write_string_with_format(r, 0, *k, &f.bold)?;
            ws.write_string(r, 1, *v)?;
        }
        ws.write_string(
            9,
            0,
            "Confidential - for the recipient's vendor risk assessment only.",
        )?;
        sheets.push(unused_sheet("Cover", false));
    }

    // Instructions
    {
        let ws = wb.add_worksheet();
        ws.set_name("Instructions")?;
        ws.set_column_width(0, 110)?;
        ws.write_string_with_format(0, 0, "Instructions", &f.title)?;
        let paras = [
            "This questionnaire is used to gather information about the security controls of service providers. Complete every tab whose name begins with a letter (A, B, C); the Cover tab identifies the responding organization.",
            "For each question, select a response from the drop-down list in the Response column: Yes if the control is fully in place, No if it is not, or N/A if the question does not apply to the services in scope. Where a control is only partly in place, explain the gap.",
            "Use the Additional Information column to reference supporting documentation (policy names, versions, report dates) or to clarify a response. Do not attach confidential evidence to this workbook.",
            "The Scoring column is completed by the assessing organization and indicates the relative weight of each question. Do not modify it.",
            "Questions left unanswered will be treated as No during the assessment. Return the completed workbook to your vendor risk contact within 30 days.",
        ];
        for (i, p) in paras.iter().enumerate() {
            ws.write_string_with_format(2 + 2 * i as u32, 0, *p, &f.wrap)?;
        }
        sheets.push(unused_sheet("Instructions", false));
    }

    // Question sheets
    for sheet in SIG_SHEETS {
        let ws = wb.add_worksheet();
        ws.set_name(sheet.name)?;
        ws.set_column_width(0, 10)?;
        ws.set_column_width(1, 70)?;
        ws.set_column_width(2, 16)?;
        ws.set_column_width(3, 50)?;
        ws.set_column_width(4, 10)?;
        let mut merged = Vec::new();
        ws.merge_range(0, 0, 0, 4, sheet.title, &f.title)?;
        merged.push(range_a1(0, 0, 0, 4));
        ws.merge_range(
            2,
            0,
            2,
            4,
            "Answer each question by selecting Yes, No or N/A in the Response column. Use Additional Information to provide supporting details or references to evidence.",
            &f.wrap,
        )?;
        merged.push(range_a1(2, 0, 2, 4));
        ws.set_row_height(2, 32)?;
        let headers = [
            "Ques Num",
            "Question/Request",
            "Response",
            "Additional Information",
            "Scoring",
        ];
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(4, c as u16, *h, &f.header)?;
        }
        ws.set_freeze_panes(5, 0)?;

        let mut row: u32 = 5; // 0-based; first row after the header
        let mut section_rows = Vec::new();
        let mut questions = 0;
        let mut answered = 0;
        let first_q_row = row;
        for (title, qs) in sheet.sections {
            ws.merge_range(row, 0, row, 4, title, &f.section)?;
            merged.push(range_a1(row, 0, row, 4));
            section_rows.push(row + 1);
            row += 1;
            for &(r, q, a, c, is_formula) in qs.iter() {
                ws.write_string_with_format(row, 0, r, &f.wrap)?;
                if is_formula {
                    let formula =
                        Formula::new(format!("=\"{}\"", q.replace('"', "\"\""))).set_result(q);
                    ws.write_formula_with_format(row, 1, formula, &f.wrap)?;
                } else {
                    ws.write_string_with_format(row, 1, q, &f.wrap)?;
                }
                if a.is_empty() {
                    ws.write_blank(row, 2, &f.wrap)?;
                } else {
                    ws.write_string_with_format(row, 2, a, &f.wrap)?;
                    answered += 1;
                }
                if c.is_empty() {
                    ws.write_blank(row, 3, &f.wrap)?;
                } else {
                    ws.write_string_with_format(row, 3, c, &f.wrap)?;
                }
                ws.write_string_with_format(row, 4, SIG_SCORING[questions % 4], &f.wrap)?;
                items.push(ItemTruth {
                    sheet: s(sheet.name),
                    row: row + 1,
                    r#ref: s(r),
                    question: s(q),
                    question_is_formula: is_formula,
                    answer: s(a),
                    comment: s(c),
                    domain: s(title),
                    control: String::new(),
                });
                questions += 1;
                row += 1;
            }
        }
        let last_row = row - 1;
        let (dv, source) = if sheet.literal_dropdown {
            (
                DataValidation::new().allow_list_strings(&["Yes", "No", "N/A"])?,
                s("Yes,No,N/A"),
            )
        } else {
            (
                DataValidation::new().allow_list_formula(Formula::new("=Lists!$A$1:$A$3")),
                s("=Lists!$A$1:$A$3"),
            )
        };
        ws.add_data_validation(first_q_row, 2, last_row, 2, &dv)?;

        sheets.push(SheetTruth {
            name: s(sheet.name),
            used: true,
            hidden: false,
            questions,
            answered,
            header_row: Some(5),
            header_rows: 1,
            headers: headers
                .iter()
                .enumerate()
                .map(|(c, h)| (col_letter(c as u16), s(h)))
                .collect(),
            ref_col: Some(s("A")),
            question_col: Some(s("B")),
            answer_col: Some(s("C")),
            answer_choice_cols: vec![],
            comment_col: Some(s("D")),
            domain_col: None,
            control_col: None,
            ignored_cols: vec![s("E")],
            section_rows,
            merged,
            dropdowns: vec![(range_a1(first_q_row, 2, last_row, 2), source)],
        });
    }

    // Hidden Lists sheet with the drop-down values.
    {
        let ws = wb.add_worksheet();
        ws.set_name("Lists")?;
        for (i, v) in ["Yes", "No", "N/A"].iter().enumerate() {
            ws.write_string(i as u32, 0, *v)?;
        }
        ws.set_hidden(true);
        sheets.push(unused_sheet("Lists", true));
    }

    wb.save(&path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(Fixture {
        path,
        sheets,
        items,
    })
}

// ---------------------------------------------------------------------------
// 2. HITRUST-style workbook
// ---------------------------------------------------------------------------

/// (ref, requirement statement, answer, comment)
type HtQ = (&'static str, &'static str, &'static str, &'static str);

const HITRUST_DOMAINS: &[(&str, &[HtQ])] = &[
    (
        "01 Access Control",
        &[
            ("01.a", "Does the organization maintain a documented access control policy that is reviewed and approved at least annually?", "Yes", "Access Control Policy AC-01 v5."),
            ("01.b", "Does the organization have a formal user registration and de-registration procedure for granting and revoking access?", "Yes", ""),
            ("01.c", "Does the organization restrict and control the allocation and use of privileged access rights?", "Partial", "Privileged access management rollout is 80% complete."),
            ("01.d", "Does the organization control the allocation of passwords through a formal management process?", "Yes", ""),
            ("01.j", "Does the organization require multi-factor authentication for all remote network access?", "Yes", "Enforced on VPN and all SaaS administration consoles."),
            ("01.q", "Does the organization assign a unique identifier to every user for their individual use?", "Yes", ""),
        ],
    ),
    (
        "06 Compliance",
        &[
            ("06.a", "Does the organization identify all relevant statutory, regulatory and contractual requirements for each information system?", "Yes", ""),
            ("06.c", "Does the organization protect important records from loss, destruction and falsification?", "Yes", "Records retention schedule RET-02."),
            ("06.d", "Does the organization ensure the privacy and protection of personal information as required by relevant legislation?", "", ""),
        ],
    ),
    (
        "09 Communications and Operations Management",
        &[
            ("09.aa", "Does the organization produce audit logs recording user activities, exceptions and security events, and retain them for an agreed period?", "Yes", "Logs are retained for one year in the SIEM."),
            ("09.ab", "Does the organization monitor system use and review the results of monitoring activities regularly?", "Partial", "Automated alerting in place; weekly review not yet documented."),
            ("09.ac", "Does the organization protect logging facilities and log information against tampering and unauthorized access?", "No", "Immutable log storage planned for Q4."),
            ("09.l", "Does the organization take and regularly test backup copies of information and software, and are backups encrypted at rest?", "Yes", ""),
        ],
    ),
    (
        "10 Information Systems Acquisition, Development and Maintenance",
        &[
            ("10.a", "Does the organization include information security requirements in the requirements for new systems or enhancements to existing systems?", "N/A", "Custom development is out of scope; only commercial software is used."),
            ("10.b", "Does the organization validate input data to applications to ensure it is correct and appropriate?", "Yes", ""),
        ],
    ),
];

/// HITRUST-style workbook `hitrust-style.xlsx`: sheet "Assessment" (title rows 1-2, header
/// row 3: "Domain" | "Control Reference" | "Requirement Statement" | "Implemented?" |
/// "Evidence / Comments"; domain cells merged vertically over each group) and an unused
/// "Change Log" sheet.
pub fn hitrust_style(dir: impl AsRef<Path>) -> FixtureResult<Fixture> {
    let dir = dir.as_ref();
    prepare_dir(dir)?;
    let path = dir.join("hitrust-style.xlsx");
    let mut wb = build_hitrust_workbook()?;
    wb.save(&path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let (sheets, items) = hitrust_truth();
    Ok(Fixture {
        path,
        sheets,
        items,
    })
}

fn build_hitrust_workbook() -> FixtureResult<Workbook> {
    let f = formats();
    let mut wb = new_workbook()?;
    {
        let ws = wb.add_worksheet();
        ws.set_name("Assessment")?;
        ws.set_column_width(0, 28)?;
        ws.set_column_width(1, 12)?;
        ws.set_column_width(2, 70)?;
        ws.set_column_width(3, 14)?;
        ws.set_column_width(4, 50)?;
        ws.merge_range(0, 0, 0, 4, "HITRUST CSF-style Control Assessment", &f.title)?;
        ws.merge_range(
            1,
            0,
            1,
            4,
            "Organization: Acme Cloud Services, Inc. | Scope: Production SaaS platform | Assessment period: FY2024",
            &f.bold,
        )?;
        let headers = hitrust_headers();
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(2, c as u16, *h, &f.header)?;
        }
        ws.set_freeze_panes(3, 0)?;
        let mut row: u32 = 3;
        for (domain, qs) in HITRUST_DOMAINS {
            let first = row;
            let last = row + qs.len() as u32 - 1;
            ws.merge_range(first, 0, last, 0, domain, &f.group)?;
            for &(r, q, a, c) in qs.iter() {
                ws.write_string_with_format(row, 1, r, &f.wrap)?;
                ws.write_string_with_format(row, 2, q, &f.wrap)?;
                write_opt(ws, row, 3, a, &f.wrap)?;
                write_opt(ws, row, 4, c, &f.wrap)?;
                row += 1;
            }
        }
        let dv = DataValidation::new().allow_list_strings(&["Yes", "No", "Partial", "N/A"])?;
        ws.add_data_validation(3, 3, row - 1, 3, &dv)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Change Log")?;
        ws.set_column_width(0, 10)?;
        ws.set_column_width(1, 12)?;
        ws.set_column_width(2, 18)?;
        ws.set_column_width(3, 70)?;
        let rows: [[&str; 4]; 4] = [
            ["Version", "Date", "Author", "Description"],
            [
                "1.0",
                "2023-01-10",
                "J. Doe",
                "Initial assessment workbook.",
            ],
            [
                "1.1",
                "2023-06-02",
                "A. Smith",
                "Added domain 10 requirements and evidence column.",
            ],
            [
                "2.0",
                "2024-01-15",
                "J. Doe",
                "Updated requirement statements to CSF v11 wording.",
            ],
        ];
        for (r, cells) in rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                if r == 0 {
                    ws.write_string_with_format(r as u32, c as u16, *v, &f.bold)?;
                } else {
                    ws.write_string(r as u32, c as u16, *v)?;
                }
            }
        }
    }
    Ok(wb)
}

fn hitrust_headers() -> [&'static str; 5] {
    [
        "Domain",
        "Control Reference",
        "Requirement Statement",
        "Implemented?",
        "Evidence / Comments",
    ]
}

fn hitrust_truth() -> (Vec<SheetTruth>, Vec<ItemTruth>) {
    let mut items = Vec::new();
    let mut merged = vec![s("A1:E1"), s("A2:E2")];
    let mut row: u32 = 4; // 1-based
    for (domain, qs) in HITRUST_DOMAINS {
        merged.push(format!("A{}:A{}", row, row + qs.len() as u32 - 1));
        for &(r, q, a, c) in qs.iter() {
            items.push(ItemTruth {
                sheet: s("Assessment"),
                row,
                r#ref: s(r),
                question: s(q),
                question_is_formula: false,
                answer: s(a),
                comment: s(c),
                domain: s(domain),
                control: String::new(),
            });
            row += 1;
        }
    }
    let assessment = SheetTruth {
        name: s("Assessment"),
        used: true,
        hidden: false,
        questions: items.len(),
        answered: items.iter().filter(|i| !i.answer.is_empty()).count(),
        header_row: Some(3),
        header_rows: 1,
        headers: hitrust_headers()
            .iter()
            .enumerate()
            .map(|(c, h)| (col_letter(c as u16), s(h)))
            .collect(),
        ref_col: Some(s("B")),
        question_col: Some(s("C")),
        answer_col: Some(s("D")),
        answer_choice_cols: vec![],
        comment_col: Some(s("E")),
        domain_col: Some(s("A")),
        control_col: None,
        ignored_cols: vec![],
        section_rows: vec![],
        merged,
        dropdowns: vec![(format!("D4:D{}", row - 1), s("Yes,No,Partial,N/A"))],
    };
    (vec![assessment, unused_sheet("Change Log", false)], items)
}

fn write_opt(ws: &mut Worksheet, row: u32, col: u16, v: &str, fmt: &Format) -> FixtureResult<()> {
    if v.is_empty() {
        ws.write_blank(row, col, fmt)?;
    } else {
        ws.write_string_with_format(row, col, v, fmt)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// 3. Workbook without a header row
// ---------------------------------------------------------------------------

/// (ref, question, answer, comment)
type NhQ = (&'static str, &'static str, &'static str, &'static str);

const NO_HEADER_INSTRUCTIONS: [&str; 2] = [
    "This questionnaire must be completed by an authorized representative of the vendor. Answer every question with Yes, No or N/A and provide a comment wherever the answer is not Yes.",
    "Responses will be reviewed by the Information Security Office. Incomplete questionnaires will be returned to the vendor, which may delay contract approval.",
];

const NO_HEADER_SECTIONS: &[(&str, &[NhQ])] = &[
    (
        "Application Security",
        &[
            ("APPL-01", "Do you follow a documented secure software development lifecycle (SDLC) that includes security requirements, threat modeling and security testing?", "Yes", "Aligned with OWASP SAMM maturity level 2."),
            ("APPL-02", "Are all applications tested for the OWASP Top 10 vulnerabilities prior to each production release?", "Yes", ""),
            ("APPL-03", "Is static application security testing (SAST) integrated into the CI/CD pipeline?", "No", "Tool selection in progress."),
            ("APPL-04", "Are third-party and open-source components inventoried and scanned for known vulnerabilities?", "", ""),
        ],
    ),
    (
        "Data Protection",
        &[
            ("DATA-01", "Is all customer data encrypted in transit using TLS 1.2 or higher?", "Yes", ""),
            ("DATA-02", "Are backups encrypted at rest?", "Yes", "AES-256 with keys held in the cloud provider's KMS."),
            ("DATA-03", "Is customer data logically segregated from other customers' data in multi-tenant environments?", "Yes", ""),
            ("DATA-04", "Do you store or process payment cardholder data?", "No", ""),
            ("DATA-05", "Is removable media encrypted when used to store customer data?", "N/A", "Removable media is disabled by policy on all endpoints."),
        ],
    ),
    (
        "Identity and Access Management",
        &[
            ("IAM-01", "Is multi-factor authentication required for all remote access?", "Yes", ""),
            ("IAM-02", "Are user access reviews performed at least quarterly?", "", ""),
            ("IAM-03", "Is single sign-on (SSO) supported for customer access to the application?", "Yes", "SAML 2.0 and OpenID Connect."),
        ],
    ),
    (
        "Incident Response",
        &[
            ("IR-01", "Do you maintain an incident response plan that is tested at least annually?", "Yes", ""),
            ("IR-02", "Will customers be notified of security incidents affecting their data within 72 hours?", "Yes", "Contractual commitment of 48 hours."),
        ],
    ),
];

/// Workbook without a header row, `no-header.xlsx`: sheet "Questions" with two
/// instruction rows (text in A only), section-title rows (text in A only), and question
/// rows with ref in A, question in B, answer in C, comment in D.
pub fn no_header(dir: impl AsRef<Path>) -> FixtureResult<Fixture> {
    let dir = dir.as_ref();
    prepare_dir(dir)?;
    let path = dir.join("no-header.xlsx");
    let bold = Format::new().set_bold();
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("Questions")?;
    ws.set_column_width(0, 12)?;
    ws.set_column_width(1, 80)?;
    ws.set_column_width(2, 10)?;
    ws.set_column_width(3, 50)?;
    let mut row: u32 = 0;
    for text in NO_HEADER_INSTRUCTIONS {
        ws.write_string(row, 0, text)?;
        row += 1;
    }
    let mut items = Vec::new();
    let mut section_rows = Vec::new();
    for (title, qs) in NO_HEADER_SECTIONS {
        ws.write_string_with_format(row, 0, *title, &bold)?;
        section_rows.push(row + 1);
        row += 1;
        for &(r, q, a, c) in qs.iter() {
            ws.write_string(row, 0, r)?;
            ws.write_string(row, 1, q)?;
            if !a.is_empty() {
                ws.write_string(row, 2, a)?;
            }
            if !c.is_empty() {
                ws.write_string(row, 3, c)?;
            }
            items.push(ItemTruth {
                sheet: s("Questions"),
                row: row + 1,
                r#ref: s(r),
                question: s(q),
                question_is_formula: false,
                answer: s(a),
                comment: s(c),
                domain: s(title),
                control: String::new(),
            });
            row += 1;
        }
    }
    wb.save(&path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let sheet = SheetTruth {
        name: s("Questions"),
        used: true,
        hidden: false,
        questions: items.len(),
        answered: items.iter().filter(|i| !i.answer.is_empty()).count(),
        header_row: None,
        header_rows: 0,
        headers: vec![],
        ref_col: Some(s("A")),
        question_col: Some(s("B")),
        answer_col: Some(s("C")),
        answer_choice_cols: vec![],
        comment_col: Some(s("D")),
        domain_col: None,
        control_col: None,
        ignored_cols: vec![],
        section_rows,
        merged: vec![],
        dropdowns: vec![],
    };
    Ok(Fixture {
        path,
        sheets: vec![sheet],
        items,
    })
}

// ---------------------------------------------------------------------------
// 4. Answers given by marking one of several columns (CAIQ v3-like)
// ---------------------------------------------------------------------------

/// (question ID, question, answer label "Yes"/"No"/"N/A" or "" for unmarked, notes)
type CaiqQ = (&'static str, &'static str, &'static str, &'static str);

const CAIQ_CONTROLS: &[(&str, &[CaiqQ])] = &[
    (
        "AIS-01",
        &[
            ("AIS-01.1", "Do you use industry standards (e.g., OWASP Software Assurance Maturity Model, ISO 27034) to build in security for your Systems/Software Development Lifecycle (SDLC)?", "Yes", ""),
            ("AIS-01.2", "Do you use an automated source code analysis tool to detect security defects in code prior to production?", "No", "Manual peer code review only."),
            ("AIS-01.3", "Do you use manual source-code analysis to detect security defects in code prior to production?", "Yes", ""),
        ],
    ),
    (
        "AIS-02",
        &[
            ("AIS-02.1", "Are all identified security, contractual, and regulatory requirements for customer access contractually addressed and remediated prior to granting customers access to data, assets, and information systems?", "Yes", ""),
            ("AIS-02.2", "Are all requirements and trust levels for customers' access defined and documented?", "", ""),
        ],
    ),
    (
        "BCR-01",
        &[
            ("BCR-01.1", "Does your organization have a plan or framework for business continuity management or disaster recovery management?", "Yes", "BCP reviewed annually; last DR test 2024-04."),
            ("BCR-01.2", "Do you have more than one provider for each service you depend on?", "No", "Single cloud provider, deployed across multiple regions."),
        ],
    ),
    (
        "DSI-01",
        &[
            ("DSI-01.1", "Do you provide a capability to identify data and virtual machines via policy tags/metadata?", "N/A", ""),
            ("DSI-01.2", "Do you provide a capability to identify hardware via policy tags/metadata/hardware tags?", "N/A", "Hardware is managed by the IaaS provider."),
        ],
    ),
    (
        "EKM-03",
        &[
            ("EKM-03.1", "Do you encrypt tenant data at rest (on disk/storage) within your environment?", "Yes", "AES-256."),
            ("EKM-03.2", "Do you leverage encryption to protect data and virtual machine images during transport across and between networks and hypervisor instances?", "Yes", ""),
            ("EKM-03.3", "Do you have documentation establishing and defining your encryption management policies, procedures, and guidelines?", "", ""),
        ],
    ),
    (
        "IAM-02",
        &[
            ("IAM-02.1", "Do you have controls in place ensuring timely removal of systems access that is no longer required for business purposes?", "Yes", ""),
            ("IAM-02.2", "Do you require multi-factor authentication for all remote user access?", "Yes", "Enforced through the corporate identity provider."),
        ],
    ),
];

const CAIQ_CHOICES: [(u16, &str); 3] = [(3, "Yes"), (4, "No"), (5, "N/A")];

/// CAIQ-v3-like workbook `by-columns.xlsx`, sheet "CAIQ": title in A1, header row 2
/// ("Control ID" | "Question ID" | "Question" | "Answers" merged D2:F2 | "Notes"),
/// sub-header row 3 ("Yes" | "No" | "N/A" in D3:F3), answers marked with "x" in D/E/F,
/// notes in G, control ID merged vertically over each control's question rows.
pub fn answers_by_columns(dir: impl AsRef<Path>) -> FixtureResult<Fixture> {
    let dir = dir.as_ref();
    prepare_dir(dir)?;
    let path = dir.join("by-columns.xlsx");
    let f = formats();
    let center = Format::new()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let header_center = f.header.clone().set_align(FormatAlign::Center);
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("CAIQ")?;
    ws.set_column_width(0, 12)?;
    ws.set_column_width(1, 12)?;
    ws.set_column_width(2, 80)?;
    for c in 3..=5 {
        ws.set_column_width(c, 6)?;
    }
    ws.set_column_width(6, 45)?;
    ws.write_string_with_format(
        0,
        0,
        "Consensus Assessments Initiative Questionnaire (CAIQ) v3.1-style",
        &f.title,
    )?;
    let mut merged = Vec::new();
    ws.write_string_with_format(1, 0, "Control ID", &f.header)?;
    ws.write_string_with_format(1, 1, "Question ID", &f.header)?;
    ws.write_string_with_format(1, 2, "Question", &f.header)?;
    ws.merge_range(1, 3, 1, 5, "Answers", &header_center)?;
    merged.push(s("D2:F2"));
    ws.write_string_with_format(1, 6, "Notes", &f.header)?;
    for (c, label) in CAIQ_CHOICES {
        ws.write_string_with_format(2, c, label, &header_center)?;
    }
    ws.set_freeze_panes(3, 0)?;

    let mut items = Vec::new();
    let mut row: u32 = 3;
    for (control, qs) in CAIQ_CONTROLS {
        let first = row;
        let last = row + qs.len() as u32 - 1;
        ws.merge_range(first, 0, last, 0, control, &f.group)?;
        merged.push(range_a1(first, 0, last, 0));
        for &(qid, q, a, n) in qs.iter() {
            ws.write_string_with_format(row, 1, qid, &f.wrap)?;
            ws.write_string_with_format(row, 2, q, &f.wrap)?;
            for (c, label) in CAIQ_CHOICES {
                if label == a {
                    ws.write_string_with_format(row, c, "x", &center)?;
                } else {
                    ws.write_blank(row, c, &center)?;
                }
            }
            assert!(
                a.is_empty() || CAIQ_CHOICES.iter().any(|(_, l)| *l == a),
                "CAIQ table answer {a:?} is not a column label"
            );
            write_opt(ws, row, 6, n, &f.wrap)?;
            items.push(ItemTruth {
                sheet: s("CAIQ"),
                row: row + 1,
                r#ref: s(qid),
                question: s(q),
                question_is_formula: false,
                answer: s(a),
                comment: s(n),
                domain: String::new(),
                control: s(control),
            });
            row += 1;
        }
    }
    wb.save(&path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let sheet = SheetTruth {
        name: s("CAIQ"),
        used: true,
        hidden: false,
        questions: items.len(),
        answered: items.iter().filter(|i| !i.answer.is_empty()).count(),
        header_row: Some(2),
        header_rows: 2,
        headers: vec![
            (s("A"), s("Control ID")),
            (s("B"), s("Question ID")),
            (s("C"), s("Question")),
            (s("D"), s("Answers")),
            (s("G"), s("Notes")),
        ],
        ref_col: Some(s("B")),
        question_col: Some(s("C")),
        answer_col: None,
        answer_choice_cols: CAIQ_CHOICES
            .iter()
            .map(|(c, l)| (col_letter(*c), s(l)))
            .collect(),
        comment_col: Some(s("G")),
        domain_col: None,
        control_col: Some(s("A")),
        ignored_cols: vec![],
        section_rows: vec![],
        merged,
        dropdowns: vec![],
    };
    Ok(Fixture {
        path,
        sheets: vec![sheet],
        items,
    })
}

// ---------------------------------------------------------------------------
// 5. Large workbook
// ---------------------------------------------------------------------------

/// Sheet name of the [`large`] workbook.
pub const LARGE_SHEET: &str = "Questions";
/// Header row of the [`large`] workbook (row 1): ID, Question, Answer, Comment in A..D.
pub const LARGE_HEADERS: [&str; 4] = ["ID", "Question", "Answer", "Comment"];

const LARGE_TEMPLATES: [&str; 4] = [
    "Are all {s} {c}{q}?",
    "Does the organization ensure that {s} are {c}{q}?",
    "Can you confirm that {s} are {c}{q}?",
    "Are controls in place so that {s} are {c}{q}?",
];
const LARGE_SUBJECTS: [&str; 13] = [
    "production systems",
    "customer data stores",
    "backup copies",
    "privileged accounts",
    "audit logs",
    "encryption keys",
    "remote access sessions",
    "third-party integrations",
    "source code repositories",
    "endpoint devices",
    "network segments",
    "incident records",
    "vendor contracts",
];
const LARGE_CONTROLS: [&str; 11] = [
    "reviewed at least annually",
    "protected by multi-factor authentication",
    "encrypted at rest",
    "monitored for anomalous activity",
    "restricted to authorized personnel",
    "covered by a documented policy",
    "tested for vulnerabilities",
    "logged to a central system",
    "retained according to the retention schedule",
    "approved through change management",
    "recorded in an up-to-date inventory",
];
const LARGE_QUALIFIERS: [&str; 7] = [
    "",
    " in all environments",
    " including those managed by contractors",
    " for systems in scope",
    " at every office location",
    " at the disaster recovery site",
    " as verified by an independent party",
];
const LARGE_ANSWERS: [&str; 3] = ["Yes", "No", "N/A"];

/// Row `i` (1-based question index, written on spreadsheet row `i + 1`) of the [`large`]
/// workbook: (ref, question, answer, comment). Every row is answered; every 4th row has a
/// comment.
pub fn large_row(i: usize) -> (String, String, String, String) {
    assert!(i >= 1, "large_row index is 1-based");
    let k = i - 1;
    let subject = LARGE_SUBJECTS[k % 13];
    let control = LARGE_CONTROLS[(k / 13) % 11];
    let qualifier = LARGE_QUALIFIERS[(k / 143) % 7];
    let template = LARGE_TEMPLATES[(k / 1001) % 4];
    let question = template
        .replace("{s}", subject)
        .replace("{c}", control)
        .replace("{q}", qualifier);
    let answer = LARGE_ANSWERS[k % 3];
    let comment = if i % 4 == 0 {
        format!(
            "See evidence package EV-{:05}, section {}.",
            i / 4,
            1 + k % 9
        )
    } else {
        String::new()
    };
    (format!("Q-{i:06}"), question, s(answer), comment)
}

/// Large workbook `large-<rows>.xlsx`: one sheet "Questions", header row 1 (ID | Question |
/// Answer | Comment), then `rows` question rows (see [`large_row`]); all rows answered.
///
/// Written with the ordinary (in-memory) rust_xlsxwriter worksheet: the crate's
/// constant-memory mode needs its `constant_memory` cargo feature, which quire does not
/// enable. 100,000 rows take ~0.8 s in release, ~9 s in an unoptimized test build
/// (~1.5 s when dependencies are built with opt-level 3).
pub fn large(dir: impl AsRef<Path>, rows: usize) -> FixtureResult<PathBuf> {
    let dir = dir.as_ref();
    prepare_dir(dir)?;
    let path = dir.join(format!("large-{rows}.xlsx"));
    let bold = Format::new().set_bold();
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name(LARGE_SHEET)?;
    ws.set_column_width(0, 10)?;
    ws.set_column_width(1, 90)?;
    ws.set_column_width(2, 8)?;
    ws.set_column_width(3, 50)?;
    for (c, h) in LARGE_HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for i in 1..=rows {
        let (r, q, a, c) = large_row(i);
        let row = i as u32;
        ws.write_string(row, 0, &r)?;
        ws.write_string(row, 1, &q)?;
        ws.write_string(row, 2, &a)?;
        if !c.is_empty() {
            ws.write_string(row, 3, &c)?;
        }
    }
    wb.save(&path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

// ---------------------------------------------------------------------------
// 6. Bad inputs
// ---------------------------------------------------------------------------

/// Plain text saved under an .xlsx name: `notes.xlsx`.
pub fn renamed_text(dir: impl AsRef<Path>) -> FixtureResult<PathBuf> {
    let dir = dir.as_ref();
    prepare_dir(dir)?;
    let path = dir.join("notes.xlsx");
    let text = "Meeting notes - vendor security review\r\n\
                \r\n\
                - Vendor to send SOC 2 Type II report by Friday.\r\n\
                - Follow up on MFA for remote access (question C.2).\r\n\
                - Backups: encrypted at rest? Awaiting confirmation.\r\n";
    fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// A valid workbook (the HITRUST-style one) cut at 60% of its bytes: `truncated.xlsx`.
pub fn truncated_xlsx(dir: impl AsRef<Path>) -> FixtureResult<PathBuf> {
    let dir = dir.as_ref();
    prepare_dir(dir)?;
    let path = dir.join("truncated.xlsx");
    let bytes = build_hitrust_workbook()?.save_to_buffer()?;
    let cut = bytes.len() * 6 / 10;
    fs::write(&path, &bytes[..cut]).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// A valid workbook whose only sheet ("Sheet1") has no cells: `empty.xlsx`.
pub fn empty_workbook(dir: impl AsRef<Path>) -> FixtureResult<PathBuf> {
    let dir = dir.as_ref();
    prepare_dir(dir)?;
    let path = dir.join("empty.xlsx");
    let mut wb = new_workbook()?;
    wb.add_worksheet().set_name("Sheet1")?;
    wb.save(&path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// Uncompressed size targeted by [`zip_bomb`] (the actual size is within a few KB of it).
pub const ZIP_BOMB_TARGET: u64 = 1_500_000_000;

/// A decompression bomb disguised as a workbook: `bomb.xlsx`, about 3.6 MB on disk, whose
/// `xl/worksheets/sheet1.xml` inflates to ~1.5 GB of `<row><c><v>1</v></c></row>`.
/// See [`zip_bomb_sized`].
pub fn zip_bomb(dir: impl AsRef<Path>) -> FixtureResult<PathBuf> {
    zip_bomb_sized(dir, ZIP_BOMB_TARGET)
}

/// Like [`zip_bomb`] with a chosen uncompressed size of the worksheet part (rounded to
/// a whole number of rows; at least ~3.5 KB).
///
/// The package is well formed: `[Content_Types].xml`, `_rels/.rels`, `xl/workbook.xml`,
/// `xl/_rels/workbook.xml.rels` (stored) and `xl/worksheets/sheet1.xml` (deflated), with
/// correct CRC-32s and sizes in the local and central headers; the sheet XML is valid
/// (rows and cells without `r` attributes, which OOXML allows).
///
/// It is not written through `zip::ZipWriter`: deflating 1.5 GB with the zip crate takes
/// ~1 s in release but ~100 s in an unoptimized test build. Instead the deflate stream is
/// written directly: a stored block with the XML prologue and the first row, one
/// dynamic-Huffman block made only of 258-byte copies at distance 26 (5 bits each), and a
/// stored final block with the closing tags. The CRC-32 of the repeated content is
/// computed arithmetically (crc32_combine), so nothing of the inflated size is ever
/// produced or held in memory. Generation takes well under a second even unoptimized.
pub fn zip_bomb_sized(dir: impl AsRef<Path>, uncompressed: u64) -> FixtureResult<PathBuf> {
    let dir = dir.as_ref();
    prepare_dir(dir)?;
    let path = dir.join("bomb.xlsx");

    const PROLOGUE: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
    const ROW: &[u8] = b"<row><c><v>1</v></c></row>"; // 26 bytes = the match distance
    const EPILOGUE: &[u8] = b"</sheetData></worksheet>";
    const MATCH_LEN: u64 = 258;
    const MATCHES_PER_GROUP: u64 = 13; // 13 * 258 = 129 rows of 26 bytes
    debug_assert_eq!(ROW.len(), 26);

    let fixed = (PROLOGUE.len() + ROW.len() + EPILOGUE.len()) as u64;
    let groups = uncompressed.saturating_sub(fixed) / (MATCHES_PER_GROUP * MATCH_LEN);
    let matches = groups * MATCHES_PER_GROUP;
    let rows = 1 + matches * MATCH_LEN / ROW.len() as u64;
    let sheet_size = PROLOGUE.len() as u64 + rows * ROW.len() as u64 + EPILOGUE.len() as u64;
    if sheet_size > u32::MAX as u64 {
        return Err("zip bomb size must stay below 4 GiB (no ZIP64 support here)".into());
    }

    // --- deflate stream ---
    let mut bw = BitWriter::default();
    // Block 1: stored, not final: prologue + first row.
    let mut head = PROLOGUE.to_vec();
    head.extend_from_slice(ROW);
    bw.stored_block(&head, false);
    // Block 2: dynamic Huffman, not final.
    bw.bits(0, 1); // BFINAL
    bw.bits(2, 2); // BTYPE = 10
    bw.bits(29, 5); // HLIT: 286 literal/length codes
    bw.bits(9, 5); // HDIST: 10 distance codes
    bw.bits(14, 4); // HCLEN: 18 code-length codes
                    // Code-length code lengths in the RFC 1951 order 16,17,18,0,8,7,9,6,10,5,11,4,12,3,13,2,14,1:
                    // symbol 1 -> 1 bit, 17 -> 2 bits, 18 -> 2 bits, all others unused.
    for len in [0u32, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1] {
        bw.bits(len, 3);
    }
    // Canonical codes: sym1 = "0", sym17 = "10", sym18 = "11".
    let cl1 = |bw: &mut BitWriter| bw.huff(0b0, 1);
    let zeros = |bw: &mut BitWriter, mut n: u32| {
        while n > 0 {
            if n >= 11 {
                let k = n.min(138);
                bw.huff(0b11, 2);
                bw.bits(k - 11, 7);
                n -= k;
            } else if n >= 3 {
                bw.huff(0b10, 2);
                bw.bits(n - 3, 3);
                n = 0;
            } else {
                unreachable!("the tables below never need 1-2 zero runs");
            }
        }
    };
    // Literal/length lengths: 0..=255 unused, 256 (end of block) = 1, 257..=284 unused, 285 = 1.
    zeros(&mut bw, 256);
    cl1(&mut bw);
    zeros(&mut bw, 28);
    cl1(&mut bw);
    // Distance lengths: code 0 = 1 (unused, keeps the code complete), 1..=8 unused, 9 = 1.
    cl1(&mut bw);
    zeros(&mut bw, 8);
    cl1(&mut bw);
    // Canonical codes: lit 256 = "0", lit 285 = "1"; dist 0 = "0", dist 9 = "1".
    // Each match: length code 285 (258 bytes, no extra bits) "1", distance code 9 "1",
    // 3 extra bits = 26 - 25 = 1.
    for _ in 0..matches {
        bw.bits(0b00111, 5);
    }
    bw.huff(0, 1); // end of block
                   // Block 3: stored, final: epilogue.
    bw.stored_block(EPILOGUE, true);
    let deflated = bw.finish();

    // --- CRC-32 of the inflated sheet, without producing it ---
    let crc_rows = crc32_repeat(crc32(ROW), ROW.len() as u64, rows);
    let mut sheet_crc = crc32(PROLOGUE);
    sheet_crc = crc32_combine(sheet_crc, crc_rows, rows * ROW.len() as u64);
    sheet_crc = crc32_combine(sheet_crc, crc32(EPILOGUE), EPILOGUE.len() as u64);

    // --- package ---
    let content_types = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    let root_rels = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Questions" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let workbook_rels = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

    let entries: Vec<ZipEntry> = vec![
        ZipEntry::stored("[Content_Types].xml", content_types),
        ZipEntry::stored("_rels/.rels", root_rels),
        ZipEntry::stored("xl/workbook.xml", workbook),
        ZipEntry::stored("xl/_rels/workbook.xml.rels", workbook_rels),
        ZipEntry {
            name: "xl/worksheets/sheet1.xml",
            method: 8,
            crc: sheet_crc,
            uncompressed: sheet_size as u32,
            data: &deflated,
        },
    ];
    write_zip(&path, &entries)?;
    Ok(path)
}

/// Looks like a password-protected OOXML file from outside: `encrypted.xlsx`, a 4 KiB OLE
/// compound file (magic D0 CF 11 E0 A1 B1 1A E1) whose directory holds the streams
/// "EncryptionInfo" (agile encryption header) and "EncryptedPackage" (size prefix plus
/// pseudo-random bytes), stored in the mini stream as the CFB format requires for small
/// streams. The directory names appear as UTF-16LE in the bytes.
pub fn encrypted_like(dir: impl AsRef<Path>) -> FixtureResult<PathBuf> {
    let dir = dir.as_ref();
    prepare_dir(dir)?;
    let path = dir.join("encrypted.xlsx");
    fs::write(&path, build_encrypted_cfb())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// Header line of the CSV fixtures.
pub const CSV_HEADER: [&str; 4] = ["ID", "Question", "Answer", "Comment"];
/// Data rows of the CSV fixtures (ID, Question, Answer, Comment), as text; they contain
/// "é" and "’" (and other Windows-1252 characters), a field with a comma and a field with
/// ASCII double quotes; one answer is blank.
pub const CSV_ROWS: [[&str; 4]; 8] = [
    ["GOV-01", "Is there an information security policy approved by the vendor’s management?", "Yes", "Approved by the Comité de direction in February 2024."],
    ["GOV-02", "Does the policy also cover the Montréal and Québec offices?", "Yes", ""],
    ["DATA-01", "Are backups encrypted at rest?", "Yes", "AES-256, keys held in the customer’s KMS"],
    ["IAM-01", "Is multi-factor authentication required for all remote access?", "Yes", "Policy \"SEC-7\" applies to employees and contractors"],
    ["IAM-02", "Are user access reviews performed at least quarterly?", "", ""],
    ["IR-01", "Will you notify us of a security incident within 72 hours – including incidents at subprocessors?", "N/A", "Contact: Hélène Lefèvre, Responsable sécurité"],
    ["APPL-01", "Is the application tested against the OWASP Top 10 before each release?", "Yes", "Rapport d’audit available on request"],
    ["APPL-02", "Do you perform an annual “red team” exercise?", "No", "Planned for 2025 – see roadmap"],
];

/// The CSV fixture content as a Rust string (CRLF line endings, RFC 4180 quoting).
pub fn csv_text() -> String {
    let mut out = String::new();
    let mut line = |cells: &[&str]| {
        let quoted: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    };
    line(&CSV_HEADER);
    for r in CSV_ROWS.iter() {
        line(r);
    }
    out
}

/// [`csv_text`] encoded as Windows-1252: `cp1252.csv`.
pub fn csv_windows1252(dir: impl AsRef<Path>) -> FixtureResult<PathBuf> {
    let dir = dir.as_ref();
    prepare_dir(dir)?;
    let path = dir.join("cp1252.csv");
    let bytes = encode_windows1252(&csv_text())?;
    fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// [`csv_text`] encoded as UTF-16LE with a byte-order mark: `utf16.csv`.
pub fn csv_utf16(dir: impl AsRef<Path>) -> FixtureResult<PathBuf> {
    let dir = dir.as_ref();
    prepare_dir(dir)?;
    let path = dir.join("utf16.csv");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in csv_text().encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

fn encode_windows1252(text: &str) -> FixtureResult<Vec<u8>> {
    // The 0x80..=0x9F block of Windows-1252 (the rest of 0xA0..=0xFF is Latin-1).
    const HIGH: [(char, u8); 27] = [
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8A),
        ('‹', 0x8B),
        ('Œ', 0x8C),
        ('Ž', 0x8E),
        ('‘', 0x91),
        ('’', 0x92),
        ('“', 0x93),
        ('”', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9A),
        ('›', 0x9B),
        ('œ', 0x9C),
        ('ž', 0x9E),
        ('Ÿ', 0x9F),
    ];
    let mut out = Vec::with_capacity(text.len());
    for ch in text.chars() {
        let cp = ch as u32;
        if cp < 0x80 || (0xA0..=0xFF).contains(&cp) {
            out.push(cp as u8);
        } else if let Some(&(_, b)) = HIGH.iter().find(|(c, _)| *c == ch) {
            out.push(b);
        } else {
            return Err(format!("character {ch:?} has no Windows-1252 encoding").into());
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Byte-level helpers: deflate bit writer, CRC-32, minimal zip writer, CFB builder
// ---------------------------------------------------------------------------

#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter {
    /// Append `count` (<= 32) bits of `value`, least significant first (deflate order for
    /// header fields and extra bits).
    fn bits(&mut self, value: u32, count: u32) {
        self.acc |= (value as u64) << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// Append a Huffman code (written most significant bit first).
    fn huff(&mut self, code: u32, len: u32) {
        let mut rev = 0;
        for i in 0..len {
            rev |= ((code >> i) & 1) << (len - 1 - i);
        }
        self.bits(rev, len);
    }

    fn align(&mut self) {
        if self.n > 0 {
            self.bits(0, 8 - self.n);
        }
    }

    fn stored_block(&mut self, data: &[u8], last: bool) {
        assert!(data.len() <= 0xFFFF);
        self.bits(last as u32, 1);
        self.bits(0, 2);
        self.align();
        let len = data.len() as u16;
        self.out.extend_from_slice(&len.to_le_bytes());
        self.out.extend_from_slice(&(!len).to_le_bytes());
        self.out.extend_from_slice(data);
    }

    fn finish(mut self) -> Vec<u8> {
        self.align();
        self.out
    }
}

fn crc32_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    for (i, slot) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *slot = c;
    }
    table
}

fn crc32(data: &[u8]) -> u32 {
    let table = crc32_table();
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c = table[((c ^ b as u32) & 0xFF) as usize] ^ (c >> 8);
    }
    c ^ 0xFFFF_FFFF
}

fn gf2_times(mat: &[u32; 32], mut vec: u32) -> u32 {
    let mut sum = 0;
    let mut i = 0;
    while vec != 0 {
        if vec & 1 != 0 {
            sum ^= mat[i];
        }
        vec >>= 1;
        i += 1;
    }
    sum
}

fn gf2_square(mat: &[u32; 32]) -> [u32; 32] {
    let mut sq = [0u32; 32];
    for (n, slot) in sq.iter_mut().enumerate() {
        *slot = gf2_times(mat, mat[n]);
    }
    sq
}

/// CRC-32 of A||B from crc(A), crc(B) and len(B) (zlib's crc32_combine).
fn crc32_combine(mut crc1: u32, crc2: u32, mut len2: u64) -> u32 {
    if len2 == 0 {
        return crc1;
    }
    let mut odd = [0u32; 32];
    odd[0] = 0xEDB8_8320;
    let mut row = 1u32;
    for slot in odd.iter_mut().skip(1) {
        *slot = row;
        row <<= 1;
    }
    let mut even = gf2_square(&odd); // 2 zero bits
    odd = gf2_square(&even); // 4 zero bits
    loop {
        even = gf2_square(&odd);
        if len2 & 1 != 0 {
            crc1 = gf2_times(&even, crc1);
        }
        len2 >>= 1;
        if len2 == 0 {
            break;
        }
        odd = gf2_square(&even);
        if len2 & 1 != 0 {
            crc1 = gf2_times(&odd, crc1);
        }
        len2 >>= 1;
        if len2 == 0 {
            break;
        }
    }
    crc1 ^ crc2
}

/// CRC-32 of `count` repetitions of a block with CRC `crc` and length `len`.
fn crc32_repeat(crc: u32, len: u64, mut count: u64) -> u32 {
    let (mut acc, mut base, mut base_len) = (0u32, crc, len);
    while count > 0 {
        if count & 1 != 0 {
            acc = crc32_combine(acc, base, base_len);
        }
        count >>= 1;
        if count > 0 {
            base = crc32_combine(base, base, base_len);
            base_len *= 2;
        }
    }
    acc
}

struct ZipEntry<'a> {
    name: &'a str,
    /// 0 = stored, 8 = deflated
    method: u16,
    crc: u32,
    uncompressed: u32,
    data: &'a [u8],
}

impl<'a> ZipEntry<'a> {
    fn stored(name: &'a str, data: &'a [u8]) -> Self {
        ZipEntry {
            name,
            method: 0,
            crc: crc32(data),
            uncompressed: data.len() as u32,
            data,
        }
    }
}

/// Minimal (non-ZIP64) zip writer: local headers, data, central directory, end record.
fn write_zip(path: &Path, entries: &[ZipEntry]) -> FixtureResult<()> {
    const DOS_TIME: u16 = 0; // 00:00:00
    const DOS_DATE: u16 = ((2024 - 1980) << 9) | (1 << 5) | 1; // 2024-01-01
    let file =
        fs::File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let mut w = BufWriter::new(file);
    let mut offset: u32 = 0;
    let mut central = Vec::new();
    for e in entries {
        let name = e.name.as_bytes();
        let csize = u32::try_from(e.data.len()).map_err(|_| "zip entry too large")?;
        let mut local = Vec::with_capacity(30 + name.len());
        local.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        local.extend_from_slice(&20u16.to_le_bytes()); // version needed
        local.extend_from_slice(&0u16.to_le_bytes()); // flags
        local.extend_from_slice(&e.method.to_le_bytes());
        local.extend_from_slice(&DOS_TIME.to_le_bytes());
        local.extend_from_slice(&DOS_DATE.to_le_bytes());
        local.extend_from_slice(&e.crc.to_le_bytes());
        local.extend_from_slice(&csize.to_le_bytes());
        local.extend_from_slice(&e.uncompressed.to_le_bytes());
        local.extend_from_slice(&(name.len() as u16).to_le_bytes());
        local.extend_from_slice(&0u16.to_le_bytes()); // extra length
        local.extend_from_slice(name);
        w.write_all(&local)?;
        w.write_all(e.data)?;

        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by (MS-DOS, 2.0)
        central.extend_from_slice(&20u16.to_le_bytes()); // version needed
        central.extend_from_slice(&0u16.to_le_bytes()); // flags
        central.extend_from_slice(&e.method.to_le_bytes());
        central.extend_from_slice(&DOS_TIME.to_le_bytes());
        central.extend_from_slice(&DOS_DATE.to_le_bytes());
        central.extend_from_slice(&e.crc.to_le_bytes());
        central.extend_from_slice(&csize.to_le_bytes());
        central.extend_from_slice(&e.uncompressed.to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes()); // extra length
        central.extend_from_slice(&0u16.to_le_bytes()); // comment length
        central.extend_from_slice(&0u16.to_le_bytes()); // disk number
        central.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);

        offset = offset
            .checked_add(local.len() as u32 + csize)
            .ok_or("zip archive too large")?;
    }
    w.write_all(&central)?;
    let mut end = Vec::with_capacity(22);
    end.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    end.extend_from_slice(&0u16.to_le_bytes()); // this disk
    end.extend_from_slice(&0u16.to_le_bytes()); // disk with central directory
    end.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    end.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    end.extend_from_slice(&(central.len() as u32).to_le_bytes());
    end.extend_from_slice(&offset.to_le_bytes());
    end.extend_from_slice(&0u16.to_le_bytes()); // comment length
    w.write_all(&end)?;
    w.flush()?;
    Ok(())
}

/// 4 KiB compound file (CFB v3, 512-byte sectors): header, FAT (sector 0), directory
/// (sector 1), mini FAT (sector 2), mini stream (sectors 3-6).
fn build_encrypted_cfb() -> Vec<u8> {
    const FREESECT: u32 = 0xFFFF_FFFF;
    const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
    const FATSECT: u32 = 0xFFFF_FFFD;
    const NOSTREAM: u32 = 0xFFFF_FFFF;
    const SECTOR: usize = 512;
    const MINI: usize = 64;

    // Stream contents.
    let mut info = Vec::new();
    info.extend_from_slice(&4u16.to_le_bytes()); // version major (agile)
    info.extend_from_slice(&4u16.to_le_bytes()); // version minor
    info.extend_from_slice(&0x40u32.to_le_bytes()); // flags
    info.extend_from_slice(
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAECAwQFBgcICQoLDA0ODw=="/></encryption>"#,
    );
    let mut package = Vec::new();
    package.extend_from_slice(&9_876u64.to_le_bytes()); // size of the (encrypted) original package
    let mut seed: u32 = 0x2545_F491;
    while package.len() < 8 + 1536 {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        package.push((seed >> 16) as u8);
    }
    let info_minis = info.len().div_ceil(MINI);
    let package_minis = package.len().div_ceil(MINI);
    let total_minis = info_minis + package_minis;
    assert!(
        total_minis * MINI <= 4 * SECTOR,
        "mini stream exceeds 4 sectors"
    );

    let mut file = vec![0u8; 8 * SECTOR];
    let put_u16 =
        |f: &mut Vec<u8>, at: usize, v: u16| f[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put_u32 =
        |f: &mut Vec<u8>, at: usize, v: u32| f[at..at + 4].copy_from_slice(&v.to_le_bytes());
    let sector = |n: usize| (n + 1) * SECTOR;

    // Header.
    file[0..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    put_u16(&mut file, 24, 0x003E); // minor version
    put_u16(&mut file, 26, 0x0003); // major version 3
    put_u16(&mut file, 28, 0xFFFE); // byte order
    put_u16(&mut file, 30, 9); // sector shift (512)
    put_u16(&mut file, 32, 6); // mini sector shift (64)
    put_u32(&mut file, 40, 0); // directory sectors (0 for v3)
    put_u32(&mut file, 44, 1); // FAT sectors
    put_u32(&mut file, 48, 1); // first directory sector
    put_u32(&mut file, 52, 0); // transaction signature
    put_u32(&mut file, 56, 4096); // mini stream cutoff
    put_u32(&mut file, 60, 2); // first mini FAT sector
    put_u32(&mut file, 64, 1); // mini FAT sectors
    put_u32(&mut file, 68, ENDOFCHAIN); // first DIFAT sector
    put_u32(&mut file, 72, 0); // DIFAT sectors
    put_u32(&mut file, 76, 0); // DIFAT[0] = FAT in sector 0
    for i in 1..109 {
        put_u32(&mut file, 76 + 4 * i, FREESECT);
    }

    // FAT.
    let fat = [FATSECT, ENDOFCHAIN, ENDOFCHAIN, 4, 5, 6, ENDOFCHAIN];
    for i in 0..128 {
        let v = fat.get(i).copied().unwrap_or(FREESECT);
        put_u32(&mut file, sector(0) + 4 * i, v);
    }

    // Mini FAT: two chains.
    for i in 0..128 {
        let v = if i < info_minis {
            if i + 1 == info_minis {
                ENDOFCHAIN
            } else {
                i as u32 + 1
            }
        } else if i < total_minis {
            if i + 1 == total_minis {
                ENDOFCHAIN
            } else {
                i as u32 + 1
            }
        } else {
            FREESECT
        };
        put_u32(&mut file, sector(2) + 4 * i, v);
    }

    // Mini stream.
    let ms = sector(3);
    file[ms..ms + info.len()].copy_from_slice(&info);
    let pk = ms + info_minis * MINI;
    file[pk..pk + package.len()].copy_from_slice(&package);

    // Directory entries.
    #[allow(clippy::too_many_arguments)]
    fn dir_entry(
        f: &mut [u8],
        at: usize,
        name: &str,
        kind: u8,
        color: u8,
        left: u32,
        right: u32,
        child: u32,
        start: u32,
        size: u32,
    ) {
        let units: Vec<u16> = name.encode_utf16().collect();
        for (i, u) in units.iter().enumerate() {
            f[at + 2 * i..at + 2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        let name_len = ((units.len() + 1) * 2) as u16;
        f[at + 64..at + 66].copy_from_slice(&name_len.to_le_bytes());
        f[at + 66] = kind;
        f[at + 67] = color;
        f[at + 68..at + 72].copy_from_slice(&left.to_le_bytes());
        f[at + 72..at + 76].copy_from_slice(&right.to_le_bytes());
        f[at + 76..at + 80].copy_from_slice(&child.to_le_bytes());
        f[at + 116..at + 120].copy_from_slice(&start.to_le_bytes());
        f[at + 120..at + 124].copy_from_slice(&size.to_le_bytes());
    }
    let d = sector(1);
    // Root: child = EncryptionInfo; EncryptedPackage (longer name, so "greater") to its right.
    dir_entry(
        &mut file,
        d,
        "Root Entry",
        5,
        1,
        NOSTREAM,
        NOSTREAM,
        1,
        3,
        (total_minis * MINI) as u32,
    );
    dir_entry(
        &mut file,
        d + 128,
        "EncryptionInfo",
        2,
        1,
        NOSTREAM,
        2,
        NOSTREAM,
        0,
        info.len() as u32,
    );
    dir_entry(
        &mut file,
        d + 256,
        "EncryptedPackage",
        2,
        0,
        NOSTREAM,
        NOSTREAM,
        NOSTREAM,
        info_minis as u32,
        package.len() as u32,
    );
    // Unused entry 3.
    for off in [68, 72, 76] {
        put_u32(&mut file, d + 384 + off, NOSTREAM);
    }
    file
}

// ---------------------------------------------------------------------------
// 7. Filling: dropdowns of every kind, formulas in answer cells, a calcChain
// ---------------------------------------------------------------------------

/// The dropdowns of [`fill_features`], by the rows they cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FillDropdown {
    /// `=AnswerList`, a defined name for `Lists!$A$1:$A$3` ("YES", "NO", "NA").
    DefinedName,
    /// `'Other Lists'!$B$2:$B$4` ("Y", "N", "Not Applicable"), stored as an Excel 2010 (x14)
    /// validation in the sheet's `<extLst>`.
    X14OtherSheet,
    /// The literal list "Yes,No".
    Literal,
    None,
}

/// Rows of the "Questions" sheet of [`fill_features`]: (row, ref, question, dropdown,
/// answer cell as written, comment cell as written). An answer or comment starting with "="
/// is a formula (cached result "" in the answer column, "Ref <ref>" in the comment column);
/// `None` means no cell at all.
pub const FILL_ROWS: &[(u32, &str, &str, FillDropdown, Option<&str>, Option<&str>)] = &[
    (2, "Q-01", "Do you encrypt customer data at rest?", FillDropdown::DefinedName, Some(""), Some("")),
    (3, "Q-02", "Do you have a documented incident response plan?", FillDropdown::DefinedName, Some(""), Some("")),
    (4, "Q-03", "Do you perform background checks on staff?", FillDropdown::DefinedName, Some("NO"), Some("")),
    (5, "Q-04", "Do you enforce multi-factor authentication?", FillDropdown::X14OtherSheet, Some(""), Some("")),
    (6, "Q-05", "Do you process cardholder data?", FillDropdown::X14OtherSheet, Some(""), Some("")),
    (7, "Q-06", "Do you run annual penetration tests?", FillDropdown::X14OtherSheet, None, None),
    (8, "Q-07", "Do you host customer data outside the EU?", FillDropdown::Literal, Some(""), Some("")),
    (9, "Q-08", "Do you have a bug bounty program?", FillDropdown::Literal, Some(""), Some("")),
    (10, "Q-09", "Do you review firewall rules quarterly?", FillDropdown::None, Some("=Lists!$D$1"), Some("")),
    (11, "Q-10", "Describe how encryption keys are managed.", FillDropdown::None, Some(""), Some("=\"Ref \"&A11")),
];

/// Style-carrying workbook for filling tests, `fill-features.xlsx`: sheet "Questions" (header
/// row 1: ID | Question | Answer | Comment, rows as in [`FILL_ROWS`], columns C and D with a
/// default format so that new cells have a style to take), "Lists" and "Other Lists" holding
/// the dropdown values. Post-processed after writing: the C5:C7 validation moved into an x14
/// `<extLst>`, an `xl/calcChain.xml` listing the two formula cells C10 and D11 (sheetId 1),
/// and `fullCalcOnLoad` taken off `<calcPr>` as Excel itself saves it.
pub fn fill_features(dir: impl AsRef<Path>) -> FixtureResult<PathBuf> {
    let dir = dir.as_ref();
    prepare_dir(dir)?;
    let path = dir.join("fill-features.xlsx");
    let f = formats();
    let mut wb = new_workbook()?;
    {
        let ws = wb.add_worksheet();
        ws.set_name("Questions")?;
        ws.set_column_width(1, 60)?;
        ws.set_column_format(2, &f.wrap)?;
        ws.set_column_format(3, &f.group)?;
        for (c, h) in ["ID", "Question", "Answer", "Comment"].iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &f.header)?;
        }
        for &(row, r, q, _, answer, comment) in FILL_ROWS {
            let r0 = row - 1;
            ws.write_string(r0, 0, r)?;
            ws.write_string(r0, 1, q)?;
            for (col, cell) in [(2u16, answer), (3u16, comment)] {
                match cell {
                    None => {}
                    Some("") => {
                        ws.write_blank(r0, col, &f.wrap)?;
                    }
                    Some(v) if v.starts_with('=') => {
                        let cached = if col == 3 { format!("Ref {r}") } else { String::new() };
                        ws.write_formula_with_format(r0, col, Formula::new(v).set_result(cached), &f.wrap)?;
                    }
                    Some(v) => {
                        ws.write_string_with_format(r0, col, v, &f.wrap)?;
                    }
                }
            }
        }
        ws.add_data_validation(1, 2, 3, 2, &DataValidation::new().allow_list_formula(Formula::new("=AnswerList")))?;
        ws.add_data_validation(4, 2, 6, 2, &DataValidation::new().allow_list_formula(Formula::new("='Other Lists'!$B$2:$B$4")))?;
        ws.add_data_validation(7, 2, 8, 2, &DataValidation::new().allow_list_strings(&["Yes", "No"])?)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Lists")?;
        for (i, v) in ["YES", "NO", "NA"].iter().enumerate() {
            ws.write_string(i as u32, 0, *v)?;
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Other Lists")?;
        ws.write_string(0, 1, "Choices")?;
        for (i, v) in ["Y", "N", "Not Applicable"].iter().enumerate() {
            ws.write_string(1 + i as u32, 1, *v)?;
        }
    }
    wb.define_name("AnswerList", "=Lists!$A$1:$A$3")?;
    wb.save(&path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;

    let calc_chain = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="C10" i="1"/><c r="D11"/></calcChain>"#;
    rewrite_zip(
        &path,
        &|name, xml| {
            Ok(match name {
                "xl/worksheets/sheet1.xml" => {
                    // An empty cached result, as Excel stores a formula that yields "".
                    let formula = r#"<c r="C10" s="1"><f>Lists!$D$1</f><v>0</v></c>"#;
                    if !xml.contains(formula) {
                        return Err("the C10 formula is not where expected".into());
                    }
                    let xml = xml.replace(formula, r#"<c r="C10" s="1" t="str"><f>Lists!$D$1</f><v></v></c>"#);
                    move_validation_to_x14(&xml, "C5:C7")?
                }
                "xl/workbook.xml" => xml.replace(r#" fullCalcOnLoad="1""#, ""),
                "xl/_rels/workbook.xml.rels" => xml.replace(
                    "</Relationships>",
                    r#"<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>"#,
                ),
                "[Content_Types].xml" => xml.replace(
                    "</Types>",
                    r#"<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>"#,
                ),
                _ => xml,
            })
        },
        &[("xl/calcChain.xml", calc_chain)],
    )?;
    Ok(path)
}

/// Moves the classic list validation of `sqref` into an Excel 2010 `<x14:dataValidations>`
/// block in the sheet's `<extLst>`, as Excel stores lists that refer to other sheets.
fn move_validation_to_x14(xml: &str, sqref: &str) -> FixtureResult<String> {
    let at = xml.find(&format!("sqref=\"{sqref}\"")).ok_or("validation not found")?;
    let start = xml[..at].rfind("<dataValidation ").ok_or("validation start not found")?;
    let end = at + xml[at..].find("</dataValidation>").ok_or("validation end not found")? + "</dataValidation>".len();
    let element = &xml[start..end];
    let f_start = element.find("<formula1>").ok_or("no formula1")? + "<formula1>".len();
    let f_end = element.find("</formula1>").ok_or("no formula1 end")?;
    let formula = &element[f_start..f_end];
    if xml.contains("<extLst>") {
        return Err("the sheet already has an extLst".into());
    }
    let count_start = xml.find("<dataValidations count=\"").ok_or("no dataValidations")? + "<dataValidations count=\"".len();
    let count_len = xml[count_start..].find('"').ok_or("bad count")?;
    let count: usize = xml[count_start..count_start + count_len].parse()?;
    let ext = format!(
        "<extLst><ext uri=\"{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}\" xmlns:x14=\"http://schemas.microsoft.com/office/spreadsheetml/2009/9/main\">\
<x14:dataValidations count=\"1\" xmlns:xm=\"http://schemas.microsoft.com/office/excel/2006/main\">\
<x14:dataValidation type=\"list\" allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\">\
<x14:formula1><xm:f>{formula}</xm:f></x14:formula1><xm:sqref>{sqref}</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
    );
    let mut out = String::with_capacity(xml.len() + ext.len());
    out.push_str(&xml[..count_start]);
    out.push_str(&(count - 1).to_string());
    out.push_str(&xml[count_start + count_len..start]);
    out.push_str(&xml[end..]);
    let close = out.rfind("</worksheet>").ok_or("no </worksheet>")?;
    out.insert_str(close, &ext);
    Ok(out)
}

/// Rewrites a zip package in place: every entry through `edit` (name, text), then `extra`
/// entries appended. Entries are deflated with the zip crate's fixed 1980 timestamp, so the
/// result is deterministic.
fn rewrite_zip(path: &Path, edit: &dyn Fn(&str, String) -> FixtureResult<String>, extra: &[(&str, &str)]) -> FixtureResult<()> {
    use std::io::Read;
    let bytes = fs::read(path)?;
    let mut input = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).compression_level(Some(6));
    for i in 0..input.len() {
        let mut entry = input.by_index(i)?;
        let name = entry.name()?.into_owned();
        let mut text = String::new();
        entry.read_to_string(&mut text)?;
        drop(entry);
        let text = edit(&name, text)?;
        out.start_file(name, opts)?;
        out.write_all(text.as_bytes())?;
    }
    for (name, text) in extra {
        out.start_file(*name, opts)?;
        out.write_all(text.as_bytes())?;
    }
    fs::write(path, out.finish()?.into_inner())?;
    Ok(())
}
